// The /api/memory router: one router per area, composed here.
import { Router } from 'express';
import type { Engine } from '../engine.js';
import { candidateRoutes } from './candidates.js';
import { deadLetterRoutes } from './deadLetters.js';
import { diagnosticRoutes } from './diagnostics/index.js';
import { eventRoutes } from './events.js';
import { flagRoutes } from './flags.js';
import type { MetricsSource } from './opsRoutes.js';
import { openApiRoutes } from './openapi.js';
import { statusRoutes } from './status.js';
import { userRoutes } from './users.js';

export { MAX_CANDIDATES_PER_REQUEST } from './schemas.js';

export interface MemoryRoutesOptions {
  /** Mount the seed's diagnostic endpoints (404 when off). */
  diagnostics?: boolean;
  registry?: MetricsSource;
  log?: (line: Record<string, unknown>) => void;
  /** How long POST /candidates waits for durability before 503 STORE_UNAVAILABLE. @default 10000 */
  durableTimeoutMs?: number;
}

export function memoryRoutes(engine: Engine, o: MemoryRoutesOptions = {}): Router {
  const r = Router();
  r.use(candidateRoutes(engine, { durableTimeoutMs: o.durableTimeoutMs }));
  r.use(userRoutes(engine, { log: o.log }));
  r.use(eventRoutes(engine));
  r.use(deadLetterRoutes(engine));
  r.use(flagRoutes(engine));
  r.use(statusRoutes(engine));
  r.use(openApiRoutes({ diagnostics: o.diagnostics }));
  if (o.diagnostics) r.use(diagnosticRoutes(engine, { registry: o.registry }));
  return r;
}
