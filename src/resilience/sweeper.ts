// The sweep: re-dedups memories flagged `needsRecheck`, in small slices, one pass at a time.
//
// A pass walks the flagged memories by insertion order (the store's partial index), a slice at a time,
// grouped by user, each user's part one version-checked commit (dedup/recheck.ts). After every slice the
// cursor is stored in the store's meta table, so a background pass interrupted by a restart resumes where
// it stopped; the pass that reaches the end clears it. Newly flagged memories are always after the cursor
// (they are new rows), so a resumed pass misses nothing.
//
// It runs in the background when a breaker closes (user or provider: the memories that fell back can now
// get the full cascade), every `intervalMs` when something is flagged, at start when a cursor was left,
// and on demand (engine.sweep(), `memdedup sweep`). While a provider breaker is open a pass stops early
// (it would only compare lexically again); users whose breaker is open are skipped until the next pass.
//
// Across processes sharing a store, the cursor is leased (Store.takeLease, SWEEP_LEASE): a full pass runs only
// while its process holds the lease, renewed every ttl/3, so at most one process sweeps at a time. A
// background pass that finds the lease taken does nothing (the holder is sweeping); an on-demand pass waits for
// it. A holder that dies stops renewing; once the lease ran out the next pass of any process takes over from
// the stored cursor. A pass that finds it lost the lease (a stall longer than the lease) stops after its slice.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { coerceError } from '../errors.js';
import type { BatchPolicy } from '../dedup/decideBatch.js';
import { recheckUser, type RecheckCounts } from '../dedup/recheck.js';
import type { Deduper } from '../dedup/types.js';
import type { EngineEvents } from '../engineEvents.js';
import type { Store } from '../store/types.js';
import type { Memory } from '../types.js';

export const SWEEP_CURSOR_KEY = 'sweep.cursor';
/** The lease that makes one process at a time walk the cursor. */
export const SWEEP_LEASE = 'sweep';

export interface SweepResult extends RecheckCounts {
  /** Flagged memories left for a later pass (user breaker open, provider down, store trouble, closing). */
  skipped: number;
}

export interface SweepProgress extends SweepResult { total?: number }

export interface SweepOptions {
  /** Only this user's memories (such a pass stores no cursor). */
  userId?: string;
  onProgress?: (p: SweepProgress) => void;
}

export interface SweeperOptions {
  store: Store;
  deduper: Deduper;
  /** The user's dedup policy: a recheck decides with the thresholds a live batch would. */
  policyFor?: (userId: string) => BatchPolicy;
  events: EngineEvents;
  /** Where a failed sweep goes (the engine sends store faults to StoreHealth, coalesced). @default an `error` event */
  onError?: (stage: 'sweep', error: Error) => void;
  /** False while a provider breaker is open. */
  providersUp: () => boolean;
  /** True while the user's breaker is open. */
  userBlocked: (userId: string) => boolean;
  onCommitted: (userId: string) => void;
  sliceSize?: number;
  /** Pause between background slices, so the sweep never competes hard with live batches. */
  slicePauseMs?: number;
  /** Background check for flagged memories. @default 60_000 */
  intervalMs?: number;
  /** Who holds the sweep lease, and for how long it holds without renewal. @default a random owner, 60 s */
  lease?: { owner: string; ttlMs: number };
}

export class Sweeper {
  private chain: Promise<unknown> = Promise.resolve();
  private backgroundQueued = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly lease: { owner: string; ttlMs: number };

  constructor(private readonly o: SweeperOptions) {
    this.lease = o.lease ?? { owner: randomUUID(), ttlMs: 60_000 };
  }

  /** Starts background sweeping: resumes a pass left by a previous process, then checks periodically. */
  start(): void {
    this.timer = setInterval(() => this.kick(), this.o.intervalMs ?? 60_000);
    this.timer.unref();
    void this.o.store.getMeta(SWEEP_CURSOR_KEY).then((c) => { if (c) this.kick(); }, () => undefined);
  }

  /** Queues one background pass (resuming from the stored cursor), unless one is queued already. */
  kick(): void {
    if (this.stopped || this.backgroundQueued) return;
    this.resume().catch((e) => this.fail(e));
  }

  /** A background pass: continues from the stored cursor (a pass a previous process left), else from the start. */
  resume(): Promise<SweepResult | undefined> {
    this.backgroundQueued = true;
    return this.enqueue(async () => {
      this.backgroundQueued = false;
      if (this.stopped || !(await this.o.store.needsRecheck(1)).items.length) return undefined;
      return this.pass({ resume: true, pauseMs: this.o.slicePauseMs ?? 10 });
    });
  }

