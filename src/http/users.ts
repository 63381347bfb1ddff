// A user's memories, events and recall; forgetting one memory; erasing the user (right to erasure).
import { Router } from 'express';
import type { Engine } from '../engine.js';
import { route } from './asyncRoute.js';
import { EventsQuery, MemoriesQuery, MemoryParams, RecallQuery, UserParams } from './schemas.js';
import { parse } from './validation.js';

export interface UserRoutesOptions {
  /** Where an erasure is recorded: a count only, never a text. */
  log?: (line: Record<string, unknown>) => void;
}

export function userRoutes(engine: Engine, o: UserRoutesOptions = {}): Router {
  const r = Router();

  r.get('/users/:userId/memories', route(async (req, res) => {
    const { userId } = parse(UserParams, req.params, 'userId');
    const q = parse(MemoriesQuery, req.query, 'query');
    const page = await engine.memoriesPage(userId, { status: q.status ?? 'active', limit: q.limit, cursor: q.cursor || undefined });
    res.json(page.cursor ? { memories: page.items, cursor: page.cursor } : { memories: page.items });
  }));

  r.get('/users/:userId/events', route(async (req, res) => {
    const { userId } = parse(UserParams, req.params, 'userId');
    const q = parse(EventsQuery, req.query, 'query');
    const page = await engine.eventsPage(userId, { limit: q.limit, cursor: q.cursor || undefined });
    res.json(page.cursor ? { events: page.items, cursor: page.cursor } : { events: page.items });
  }));

  // engine.recall answers nothing when memory.enhanced-prompts is off for the user.
  r.get('/users/:userId/recall', route(async (req, res) => {
    const { userId } = parse(UserParams, req.params, 'userId');
    const q = parse(RecallQuery, req.query, 'query');
    res.json({ memories: await engine.recall(userId, { query: q.query, limit: q.limit }) });
  }));

  r.delete('/users/:userId/memories/:memoryId', route(async (req, res) => {
    const { userId, memoryId } = parse(MemoryParams, req.params, 'params');
    res.json({ event: await engine.forget(userId, memoryId) });
  }));

  r.delete('/users/:userId', route(async (req, res) => {
    const { userId } = parse(UserParams, req.params, 'userId');
    const { removed } = await engine.erase(userId);
    o.log?.({ msg: 'user erased', removed });
    res.json({ erased: true, removed });
  }));

  return r;
}
