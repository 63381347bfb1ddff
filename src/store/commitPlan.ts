// A plan and its commit: what one batch, one sweep slice or one operator action writes for a user, and the one
// loop that commits it under the user version.
//
// Every writer of a user's memories decides against a state it read (a cached index, a snapshot, a version) and
// commits only if nobody moved the user version meanwhile (no lost update). When somebody did, the decision may
// no longer hold, so the writer must read again and decide again: that loop lives here and nowhere else, so the
// bound, the wait after an erasure and what a caller learns when the bound is hit are the same for all of them.
// The planner owns the reading (it knows where its state comes from: the index cache, a snapshot, the version);
// this file owns the retrying.
import { setTimeout as sleep } from 'node:timers/promises';
import type { MemdedupEvent, Memory } from '../types.js';
import { UserErasedError, type ErasureCheck } from './tombstones.js';
import type { MemoryVector, Store } from './types.js';

/**
 * Everything one batch of a user changes, committed in ONE transaction. `readAt` and `candidates` (ErasureCheck)
 * are checked against the user's tombstone in that transaction: see src/store/tombstones.ts.
 */
export interface BatchCommit extends ErasureCheck {
  userId: string;
  /** The user version the batch was decided against; the commit fails if it moved (no lost update). */
  expectedVersion: number;
  /** Rows to insert or replace, by id. */
  memories: Memory[];
  events: MemdedupEvent[];
  /** Events whose `undoneBy` is set by this batch (undo). */
  undone?: { eventId: string; undoneBy: string }[];
  /** Journal rows removed because their event commits here. */
  journalIds: string[];
  /**
   * Provider vectors of memories in `memories`, by memory id. A memory written without one keeps its stored vector
   * when its text is unchanged and loses it when the text changed (the vector was of the old text).
   */
  vectors?: Map<string, MemoryVector>;
}

/** A planner's answer: the commit to try, and what the caller gets once it landed. No commit: nothing to write. */
export interface Plan<T> {
  commit?: BatchCommit;
  result: T;
}

/** Why the previous plan was not written. */
export type Refusal =
  | { reason: 'version' }
  /** The user's tombstone refused it: candidates accepted before `error.erasedAt` are gone (their journal rows too). */
  | { reason: 'erased'; error: UserErasedError };

export interface PlanContext {
  /** 1 for the first plan, 2 for the first re-plan, … */
  attempt: number;
  /** Absent on the first plan; on a re-plan, why the previous one was refused (read again before deciding again). */
  refused?: Refusal;
}

export type Planner<T> = (ctx: PlanContext) => Promise<Plan<T>>;

export interface CommitPlanOptions<T> {
  /** Commits tried in all, the first included, before the outcome says `ok: false` (at least 1). */
  maxAttempts: number;
  /** Each refused plan, before the re-plan (a sweep reports the memories it checked as not committed). */
  onRefused?: (plan: Plan<T>, refusal: Refusal) => void;
}

export type CommitOutcome<T> =
  /** `written` is false when the last plan had nothing to write. */
  | { ok: true; result: T; attempts: number; written: boolean }
  /** The bound was hit: every one of `attempts` plans was refused, the last for `refused`. Nothing was written. */
  | { ok: false; attempts: number; refused: Refusal };

/**
 * Plans, commits, and on a refusal (the user version moved, or the user was erased since the state was read)
 * plans again, up to `maxAttempts` commits. After an erasure it first waits for the clock to pass the erase time:
 * a state read in the erase's millisecond counts as read before it, so a re-read in that millisecond would be
 * refused again. Store errors other than a refusal (a fault, a poison row) are thrown as they are: they are
 * the caller's to classify (src/resilience/retry.ts).
 */
export async function commitPlan<T>(store: Pick<Store, 'commit'>, plan: Planner<T>, o: CommitPlanOptions<T>): Promise<CommitOutcome<T>> {
  if (!(o.maxAttempts >= 1)) throw new RangeError(`commitPlan: maxAttempts must be at least 1, got ${o.maxAttempts}`);
  let refused: Refusal | undefined;
  for (let attempt = 1; attempt <= o.maxAttempts; attempt++) {
    const p = await plan(refused ? { attempt, refused } : { attempt });
    if (!p.commit) return { ok: true, result: p.result, attempts: attempt, written: false };
    try {
      if (await store.commit(p.commit)) return { ok: true, result: p.result, attempts: attempt, written: true };
      refused = { reason: 'version' };
    } catch (e) {
      if (!(e instanceof UserErasedError)) throw e;
      refused = { reason: 'erased', error: e };
    }
    o.onRefused?.(p, refused);
    if (refused.reason === 'erased' && attempt < o.maxAttempts) while (Date.now() <= refused.error.erasedAt) await sleep(1);
  }
  return { ok: false, attempts: o.maxAttempts, refused: refused! };
}
