// The one place that knows unleash-client's CommonJS layout. Its package has no exports map, so the
// deep paths are reachable; they are loaded with require because a CJS default import means
// `module.exports` under Node's ESM but the class itself under bundlers and vitest.
import { createRequire } from 'node:module';
import type clientModule from 'unleash-client/lib/client.js';
import type strategyModule from 'unleash-client/lib/strategy/index.js';

export { InMemStorageProvider, Unleash, UnleashEvents } from 'unleash-client';
export type { Context } from 'unleash-client';
export type { FeatureInterface, EnhancedFeatureInterface } from 'unleash-client/lib/feature.js';
export type { RepositoryInterface } from 'unleash-client/lib/repository/index.js';
export type { Segment, StrategyTransportInterface } from 'unleash-client/lib/strategy/strategy.js';

const require = createRequire(import.meta.url);

export const UnleashClient: typeof clientModule.default = require('unleash-client/lib/client.js').default;
export type UnleashClient = InstanceType<typeof clientModule.default>;
export const defaultStrategies: typeof strategyModule.defaultStrategies = require('unleash-client/lib/strategy/index.js').defaultStrategies;
