// Decides one batch of one user's candidates, in submission order, into a plan (a BatchCommit) that records it in
// ONE transaction: memory rows + events + journal rows removed + user version bump. commitBatch commits the plan
// through src/store/commitPlan.ts, which owns the retry when the user version moved.
import { newId } from '../ids.js';
import { MemdedupError } from '../errors.js';
import { commitPlan, type BatchCommit, type CommitOutcome, type Plan } from '../store/commitPlan.js';
import { erasedDecision } from '../store/tombstones.js';
import type { MemoryVector, Store } from '../store/types.js';
import type { Candidate, Decision, MemdedupEvent, Memory } from '../types.js';
import type { IndexCache, UserState } from './indexCache.js';
import { prepareLexical } from './lexical.js';
import type { PolicyThresholds } from './policy.js';
import type { Deduper, Prepared, Verdict } from './types.js';

/**
 * full     – the whole cascade;
 * exact    – exact tier only, memories flagged for the sweep (`memory.realtime-dedup` off);
 * fallback – exact tier only, flagged, decision `fallback` (the user's breaker is open).
 */
export type BatchMode = 'full' | 'exact' | 'fallback';

export interface BatchDeps {
  store: Store;
  deduper: Deduper;
  cache: IndexCache;
  now?: () => number;
  /** The user's dedup policy (src/policies); absent: the deduper's own thresholds, recorded as `default`. */
  policyFor?: (userId: string) => BatchPolicy;
}

export interface BatchPolicy { name: string; thresholds: PolicyThresholds }
/** The frame to persist with a memory, when the decision analysed it (a fact never compared has none yet). */
const analysed = (p: Prepared): { analysis?: string } => (p.frame ? { analysis: JSON.stringify(p.frame) } : {});

/** Commits tried when other writers keep moving the user version underneath us (the first and 8 re-decisions). */
const MAX_VERSION_ATTEMPTS = 9;

export function eventToDecision(e: MemdedupEvent): Decision {
  const d: Decision = { candidateId: e.candidateId ?? '', userId: e.userId, action: e.action as Decision['action'], eventId: e.id };
  if (e.memoryId) d.memoryId = e.memoryId;
  if (e.method) d.method = e.method;
  if (e.score !== null) d.score = e.score;
  d.reasons = e.reasons;
  if (e.comparedText) d.comparedText = e.comparedText;
  d.policy = e.policy;
  return d;
}

/** A batch decided against the user's cached state and what it was decided on (the cache entry a commit moves on). */
export interface DecidedBatch { decisions: Map<string, Decision>; state: UserState }
/** The plan of one batch: the commit that records it, and its decisions. */
export interface BatchPlan extends Plan<DecidedBatch> { commit: BatchCommit }

/**
 * Decides and commits one batch (src/store/commitPlan.ts owns the retry): a moved user version re-decides it on a
 * reloaded state; an erasure drops the candidates accepted before it and re-decides the rest.
 */
export async function commitBatch(deps: BatchDeps, userId: string, batch: Candidate[], mode: BatchMode): Promise<Map<string, Decision>> {
  const erased = new Map<string, Decision>();
  let todo = batch;
  let outcome: CommitOutcome<DecidedBatch | null>;
  try {
    outcome = await commitPlan<DecidedBatch | null>(deps.store, async ({ refused }) => {
      if (refused) {
        // The cached state was decided on (and mutated) for a commit that did not land: reload it.
        deps.cache.invalidate(userId);
        if (refused.reason === 'erased') {
          // The user was erased (in any process) after these candidates were accepted: they are dropped, their
          // journal rows went in the refused commit. The rest was accepted after the erase and starts from nothing.
          for (const c of todo) if (c.acceptedAt <= refused.error.erasedAt) erased.set(c.id, erasedDecision(c));
          todo = todo.filter((c) => c.acceptedAt > refused.error.erasedAt);
        }
      }
      if (todo.length === 0) return { result: null };
      return decideBatch(deps, userId, todo, mode);
    }, { maxAttempts: MAX_VERSION_ATTEMPTS });
  } catch (e) {
    // The cached state was mutated for a batch that did not commit.
    deps.cache.invalidate(userId);
    throw e;
  }
  if (!outcome.ok) {
    deps.cache.invalidate(userId);
    throw new MemdedupError('VERSION_CONFLICT', `user version kept moving for ${batch.length} candidates`);
  }
  if (!outcome.result) return erased;
  outcome.result.state.version++;
  const out = outcome.result.decisions;
  for (const [id, d] of erased) out.set(id, d);
  return out;
}

/**
 * Decides one batch, in submission order, against the user's cached state (in-batch candidates see each other):
 * the plan to commit and its decisions. The cached state is changed as if the commit lands; when it does not, the
 * caller invalidates it (commitBatch does).
 */
