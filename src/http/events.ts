// POST /api/memory/events/:eventId/undo: reverses an event; the reversal is itself an event.
import { Router } from 'express';
import type { Engine } from '../engine.js';
import { route } from './asyncRoute.js';
import { EventParams } from './schemas.js';
import { parse } from './validation.js';

export function eventRoutes(engine: Engine): Router {
  const r = Router();
  r.post('/events/:eventId/undo', route(async (req, res) => {
    const { eventId } = parse(EventParams, req.params, 'eventId');
    res.json({ event: await engine.undo(eventId) });
  }));
  return r;
}
