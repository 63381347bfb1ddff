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
import { setTimeout as sleep } from 'node:timers/promises';
import { coerceError } from '../errors.js';
import { recheckUser, type RecheckCounts } from '../dedup/recheck.js';
import type { Deduper } from '../dedup/types.js';
import type { EngineEvents } from '../engineEvents.js';
import type { Store } from '../store/types.js';
import type { Memory } from '../types.js';

export const SWEEP_CURSOR_KEY = 'sweep.cursor';

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
}

const VERSION_RETRIES = 5;

export class Sweeper {
  private chain: Promise<unknown> = Promise.resolve();
  private backgroundQueued = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly o: SweeperOptions) {}

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
    const persist = !o.userId;
    const total = o.onProgress ? await this.count(o.userId) : undefined;
    let cursor = o.resume && persist ? (await this.o.store.getMeta(SWEEP_CURSOR_KEY)) || undefined : undefined;
    for (;;) {
      if (this.stopped || !this.o.providersUp()) break;
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

  private async recheck(userId: string, ids: string[]): Promise<RecheckCounts | null> {
    for (let i = 0; i < VERSION_RETRIES; i++) {
      try {
        const counts = await recheckUser({ store: this.o.store, deduper: this.o.deduper }, userId, ids);
        if (counts) {
          if (counts.checked) this.o.onCommitted(userId);
          return counts;
        }
      } catch (e) {
        // A provider or store failure: leave these flagged for a later pass.
        this.fail(e);
        return null;
      }
    }
    return null;
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
