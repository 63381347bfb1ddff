// `memdedup eval --policy NAME`: evaluate a configured dedup policy offline, before it gets traffic.
// The policy comes from the same config file `serve` reads (--config FILE, else MEMDEDUP_CONFIG / NODE_ENV),
// under engine.dedup.policies; `default` is engine.dedup.thresholds.
import { invalidInput } from '../errors.js';
import { resolveOptions, type DedupThresholds, type EngineOptions } from '../options.js';
import { DEFAULT_POLICY } from '../policies/options.js';
import { loadServeConfig } from './serveConfig.js';

/** The named policy's thresholds over the config's `dedup.thresholds` (both validated as the engine does). */
export function policyThresholds(name: string, configFile: string | undefined, env: NodeJS.ProcessEnv): Partial<DedupThresholds> {
  const { config, file } = loadServeConfig(configFile ? { ...env, MEMDEDUP_CONFIG: configFile } : env);
  const engine = config.engine as EngineOptions;
  const dedup = resolveOptions({ dedup: engine.dedup ?? {} }).dedup;
  if (name === DEFAULT_POLICY) return { ...dedup.thresholds };
  const p = dedup.policies[name];
  if (!p) {
    const known = [DEFAULT_POLICY, ...Object.keys(dedup.policies)].join(', ');
    throw invalidInput('--policy', `names no policy configured in ${file ?? '(no config file: give --config FILE or MEMDEDUP_CONFIG)'}; configured: ${known}`);
  }
  return { ...dedup.thresholds, ...p.thresholds };
}
