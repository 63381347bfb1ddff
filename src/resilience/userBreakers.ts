// Per-user circuit breakers (opossum), bounded in number, heap and timers.
//
// A breaker is in one of three states (opossum's):
//   closed   – batches run; `failures` consecutive failed batches open it (we count, then call open());
//   open     – batches are rejected at once (EOPENBREAKER, no Error from the batch, no I/O) and go to the
//              fallback; after `resetTimeoutMs` opossum moves it to halfOpen (one unref'd setTimeout);
//   halfOpen – the next batch is a trial: success closes it, a counted failure opens it again.
//
// Why we count consecutive failures ourselves: opossum opens on an error *percentage* over a rolling
// window (volumeThreshold + errorThresholdPercentage). "Open after 5 failures" maps onto that only
// approximately, and a busy user with many successes would never open. So opossum's own threshold is
// put out of reach (volumeThreshold = MAX_SAFE_INTEGER, only used while closed) and a success resets
// our counter. Its halfOpen rule (any counted failure re-opens) is used as is.
//
// Bounds: at most `maxLive` breakers live in an LRU. Only breakers that are not open and have no batch
// in flight are evicted (shutdown() on each); a user whose breaker is evicted simply gets a fresh closed
// one next time. If all candidates for eviction are open, a new user runs unguarded rather than growing
// the map. Rolling stats are cheap: no snapshots, no percentiles, one bucket, and the bucket rotation
// of every breaker is driven by ONE shared interval (opossum's rotateBucketController), so a breaker
// owns no interval timer at all — only the reset timeout while it is open.
import CircuitBreaker from 'opossum';
import type { EventEmitter } from 'node:events';

export type BreakerState = 'closed' | 'open' | 'halfOpen';

export interface UserBreakersOptions {
  /** Consecutive failed batches that open a user's breaker. */
  failures: number;
  resetTimeoutMs: number;
  maxLive: number;
  /** Whether an error is the user's fault (counts toward opening). Provider and store errors are not. */
  countsAsFailure: (e: unknown) => boolean;
  onTransition?: (userId: string, state: BreakerState) => void;
  /** How often the shared rolling-stats bucket rotates. @default 10_000 */
  rollingMs?: number;
}

/** Thrown (fast) when a user's breaker is open: the batch never ran. */
export class UserBreakerOpenError extends Error {
  readonly code = 'USER_BREAKER_OPEN';
  constructor(readonly userId: string, readonly retryAt: number) {
    super(`circuit breaker of user ${userId} is open`);
    this.name = 'UserBreakerOpenError';
  }
}

interface Entry {
  breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  state: BreakerState;
  /** Consecutive counted failures while closed. */
  failures: number;
  /** Batches in flight through this breaker. */
  busy: number;
  openedAt: number;
  /** The rejection handed out while open; made once per opening. */
  openError?: UserBreakerOpenError;
}

/** Entries looked at from the LRU head per admission; open ones met there move to the tail. */
const EVICT_SCAN = 32;

const run = (fn: () => Promise<unknown>) => fn();

/**
 * The shared bucket-rotation signal. opossum only calls on/removeListener/listenerCount on it; an
 * EventEmitter does those in O(listeners), which with thousands of breakers shows up in profiles,
 * so a Set does them in O(1).
 */
class Rotation {
  private readonly fns = new Set<() => void>();
  on(_name: unknown, fn: () => void): this { this.fns.add(fn); return this; }
  removeListener(_name: unknown, fn: () => void): this { this.fns.delete(fn); return this; }
  listenerCount(_name: unknown, fn?: () => void): number { return fn ? (this.fns.has(fn) ? 1 : 0) : this.fns.size; }
  emit(): void { for (const fn of this.fns) fn(); }
}

export class UserBreakers {
  private readonly entries = new Map<string, Entry>();
  private readonly rotation = new Rotation();
  private readonly rotateTimer: NodeJS.Timeout;
  private openCount = 0;
  private stopped = false;
  /** Breakers created and shut down, since start (for tests and status). */
  created = 0;
  evicted = 0;

  constructor(private readonly o: UserBreakersOptions) {
    this.rotateTimer = setInterval(() => this.rotation.emit(), o.rollingMs ?? 10_000);
    this.rotateTimer.unref();
  }

  get live(): number { return this.entries.size; }
  get open(): number { return this.openCount; }

  state(userId: string): BreakerState | undefined { return this.entries.get(userId)?.state; }

