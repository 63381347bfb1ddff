// POST /api/memory/candidates: one candidate or {candidates:[…]}; 202 once every accepted one is durable.
import { Router } from 'express';
import { z } from 'zod';
import type { Engine } from '../engine.js';
import { invalidInput, MemdedupError } from '../errors.js';
import type { Decision } from '../types.js';
import { route } from './asyncRoute.js';
import { CandidateIn, MAX_CANDIDATES_PER_REQUEST, SubmitQuery } from './schemas.js';
import { parse } from './validation.js';

const Batch = z.object({ candidates: z.array(CandidateIn).min(1).max(MAX_CANDIDATES_PER_REQUEST) });

export function candidateRoutes(engine: Engine): Router {
  const r = Router();
  r.post('/candidates', route(async (req, res) => {
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidInput('body', 'must be a candidate or {candidates:[...]}');
    // Validate everything before submitting anything: a request is accepted whole or not at all.
    const list = 'candidates' in body ? parse(Batch, body, 'body').candidates : [parse(CandidateIn, body, 'body')];
    const { wait } = parse(SubmitQuery, req.query, 'query');
    const subs = list.map((c) => engine.submit(c));
    // 202 is a promise that nothing is lost: answer only once every accepted candidate is durable.
    const acceptances = await Promise.all(subs.map((s) => s.accepted));
    // A candidate the store refused on its own (validation let it through): a clear 4xx naming it, never a hang.
    const refused = acceptances.flatMap((a, i) => (a.error ? [{ field: 'candidates' in body ? `candidates[${i}].text` : 'text', id: subs[i]!.id, problem: a.error.message }] : []));
    if (refused.length > 0) {
      throw new MemdedupError('STORE_REJECTED', `${refused.length} of ${subs.length} candidates were refused by the store; the others are durable`, refused);
    }
    if (subs.every((s) => s.status === 'overloaded')) throw new MemdedupError('OVERLOADED', 'the journal is full; retry later');
    const waiting = wait === '1' || wait === 'true';
    const decisions: (Decision | undefined)[] = waiting ? await Promise.all(subs.map((s) => s.decided)) : [];
    res.status(waiting ? 200 : 202).json({
      results: subs.map((s, i) => (waiting ? { id: s.id, status: s.status, decision: decisions[i] } : { id: s.id, status: s.status })),
    });
  }));
  return r;
}
