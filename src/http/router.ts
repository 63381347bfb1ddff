// The HTTP API as an express Router a chat server mounts in its own app (`app.use('/api/memory',
// createRouter(engine))`), and the /metrics handler. `memdedup serve` is built from these two, so a
// host's mount and the standalone server answer the same routes, errors and limits.
import express, { Router } from 'express';
import type { Engine } from '../engine.js';
import { bearerAuth } from './auth.js';
import { errorHandler, notFound, requireJsonBody } from './errors.js';
import { engineLog, engineRegistry } from './observed.js';
import { healthz, metricsHandler, readyz, statusRegistry, type MetricsSource } from './opsRoutes.js';
import { memoryRoutes } from './routes.js';

/** Request bodies over this are refused with PAYLOAD_TOO_LARGE. */
export const BODY_LIMIT = '1mb';

export interface RouterOptions {
  /** When set, every route of the router needs `Authorization: Bearer <token>` (the probes only with protectOps). */
  token?: string;
  /** Also require the token on the probes (`healthz`, `readyz`) and, in `memdedup serve`, on /metrics. @default false */
  protectOps?: boolean;
  /** Mount the seed's diagnostic endpoints. @default false (`memdedup serve` turns them on unless configured off) */
  diagnostics?: boolean;
  /** The Prometheus registry /metrics answers from. @default the engine's `registry` */
  registry?: MetricsSource;
  /** Structured log lines (erasures as a count, internal errors without request data). @default the engine's logger */
  log?: (line: Record<string, unknown>) => void;
}

/**
 * Today's /api/memory routes relative to the mount point, plus `GET healthz` and `GET readyz` for the
 * host's probes. JSON bodies up to 1 MB; every error (404 included) is `{error:{code,message,details}}`
 * from the one catalogue. Unmatched paths under the mount point answer 404 NOT_FOUND here, not in the host.
 */
export function createRouter(engine: Engine, o: RouterOptions = {}): Router {
  const r = Router();
  const registry = o.registry ?? engineRegistry(engine) ?? statusRegistry(engine);
  const log = o.log ?? engineLog(engine);
  const probes = Router();
  probes.get('/healthz', healthz);
  probes.get('/readyz', readyz(engine));
  // Auth before body parsing: an unauthenticated body is never read.
  if (o.token && !o.protectOps) r.use(probes);
  if (o.token) r.use(bearerAuth(o.token));
  if (!o.token || o.protectOps) r.use(probes);
  r.use(requireJsonBody);
  r.use(express.json({ limit: BODY_LIMIT, type: () => true, strict: false }));
  r.use(memoryRoutes(engine, { diagnostics: o.diagnostics, registry, log }));
  r.use(notFound);
  r.use(errorHandler((err) => log({ level: 'error', msg: 'internal error', error: err instanceof Error ? err.message : String(err) })));
  return r;
}

export { metricsHandler };