  /** When an open breaker goes half-open (epoch ms), else undefined. */
  retryAt(userId: string): number | undefined {
    const e = this.entries.get(userId);
    return e && e.state === 'open' ? e.openedAt + this.o.resetTimeoutMs : undefined;
  }

  /**
   * Runs `action` through the user's breaker. Rejects with UserBreakerOpenError without running it
   * when the breaker is open; otherwise settles as `action` does, counting the outcome.
   */
  async guard<T>(userId: string, action: () => Promise<T>): Promise<T> {
    const entry = this.stopped ? undefined : this.entry(userId);
    if (!entry) return action();
    // Fast fail: while open, reject with the error made once at opening, before opossum's fire() (which
    // would allocate a fresh Error with a stack trace per rejection). Same outcome, a few µs less.
    if (entry.openError && entry.breaker.opened) throw entry.openError;
    let ran = false;
    entry.busy++;
    try {
      const out = await entry.breaker.fire(() => { ran = true; return action(); });
      if (entry.state === 'closed') entry.failures = 0;
      return out as T;
    } catch (e) {
      if (!ran) throw new UserBreakerOpenError(userId, entry.openedAt + this.o.resetTimeoutMs);
      if (this.o.countsAsFailure(e) && entry.state === 'closed' && ++entry.failures >= this.o.failures) entry.breaker.open();
      throw e;
    } finally {
      entry.busy--;
    }
  }

  private entry(userId: string): Entry | undefined {
    const found = this.entries.get(userId);
    if (found) {
      // LRU touch: Map keeps insertion order.
      this.entries.delete(userId);
      this.entries.set(userId, found);
      return found;
    }
    if (this.entries.size >= this.o.maxLive && !this.evictOne()) return undefined;
    const entry = this.create(userId);
    this.entries.set(userId, entry);
    return entry;
  }

  private create(userId: string): Entry {
    const breaker = new CircuitBreaker(run, {
      name: userId,
      timeout: false,
      resetTimeout: this.o.resetTimeoutMs,
      volumeThreshold: Number.MAX_SAFE_INTEGER,
      errorThresholdPercentage: 100,
      errorFilter: (e: unknown) => !this.o.countsAsFailure(e),
      rollingCountBuckets: 1,
      rollingCountTimeout: this.o.rollingMs ?? 10_000,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      rotateBucketController: this.rotation as unknown as EventEmitter,
    });
    const entry: Entry = { breaker, state: 'closed', failures: 0, busy: 0, openedAt: 0 };
    const to = (state: BreakerState) => () => {
      if (entry.state === 'open') this.openCount--;
      if (state === 'open') {
        this.openCount++;
        entry.openedAt = Date.now();
        entry.openError = new UserBreakerOpenError(userId, entry.openedAt + this.o.resetTimeoutMs);
      }
      if (state === 'closed') entry.failures = 0;
      entry.state = state;
      this.o.onTransition?.(userId, state);
    };
    breaker.on('open', to('open'));
    breaker.on('halfOpen', to('halfOpen'));
    breaker.on('close', to('closed'));
    this.created++;
    return entry;
  }

  private evictOne(): boolean {
    let scanned = 0;
    const stuck: [string, Entry][] = [];
    let done = false;
    for (const [id, e] of this.entries) {
      if (scanned++ >= EVICT_SCAN) break;
      if (e.busy === 0 && e.state !== 'open') {
        this.drop(id, e);
        done = true;
        break;
      }
      stuck.push([id, e]);
    }
    // Open or busy breakers met at the head go to the tail, so the next scan starts past them.
    for (const [id, e] of stuck) { this.entries.delete(id); this.entries.set(id, e); }
    return done;
  }

  private drop(id: string, e: Entry): void {
    if (e.state === 'open') this.openCount--;
    e.breaker.shutdown();
    this.entries.delete(id);
    this.evicted++;
  }

  /** Erasure: drops the user's breaker (it is named after the user); a later batch gets a fresh closed one. */
  forget(userId: string): void {
    const e = this.entries.get(userId);
    if (!e || e.busy > 0) return;
    if (e.state === 'open') this.openCount--;
    e.breaker.shutdown();
    this.entries.delete(userId);
  }

  /** Shuts every breaker down and stops the shared rotation. Idempotent. */
  shutdown(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.rotateTimer);
    for (const [id, e] of this.entries) this.drop(id, e);
    this.openCount = 0;
  }
}
