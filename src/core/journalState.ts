// What a core holds in memory for each candidate between its arrival and its decision: the in-memory half of
// the journal. The store's journal rows are the durable half; this map says where each row is right now.
//
// States (a candidate is in exactly one; it leaves the map when decided, rejected, or at close):
//
//   buffered ──(group commit durable)──> queued ──(decided)──> gone
//       │                                  │  ▲
//       └──(store refused the row)──> gone │  └──(due again: journal poll, local retry)──┐
//                                          └──(failed, deferred, fallback 'defer')──> retry
//
// - buffered: handed to the group commit, not durable yet. Only submissions pass here; claimed rows are durable.
// - queued:   durable, waiting in (or running in) its user's lane.
// - retry:    durable, waiting for its next attempt: the journal row's not_before, or a local retry time
//             (`retryAt`) when the journal could not record the attempt (store down).
//
// `claimed` marks rows this core took from the journal rather than from a submission (a restart, another
// process's expired lease): the host that owns the promises never heard of them.
import { ShardedMap } from '../intake/shardedMap.js';
import type { Candidate } from '../types.js';

export type JournalEntryState = 'buffered' | 'queued' | 'retry';

export interface JournalEntry {
  candidate: Candidate;
  state: JournalEntryState;
  /** Set when a retry could not be written to the journal (store down): re-queued from memory at this time. */
  retryAt?: number;
  claimed?: boolean;
}

export class JournalState {
  private readonly entries = new ShardedMap<JournalEntry>();
  private retrying = 0;
  private claimedCount = 0;

  get size(): number { return this.entries.size; }
  /** Entries in state retry. */
  get retries(): number { return this.retrying; }
  /** Entries taken from the journal, not submitted here. */
  get claimed(): number { return this.claimedCount; }

  get(id: string): JournalEntry | undefined { return this.entries.get(id); }
  has(id: string): boolean { return this.entries.has(id); }

  add(c: Candidate, state: JournalEntryState, claimed = false): JournalEntry {
    const e: JournalEntry = { candidate: c, state };
    if (claimed) { e.claimed = true; this.claimedCount++; }
    if (state === 'retry') this.retrying++;
    this.entries.set(c.id, e);
    return e;
  }

  /** Moves an entry to `state`; the candidate may come back changed (attempts, a row read again from the journal). */
  move(e: JournalEntry, state: JournalEntryState, candidate?: Candidate): void {
    if (e.state === 'retry') this.retrying--;
    if (state === 'retry') this.retrying++;
    e.state = state;
    if (candidate) e.candidate = candidate;
  }

  delete(id: string): JournalEntry | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    this.entries.delete(id);
    if (e.state === 'retry') this.retrying--;
    if (e.claimed) this.claimedCount--;
    return e;
  }

  values(): IterableIterator<JournalEntry> { return this.entries.values(); }
  ids(): IterableIterator<string> { return this.entries.keys(); }

  clear(): void {
    this.entries.clear();
    this.retrying = 0;
    this.claimedCount = 0;
  }
}
