// Operator routes: the Prometheus scrape, readiness from the in-process alert state, and status.
import { Router, type RequestHandler } from 'express';
import type { Engine } from '../engine.js';

const wrap = (fn: RequestHandler): RequestHandler => (req, res, next) => { Promise.resolve(fn(req, res, next)).catch(next); };

export function opsRoutes(engine: Engine): Router {
  const r = Router();

  r.get('/metrics', wrap(async (_req, res) => {
    const text = await engine.registry.metrics();
    res.type(engine.registry.contentType).send(text);
  }));

  // Not ready while closing or while a critical alert fires: the load balancer sends chat elsewhere.
  r.get('/readyz', (_req, res) => {
    const critical = engine.alerts.firing('critical').map((a) => a.alertname);
    const closed = engine.status().closed;
    const ready = !closed && critical.length === 0;
    res.status(ready ? 200 : 503).json({ ready, closed, firing: critical });
  });

  r.get('/api/memory/status', (_req, res) => {
    res.json({ ...engine.status(), alerts: engine.alerts.states() });
  });

  return r;
}