export async function decideBatch(deps: BatchDeps, userId: string, batch: Candidate[], mode: BatchMode): Promise<BatchPlan> {
  const { store, deduper, cache } = deps;
  const now = (deps.now ?? Date.now)();
  const decisions = new Map<string, Decision>();
  // Replays: an id that already has an event gets that decision back, never a second event.
  const prior = await store.eventsForCandidates([...new Set(batch.map((c) => c.id))]);
  for (const e of prior) decisions.set(e.candidateId!, eventToDecision(e));
  const fresh: Candidate[] = [];
  const seen = new Set(decisions.keys());
  for (const c of batch) if (!seen.has(c.id)) { seen.add(c.id); fresh.push(c); }

  const state = await cache.load(userId);
  const exactOnly = mode !== 'full';
  // Once per batch: a batch is one user's, and the user's policy is what decides all of it.
  const policy = deps.policyFor?.(userId);
  const decideOpts = policy ? { exactOnly, thresholds: policy.thresholds } : { exactOnly };
  // The exact tier needs only the normalized key, so the fallback paths never call a provider
  // (an embedder outage is exactly when they run).
  const prepared = exactOnly ? fresh.map((c) => prepareLexical(c.text)) : await deduper.prepare(fresh.map((c) => c.text));
  const changed = new Map<string, Memory>();
  const vectors = new Map<string, MemoryVector>();
  const events: MemdedupEvent[] = [];
  try {
    for (let i = 0; i < fresh.length; i++) {
      const c = fresh[i]!;
      const p = prepared[i]!;
      const v: Verdict = await deduper.decide(p, state.index, decideOpts);
      const event: MemdedupEvent = {
        id: newId(), userId, candidateId: c.id, action: mode === 'fallback' ? 'fallback' : v.action, memoryId: null,
        comparedMemoryId: v.memoryId ?? null, comparedText: v.comparedText ?? null, candidateText: c.text, previousText: null,
        method: v.method, score: v.score, reasons: mode === 'full' ? v.reasons : [...v.reasons, mode === 'fallback' ? 'breaker-open' : 'realtime-dedup-off'],
        undoes: null, undoneBy: null, policy: policy?.name ?? 'default', at: now,
      };
      const put = (m: Memory) => { changed.set(m.id, m); if (m.status === 'active') state.memories.set(m.id, m); else state.memories.delete(m.id); };
      const target = v.memoryId ? state.memories.get(v.memoryId) : undefined;
      if (v.action === 'duplicate' && target) {
        put({ ...target, seenCount: target.seenCount + 1, version: target.version + 1, updatedAt: now,
          sources: c.source && !target.sources.includes(c.source) ? [...target.sources, c.source] : target.sources });
        event.memoryId = target.id;
      } else if (v.action === 'updated' && target) {
        event.previousText = target.text;
        // The old text's frame goes with it; the new one is written when it was analysed (it was compared).
        const { analysis: _old, ...kept } = target;
        put({ ...kept, ...analysed(p), text: c.text, seenCount: target.seenCount + 1, version: target.version + 1, updatedAt: now,
          sources: c.source && !target.sources.includes(c.source) ? [...target.sources, c.source] : target.sources });
        state.index.add(target.id, p);
        keepVector(vectors, target.id, p);
        event.memoryId = target.id;
      } else {
        if (v.action === 'superseded' && target) {
          put({ ...target, status: 'superseded', version: target.version + 1, updatedAt: now });
          state.index.remove(target.id);
        } else if (v.action !== 'added') {
          event.action = mode === 'fallback' ? 'fallback' : 'added';
        }
        const m: Memory = { id: newId(), userId, text: c.text, ...analysed(p), status: 'active', version: 1, seenCount: 1,
          // A tier that was skipped (a provider down: reasons '…-fallback') leaves the memory for the sweep too.
          needsRecheck: mode !== 'full' || v.reasons.some((r) => r.endsWith('-fallback')), sources: c.source ? [c.source] : [], createdAt: now, updatedAt: now };
        put(m);
        state.index.add(m.id, p);
        keepVector(vectors, m.id, p);
        event.memoryId = m.id;
      }
      events.push(event);
      decisions.set(c.id, eventToDecision(event));
    }
    const commit: BatchCommit = { userId, expectedVersion: state.version, memories: [...changed.values()], events,
      journalIds: [...new Set(batch.map((c) => c.id))], readAt: state.readAt,
      candidates: batch.map((c) => ({ id: c.id, acceptedAt: c.acceptedAt })), vectors };
    return { commit, result: { decisions, state } };
  } catch (e) {
    // The cached state was mutated for a batch that did not commit.
    cache.invalidate(userId);
    throw e;
  }
}

/** The provider vector of a text a memory now has, kept with it so a cold load need not embed it again. */
function keepVector(out: Map<string, MemoryVector>, memoryId: string, p: { dense?: Float32Array; model?: string }): void {
  if (p.dense && p.model) out.set(memoryId, { model: p.model, vector: p.dense });
  else out.delete(memoryId);
}
