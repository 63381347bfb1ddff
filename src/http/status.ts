// GET /api/memory/status: what a dashboard shows, composed from engine.status() plus readiness.
import { Router } from 'express';
import type { Engine } from '../engine.js';
import { route } from './asyncRoute.js';
import { alertStates, firingAlerts } from './observed.js';
import { readiness } from './readiness.js';

export async function statusReport(engine: Engine): Promise<Record<string, unknown>> {
  const s = engine.status();
  const { closed, journal, lanes, cache, flags, ...rest } = s;
  const ready = await readiness(engine);
  let journalDepth: number | null = null;
  try { journalDepth = await engine.store.journalDepth(); } catch { journalDepth = null; }
  return {
    closed,
    // The "queue" is the work accepted and not yet decided: the journal plus what the lanes hold.
    queue: { depth: journalDepth, inflight: journal.inflight, queuedLanes: lanes.queued, runningLanes: lanes.running },
    journal: { ...journal, depth: journalDepth },
    lanes,
    breakers: rest.breakers ?? {},
    cache,
    flags: { ...flags, list: engine.flags.list() },
    alerts: alertStates(engine),
    firingAlerts: firingAlerts(engine).length,
    readiness: ready,
    ...Object.fromEntries(Object.entries(rest).filter(([k]) => k !== 'breakers' && k !== 'alerts')),
  };
}

export function statusRoutes(engine: Engine): Router {
  const r = Router();
  r.get('/status', route(async (_req, res) => { res.json(await statusReport(engine)); }));
  return r;
}
