// The host's side of every submission between submit() and its decision: what `accepted` and `decided`
// resolve from. The deciding itself may run in this thread or in a worker (src/core/backend.ts); either way
// its answers arrive here, by candidate id.
//
// Light on purpose (a chat server submits millions and usually never reads the promises):
// - one small record per candidate in flight, and none once it is decided;
// - the promises are made only when the host reads `accepted` or `decided`; an answer that came first is kept
//   on the record and the promise is made resolved;
// - no candidate objects: inline, the core holds them; for a worker, the host keeps the JSON text of what it posted
//   (one string per worker per tick, `PostedBatch`) until every candidate in it is durable, so a worker that dies
//   before its group commit loses nothing. After that the journal holds them.
import type { Acceptance, Candidate, Decision, Submission } from '../types.js';
import { ShardedMap } from './shardedMap.js';

export const DURABLE: Acceptance = Object.freeze({ durable: true });
const NOT_ACCEPTED: Acceptance = Object.freeze({ durable: false });

/** Candidates posted to a worker in one message, kept as their JSON text until all are durable (or answered). */
export interface PostedBatch {
  readonly json: string;
  /** Candidates of the batch not durable yet. */
  left: number;
  /** Called once `left` reaches 0. */
  done(): void;
}

/** One candidate in flight, as the host sees it. */
export interface Pending {
  readonly id: string;
  readonly userId: string;
  /** Until durable, in worker mode: the posted batch that holds it. */
  batch?: PostedBatch;
  /** The answers, once known. */
  acceptance?: Acceptance;
  decision?: Decision;
  /** Made on first read only. */
  acceptedPromise?: Promise<Acceptance>;
  decidedPromise?: Promise<Decision>;
  resolveAccepted?: (a: Acceptance) => void;
  resolveDecided?: (d: Decision) => void;
}

/** A Submission whose promises are made when read. */
class LazySubmission implements Submission {
  readonly status = 'accepted' as const;
  constructor(private readonly p: Pending) {}
  get id(): string { return this.p.id; }
  get accepted(): Promise<Acceptance> {
    const p = this.p;
    if (!p.acceptedPromise) {
      p.acceptedPromise = p.acceptance ? Promise.resolve(p.acceptance) : new Promise((r) => { p.resolveAccepted = r; });
    }
    return p.acceptedPromise;
  }
  get decided(): Promise<Decision> {
    const p = this.p;
    if (!p.decidedPromise) {
      p.decidedPromise = p.decision ? Promise.resolve(p.decision) : new Promise((r) => { p.resolveDecided = r; });
    }
    return p.decidedPromise;
  }
}

/** A submission answered at once (disabled by flag, overloaded): nothing becomes durable. */
export function settledSubmission(c: Candidate, status: Submission['status'], d: Decision): Submission {
  return { id: c.id, status, accepted: Promise.resolve(NOT_ACCEPTED), decided: Promise.resolve(d) };
}

/** The acceptance and decision of a candidate the store refused on its own at group commit: never retried. */
export function storeRejection(c: { id: string; userId: string }, message: string): { acceptance: Acceptance; decision: Decision } {
  const text = `the store refused this candidate: ${message}`;
  return {
    acceptance: { durable: false, error: { code: 'STORE_REJECTED', message: text } },
    decision: { candidateId: c.id, userId: c.userId, action: 'rejected', error: text, reasons: ['store-rejected'] },
  };
}

export class Submissions {
  private readonly pending = new ShardedMap<Pending>();

  get size(): number { return this.pending.size; }

  /** The submission of a candidate already in flight (same id), if any. */
  existing(id: string): Submission | undefined {
    const p = this.pending.get(id);
    return p ? new LazySubmission(p) : undefined;
  }

  add(c: Candidate): Submission {
    const p: Pending = { id: c.id, userId: c.userId };
    this.pending.set(c.id, p);
    return new LazySubmission(p);
  }

  /** Whether `id` is in flight and not durable yet; if so, `batch` now holds it (and counts it). */
  hold(id: string, batch: PostedBatch): boolean {
    const p = this.pending.get(id);
    if (!p || p.acceptance) return false;
    p.batch = batch;
    batch.left++;
    return true;
  }

  /** Whether `id` is in flight and not durable yet. */
  notDurable(id: string): boolean {
    const p = this.pending.get(id);
    return p !== undefined && p.acceptance === undefined;
  }

  private release(p: Pending): void {
    const b = p.batch;
    if (!b) return;
    p.batch = undefined;
    if (--b.left === 0) b.done();
  }

  /** The candidate is durable (once). */
  accepted(id: string): boolean {
    const p = this.pending.get(id);
    if (!p || p.acceptance) return false;
    this.release(p);
    p.acceptance = DURABLE;
    p.resolveAccepted?.(DURABLE);
    p.resolveAccepted = undefined;
    return true;
  }

  /** Answers both promises and forgets the candidate. Unknown ids (rows another worker or process took) are ignored. */
  decided(id: string, d: Decision, acceptance: Acceptance = DURABLE): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.release(p);
    if (!p.acceptance) { p.acceptance = acceptance; p.resolveAccepted?.(acceptance); }
    p.decision = d;
    p.resolveDecided?.(d);
    p.resolveAccepted = p.resolveDecided = undefined;
  }

  /** Ids of durable candidates still undecided, of these users. */
  durableIds(owns: (userId: string) => boolean = () => true): string[] {
    const out: string[] = [];
    for (const p of this.pending.values()) if (p.acceptance && owns(p.userId)) out.push(p.id);
    return out;
  }

  /** At close: everything still in flight is answered deferred; it stays in the journal. */
  closeAll(reason: string): void {
    for (const p of [...this.pending.values()]) this.decided(p.id, { candidateId: p.id, userId: p.userId, action: 'deferred', reasons: [reason] }, p.acceptance ?? NOT_ACCEPTED);
  }
}
