// Store health: one small state machine that every stage writing to the store reports to, so a failing store is
// waited for once, store-wide, instead of by every candidate on its own (and blamed on none of them).
//   healthy – the last write succeeded;
//   faulty  – a store fault (STORE_FAULTS) was seen and no write has succeeded since: stages wait on one jittered
//             backoff, and only one probe (a batch, a group commit) tries the store when it comes due;
//   stopped – the database is corrupt, or a fault stayed past its rule's stopAfterMs (read-only): the engine stops
//             deciding; only an operator (fix, then restart) brings it back. Sticky on purpose: a corrupt file
//             that answers one write is still corrupt.
// Kept free of engine types so it can move into a worker thread with the core (issue 18).
import { ErrorCoalescer } from './errorCoalescer.js';
import { backoffDelay, STORE_FAULTS, storeFault, type StoreFaultKind, type StoreFaultRule } from './retry.js';

export type StoreHealthState = 'healthy' | 'faulty' | 'stopped';

export interface StoreHealthSnapshot {
  state: StoreHealthState;
  /** The last fault seen in this episode (absent while healthy). */
  kind?: StoreFaultKind;
  code?: string;
  reason?: string;
  /** When the store stopped being healthy (ms since the epoch). */
  since?: number;
  /** Store faults seen since then. */
  faults: number;
}

export interface StoreHealthOptions {
  /** Every store fault, uncoalesced (memdedup_store_faults_total{kind}). */
  onFault: (kind: StoreFaultKind, stage: string) => void;
  /** At most one per stage per second while the store fails, with how many failures it stands for. */
  onError: (stage: string, error: Error, count: number) => void;
  onChange: (s: StoreHealthSnapshot) => void;
  rules?: Readonly<Record<string, StoreFaultRule>>;
  now?: () => number;
  random?: () => number;
}

export class StoreHealth {
  private snap: StoreHealthSnapshot = { state: 'healthy', faults: 0 };
  /** Consecutive faults: the backoff exponent. */
  private streak = 0;
  /** Since when the current kind of fault has lasted, for stopAfterMs. */
  private kindSince = 0;
  private nextTryAt = 0;
  /** The rule of the last fault: its delays pace the probes. */
  private rule: StoreFaultRule = STORE_FAULTS.SQLITE_FULL!;
  private readonly coalescer: ErrorCoalescer;
  private readonly now: () => number;

  constructor(private readonly o: StoreHealthOptions) {
    this.now = o.now ?? Date.now;
    this.coalescer = new ErrorCoalescer((stage, error, count) => o.onError(stage, error, count), 1000, this.now);
  }

  get state(): StoreHealthState { return this.snap.state; }
  get writable(): boolean { return this.snap.state === 'healthy'; }
  get stopped(): boolean { return this.snap.state === 'stopped'; }
  snapshot(): StoreHealthSnapshot { return { ...this.snap }; }

  /**
   * Records a failure of `stage` if it is a store fault and answers how long to wait before trying again;
   * undefined when the error is no store fault (the caller handles it as before).
   */
  report(stage: string, error: Error): number | undefined {
    const rule = storeFault(error, this.o.rules ?? STORE_FAULTS);
    if (!rule) return undefined;
    const now = this.now();
    this.o.onFault(rule.kind, stage);
    this.coalescer.add(stage, error);
    if (this.snap.kind !== rule.kind || this.snap.state === 'healthy') this.kindSince = now;
    this.streak++;
    this.rule = rule;
    const delayMs = backoffDelay(this.streak, rule.minDelayMs, rule.maxDelayMs, this.o.random);
    this.nextTryAt = Math.max(this.nextTryAt, now + delayMs);
    if (this.snap.state === 'stopped') return rule.maxDelayMs;
    const stop = rule.stopAfterMs !== undefined && now - this.kindSince >= rule.stopAfterMs;
    const state: StoreHealthState = stop ? 'stopped' : 'faulty';
    const changed = state !== this.snap.state || rule.kind !== this.snap.kind;
    this.snap = { state, kind: rule.kind, code: rule.code, faults: this.snap.faults + 1, since: this.snap.since ?? now,
      reason: stop ? `${rule.reason} (${rule.code}): stopped deciding, needs an operator` : `${rule.reason} (${rule.code})` };
    if (changed) this.o.onChange(this.snapshot());
    return delayMs;
  }

  /** A write succeeded: the store is healthy again (unless it was stopped). */
  ok(): void {
    if (this.snap.state !== 'faulty') return;
    this.streak = 0;
    this.nextTryAt = 0;
    this.snap = { state: 'healthy', faults: 0 };
    this.coalescer.flush();
    this.o.onChange(this.snapshot());
  }

  /**
   * Whether work waiting for the store may try it now: always while healthy, never once stopped, and while faulty
   * only one probe each time the backoff comes due (taking the probe pushes the next one out).
   */
  mayTry(): boolean {
    if (this.snap.state === 'healthy') return true;
    if (this.snap.state === 'stopped') return false;
    const now = this.now();
    if (now < this.nextTryAt) return false;
    this.nextTryAt = now + backoffDelay(this.streak, this.rule.minDelayMs, this.rule.maxDelayMs, this.o.random);
    return true;
  }

  /**
   * When the probe is due, tries `write` (a small real write): success makes the store healthy again. For when no
   * waiting work may be left to find out (nothing buffered, nothing waiting to retry).
   */
  async probe(stage: string, write: () => Promise<void>): Promise<void> {
    if (!this.mayTry()) return;
    try {
      await write();
      this.ok();
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      if (this.report(stage, error) === undefined) this.o.onError(stage, error, 1);
    }
  }

  /** Reports the counts still pending in the coalescer. */
  close(): void { this.coalescer.flush(); }
}
