// GET /api/memory/flags and PUT /api/memory/flags/:name (embedded mode; server mode answers FLAGS_READ_ONLY).
import { Router } from 'express';
import type { Engine } from '../engine.js';
import { route } from './asyncRoute.js';
import { FlagChangeBody, FlagParams } from './schemas.js';
import { parse } from './validation.js';

export function flagRoutes(engine: Engine): Router {
  const r = Router();
  r.get('/flags', (_req, res) => {
    res.json({ mode: engine.flags.mode, synchronized: engine.flags.synchronized, flags: engine.flags.list() });
  });
  r.put('/flags/:name', route(async (req, res) => {
    const { name } = parse(FlagParams, req.params, 'name');
    const change = parse(FlagChangeBody, req.body, 'body');
    // Server mode rejects with FLAGS_READ_ONLY (409): Unleash is the source of truth there.
    res.json({ flag: await engine.flags.set(name, change) });
  }));
  return r;
}
