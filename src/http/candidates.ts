// POST /api/memory/candidates: one candidate or {candidates:[…]}; 202 once every accepted one is durable.
//
// The wait for durability is bounded (`durableTimeoutMs`): a store that does not answer in time gets the client
// a 503 STORE_UNAVAILABLE with Retry-After, while the candidates stay buffered in the engine and are written when
// the store is back. Retrying with the same candidate ids is safe: an id still in flight joins its first
// submission, an id already written is a replay (the journal and the events are keyed by it), so each id gets
// exactly one event however often it is sent, to this process or another one.
import { Router } from 'express';
import { z } from 'zod';
import type { Engine } from '../engine.js';
import { invalidInput, MemdedupError } from '../errors.js';
import type { Decision } from '../types.js';
import { route } from './asyncRoute.js';
import { CandidateIn, MAX_CANDIDATES_PER_REQUEST, SubmitQuery } from './schemas.js';
import { parse } from './validation.js';

const Batch = z.object({ candidates: z.array(CandidateIn).min(1).max(MAX_CANDIDATES_PER_REQUEST) });

/** How long a request waits for its candidates to be durable by default. */
export const DEFAULT_DURABLE_TIMEOUT_MS = 10_000;

export function candidateRoutes(engine: Engine, o: { durableTimeoutMs?: number } = {}): Router {
  const durableTimeoutMs = o.durableTimeoutMs ?? DEFAULT_DURABLE_TIMEOUT_MS;
  const r = Router();
  r.post('/candidates', route(async (req, res) => {
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidInput('body', 'must be a candidate or {candidates:[...]}');
    // Validate everything before submitting anything: a request is accepted whole or not at all.
    const list = 'candidates' in body ? parse(Batch, body, 'body').candidates : [parse(CandidateIn, body, 'body')];
    const { wait } = parse(SubmitQuery, req.query, 'query');
    const subs = list.map((c) => engine.submit(c));
    // 202 is a promise that nothing is lost: answer only once every accepted candidate is durable.
    const settled = Promise.all(subs.map((s) => s.accepted));
    if (!(await within(settled, durableTimeoutMs))) {
      throw new MemdedupError('STORE_UNAVAILABLE', `the store did not make the candidates durable within ${durableTimeoutMs} ms; `
        + 'they stay buffered and are written when it is back: retry with the same ids', { durableTimeoutMs });
    }
    const acceptances = await settled;
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

/** True when `p` settles within `ms`; the timer never outlives the answer. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => { timer = setTimeout(() => r(false), ms); });
  try {
    return await Promise.race([p.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
