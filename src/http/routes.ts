// The /api/memory routes of the minimal server.
import { Router, type Request, type RequestHandler } from 'express';
import type { Engine } from '../engine.js';
import { invalidInput, MemdedupError } from '../errors.js';
import { validateCandidate } from '../intake/validate.js';
import type { Decision } from '../types.js';

export const MAX_CANDIDATES_PER_REQUEST = 500;

const wrap = (fn: (req: Request, res: Parameters<RequestHandler>[1]) => Promise<void>): RequestHandler =>
  (req, res, next) => { fn(req, res).catch(next); };

function readLimit(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d{1,7}$/.test(v) || n < 1) throw invalidInput('limit', 'must be an integer 1-1000');
  return Math.min(n, 1000);
}
function readString(name: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalidInput(name, 'must be given once, as a string');
  return v;
}

export function memoryRoutes(engine: Engine): Router {
  const r = Router();

  r.post('/candidates', wrap(async (req, res) => {
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidInput('body', 'must be a candidate or {candidates:[...]}');
    const list: unknown[] = 'candidates' in body ? (body as { candidates: unknown }).candidates as unknown[] : [body];
    if (!Array.isArray(list) || list.length === 0) throw invalidInput('candidates', 'must be a non-empty array');
    if (list.length > MAX_CANDIDATES_PER_REQUEST) throw invalidInput('candidates', `must hold at most ${MAX_CANDIDATES_PER_REQUEST} candidates`);
    // Validate everything before submitting anything: a request is accepted whole or not at all.
    const problems: unknown[] = [];
    for (let i = 0; i < list.length; i++) {
      try { validateCandidate(list[i]); } catch (e) {
        if (e instanceof MemdedupError) problems.push({ index: i, ...(Array.isArray(e.details) ? e.details[0] : {}), message: e.message });
        else throw e;
      }
    }
    if (problems.length) throw new MemdedupError('INVALID_INPUT', `${problems.length} invalid candidate(s)`, problems);
    const subs = list.map((c) => engine.submit(c));
    // 202 is a promise that nothing is lost: answer only once every accepted candidate is durable.
    await Promise.all(subs.map((s) => s.accepted));
    if (subs.length > 0 && subs.every((s) => s.status === 'overloaded')) throw new MemdedupError('OVERLOADED', 'the journal is full; retry later');
    const wait = req.query.wait === '1' || req.query.wait === 'true';
    const decisions: (Decision | undefined)[] = wait ? await Promise.all(subs.map((s) => s.decided)) : [];
    res.status(wait ? 200 : 202).json({
      results: subs.map((s, i) => (wait ? { id: s.id, status: s.status, decision: decisions[i] } : { id: s.id, status: s.status })),
    });
  }));

  r.get('/users/:userId/memories', wrap(async (req, res) => {
    const status = readString('status', req.query.status) ?? 'active';
    if (!['active', 'superseded', 'forgotten', 'all'].includes(status)) throw invalidInput('status', "must be 'active', 'superseded', 'forgotten' or 'all'");
    const page = await engine.memoriesPage(String(req.params.userId), {
      status: status as 'active', limit: readLimit(req.query.limit), cursor: readString('cursor', req.query.cursor) });
    res.json(page.cursor ? { memories: page.items, cursor: page.cursor } : { memories: page.items });
  }));

  r.get('/users/:userId/events', wrap(async (req, res) => {
    const page = await engine.eventsPage(String(req.params.userId), { limit: readLimit(req.query.limit), cursor: readString('cursor', req.query.cursor) });
    res.json(page.cursor ? { events: page.items, cursor: page.cursor } : { events: page.items });
  }));

  r.post('/events/:eventId/undo', wrap(async (req, res) => {
    const event = await engine.undo(String(req.params.eventId));
    res.status(200).json({ event });
  }));

  return r;
}
