// Outside /api/memory: liveness, readiness and Prometheus metrics.
// statusRegistry is a minimal stand-in built from engine.status() for an engine without its own
// registry; the engine's registry (every memdedup_* series) answers /metrics when it is there.
import { Router, type RequestHandler } from 'express';
import { Gauge, Registry } from 'prom-client';
import type { Engine } from '../engine.js';
import { route } from './asyncRoute.js';
import { alertName, engineRegistry, firingAlerts } from './observed.js';
import { readiness } from './readiness.js';

export interface MetricsSource { contentType: string; metrics(): Promise<string> }

export function statusRegistry(engine: Engine): Registry {
  const registry = new Registry();
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  gauge('memdedup_journal_inflight', 'Accepted candidates not yet decided, held by this process.', () => engine.status().journal.inflight);
  gauge('memdedup_lanes_queued', 'Lanes waiting in the queue.', () => engine.status().lanes.queued);
  gauge('memdedup_lanes_running', 'Lanes with a batch in flight.', () => engine.status().lanes.running);
  gauge('memdedup_index_cache_hit_ratio', 'Share of user index loads served from the cache.', () => engine.status().cache.hitRate);
  return registry;
}

/** Liveness: the process answers. */
export const healthz: RequestHandler = (_req, res) => { res.json({ ok: true }); };

/** Small on purpose (load balancers read it): the full checks and score are in GET /api/memory/status. */
export function readyz(engine: Engine): RequestHandler {
  return route(async (_req, res) => {
    const { ready, checks } = await readiness(engine);
    const failed = checks.filter((c) => c.required && !c.ok);
    const failing = failed.map((c) => c.name);
    // Why each failing check fails (e.g. store-writable: "database or disk is full (SQLITE_FULL)").
    const reasons = Object.fromEntries(failed.filter((c) => c.detail).map((c) => [c.name, c.detail]));
    res.status(ready ? 200 : 503).json({
      ready, closed: engine.status().closed, firing: firingAlerts(engine, 'critical').map(alertName), ...(ready ? {} : { failing, reasons }),
    });
  });
}

/** `GET /metrics` in the Prometheus text format, from the engine's registry (every memdedup_* series). */
export function metricsHandler(engine: Engine, o: { registry?: MetricsSource } = {}): RequestHandler {
  const registry = o.registry ?? engineRegistry(engine) ?? statusRegistry(engine);
  return route(async (_req, res) => {
    const text = await registry.metrics();
    res.setHeader('Content-Type', registry.contentType);
    res.send(text);
  });
}

/** The server's root probes and /metrics (the same handlers createRouter and metricsHandler use). */
export function opsRoutes(engine: Engine, registry: MetricsSource = statusRegistry(engine)): Router {
  const r = Router();
  r.get('/healthz', healthz);
  r.get('/readyz', readyz(engine));
  r.get('/metrics', metricsHandler(engine, { registry }));
  return r;
}