  /** One full pass on demand (after any pass in progress). */
  sweep(opts: SweepOptions = {}): Promise<SweepResult> {
    return this.enqueue(() => this.pass({ ...opts, resume: false, pauseMs: 0 }));
  }

  /** Flagged memories now (for a progress bar). */
  async count(userId?: string): Promise<number> {
    let n = 0;
    let cursor: string | undefined;
    do {
      const page = await this.o.store.needsRecheck(1000, cursor, userId);
      n += page.items.length;
      cursor = page.cursor;
    } while (cursor);
    return n;
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async pass(o: SweepOptions & { resume: boolean; pauseMs: number }): Promise<SweepResult> {
    const res: SweepResult = { checked: 0, merged: 0, superseded: 0, skipped: 0 };
    // A one-user pass stores no cursor and needs no lease; a full pass walks the shared cursor and does.
    const persist = !o.userId;
    if (!persist) return this.walk(o, () => true, res);
    if (!(await this.takeLease(!o.resume))) return res;
    // Renewed on a timer while the pass runs (a slice may outlast the lease: a slow provider, a busy host);
    // a renewal that fails means a peer took over, and the pass stops after its slice.
    let held = true;
    const renew = setInterval(() => {
      this.o.store.takeLease(SWEEP_LEASE, this.lease.owner, this.lease.ttlMs).then((ok) => { if (!ok) held = false; }, () => undefined);
    }, Math.max(10, Math.floor(this.lease.ttlMs / 3)));
    renew.unref();
    try {
      return await this.walk(o, () => held, res);
    } finally {
      clearInterval(renew);
      await this.o.store.dropLease(SWEEP_LEASE, this.lease.owner).catch(() => undefined);
    }
  }

  /** Takes the sweep lease; with `wait`, polls until the holder gives it up or it runs out (or the sweeper stops). */
  private async takeLease(wait: boolean): Promise<boolean> {
    const poll = Math.max(20, Math.min(1000, Math.floor(this.lease.ttlMs / 4)));
    for (;;) {
      if (this.stopped) return false;
      if (await this.o.store.takeLease(SWEEP_LEASE, this.lease.owner, this.lease.ttlMs)) return true;
      if (!wait) return false;
      await sleep(poll);
    }
  }

  private async walk(o: SweepOptions & { resume: boolean; pauseMs: number }, held: () => boolean, res: SweepResult): Promise<SweepResult> {
    const persist = !o.userId;
    const total = o.onProgress ? await this.count(o.userId) : undefined;
    let cursor = o.resume && persist ? (await this.o.store.getMeta(SWEEP_CURSOR_KEY)) || undefined : undefined;
    for (;;) {
      if (this.stopped || !this.o.providersUp()) break;
      // Lost (we stalled past the lease and a peer took over): leave the rest to that peer.
      if (!held()) break;
      const page = await this.o.store.needsRecheck(this.o.sliceSize ?? 100, cursor, o.userId);
      if (page.items.length === 0) { cursor = undefined; break; }
      for (const [userId, ids] of byUser(page.items)) {
        if (this.stopped || this.o.userBlocked(userId)) { res.skipped += ids.length; continue; }
        const counts = await this.recheck(userId, ids);
        if (!counts) { res.skipped += ids.length; continue; }
        res.checked += counts.checked;
        res.merged += counts.merged;
        res.superseded += counts.superseded;
      }
      o.onProgress?.({ ...res, total });
      cursor = page.cursor;
      if (persist) await this.o.store.setMeta(SWEEP_CURSOR_KEY, cursor ?? '');
      if (!cursor) break;
      await sleep(o.pauseMs);
    }
    return res;
  }

  private fail(e: unknown): void {
    const error = coerceError(e);
    if (this.o.onError) this.o.onError('sweep', error);
    else this.o.events.safeEmit('error', { stage: 'sweep', error });
  }

  /** The user's slice, re-decided by recheckUser while other writers move the user version; null: left flagged. */
  private async recheck(userId: string, ids: string[]): Promise<RecheckCounts | null> {
    try {
      const counts = await recheckUser({ store: this.o.store, deduper: this.o.deduper, policyFor: this.o.policyFor,
        onChecked: (checked, committed) => this.o.events.safeEmit('recheck', { userId, ids: checked, committed }) }, userId, ids);
      if (counts?.checked) this.o.onCommitted(userId);
      return counts;
    } catch (e) {
      // A provider or store failure: leave these flagged for a later pass.
      this.fail(e);
      return null;
    }
  }

  /** Stops background sweeping; resolves once the slice in progress is done. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.chain;
  }
}

function byUser(items: Memory[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of items) {
    const ids = out.get(m.userId);
    if (ids) ids.push(m.id); else out.set(m.userId, [m.id]);
  }
  return out;
}
