// Dead letters: candidates that kept failing, kept with their error; redrive puts them back in the journal.
import { Router } from 'express';
import type { Engine } from '../engine.js';
import { route } from './asyncRoute.js';
import { RedriveBody } from './schemas.js';
import { parse } from './validation.js';

export function deadLetterRoutes(engine: Engine): Router {
  const r = Router();
  r.get('/dead-letters', route(async (_req, res) => {
    res.json({ deadLetters: await engine.deadLetters() });
  }));
  r.post('/dead-letters/redrive', route(async (req, res) => {
    const { ids } = parse(RedriveBody, req.body ?? {}, 'body');
    res.json(await engine.redrive(ids));
  }));
  return r;
}
