// The erasure fence: once a user is erased, candidates of theirs accepted before the erase must never be
// decided, or a batch in a lane (or a journal row claimed just before the delete) would write rows again.
//
// For each recently erased user it remembers when the erase began; a lane batch drops candidates accepted
// at or before that time. Entries expire after `ttlMs` (by then no claim or batch from before the erase
// can still be running) and the map is capped, so erasing many users does not grow memory without bound.
import type { Candidate } from '../types.js';

export class Erasures {
  private readonly erasedAt = new Map<string, number>();

  constructor(private readonly ttlMs = 10 * 60_000, private readonly cap = 100_000) {}

  get size(): number { return this.erasedAt.size; }

  /** Starts fencing the user's candidates accepted up to now; returns the fence time (epoch ms). */
  begin(userId: string, now = Date.now()): number {
    this.erasedAt.delete(userId);
    this.erasedAt.set(userId, now);
    this.prune(now);
    return now;
  }

  /** True when the candidate was accepted before its user was erased. */
  fenced(c: Candidate): boolean {
    const at = this.erasedAt.get(c.userId);
    return at !== undefined && c.acceptedAt <= at;
  }

  /** Splits a batch into what may be decided and what was erased. */
  split(batch: Candidate[]): { keep: Candidate[]; erased: Candidate[] } {
    if (this.erasedAt.size === 0) return { keep: batch, erased: [] };
    const keep: Candidate[] = [];
    const erased: Candidate[] = [];
    for (const c of batch) (this.fenced(c) ? erased : keep).push(c);
    return { keep, erased };
  }

  private prune(now: number): void {
    // Insertion order is erase order, so the oldest entries come first.
    for (const [userId, at] of this.erasedAt) {
      if (this.erasedAt.size <= this.cap && now - at < this.ttlMs) break;
      this.erasedAt.delete(userId);
    }
  }
}
