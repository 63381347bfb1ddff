// Tombstones: the durable record of an erasure. Shared by every store, so both make the same decision.
//
// A tombstone is SHA-256(userId) plus the erase time, written in the erase's own transaction; the user id
// itself is never stored. Every batch and sweep commit, in every process, reads the user's tombstone inside
// its own transaction (under the same per-user lock as the erase) and is refused when
//   - a candidate of the batch was accepted at or before the erase time (it belongs to the erased past:
//     its journal row is removed in that same transaction and it is decided `disabled`, `user-erased`), or
//   - the user state the batch was decided against was read at or before the erase time (a cache from
//     before the erase: the caller reloads and decides again; candidates accepted later start from nothing).
// Tombstones expire (`tombstoneTtlMs`, default 24 h) and a periodic job deletes the expired ones.
import { createHash } from 'node:crypto';
import type { Candidate, Decision } from '../types.js';

/** How long a tombstone is kept. It must outlast the longest a candidate can wait between accept and commit. */
export const DEFAULT_TOMBSTONE_TTL_MS = 24 * 3_600_000;

/** The tombstone's key: the user id's SHA-256, hex. */
export function tombstoneKey(userId: string): string {
  return createHash('sha256').update(userId, 'utf8').digest('hex');
}

/** What a commit tells the store for the tombstone check. */
export interface ErasureCheck {
  /** When the user state the commit was decided against was read (epoch ms). */
  readAt?: number;
  /** The candidates the commit decides, with their accept times. */
  candidates?: { id: string; acceptedAt: number }[];
}

/** The verdict of the tombstone check: null when the commit may go on. `dropped` are the candidates erased. */
export function checkTombstone(erasedAt: number | undefined, b: ErasureCheck): { erasedAt: number; dropped: string[] } | null {
  if (erasedAt === undefined) return null;
  const dropped = (b.candidates ?? []).filter((c) => c.acceptedAt <= erasedAt).map((c) => c.id);
  if (dropped.length === 0 && (b.readAt === undefined || b.readAt > erasedAt)) return null;
  return { erasedAt, dropped };
}

/** The earliest erase time that refuses the commit (a tombstone at or after it does); null when none can. */
export function refusedSince(b: ErasureCheck): number | null {
  let since = b.readAt ?? Infinity;
  for (const c of b.candidates ?? []) if (c.acceptedAt < since) since = c.acceptedAt;
  return since === Infinity ? null : since;
}

/**
 * Thrown by `Store.commit` when the user was erased after the batch's candidates were accepted or its state read.
 * Nothing of the batch was written, except that the journal rows of `dropped` were removed.
 */
export class UserErasedError extends Error {
  constructor(readonly erasedAt: number, readonly dropped: string[]) {
    super(`user erased at ${erasedAt}: ${dropped.length} candidates accepted before it dropped`);
    this.name = 'UserErasedError';
  }
}

/** The decision of a candidate accepted before its user was erased. */
export function erasedDecision(c: Pick<Candidate, 'id' | 'userId'>): Decision {
  return { candidateId: c.id, userId: c.userId, action: 'disabled', reasons: ['user-erased'] };
}
