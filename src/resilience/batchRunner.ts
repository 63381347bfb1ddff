// Runs one lane batch: picks the mode from flags, decides it through the user's breaker, and turns
// failures into fallbacks, retries or dead letters by what they say about whom to blame (failureKind):
//   user breaker open  -> the configured fallback, at once (no I/O before it);
//   provider           -> the configured fallback, at once; nobody's attempts burn;
//   store-fault        -> the store itself is failing (disk full, read-only, connection lost): the batch waits
//                         in memory on the store-wide backoff (StoreHealth), no journal write is tried, attempts
//                         do NOT burn and the user's breaker does not count it; once the store is stopped
//                         (corrupt, read-only for good) nothing more is decided;
//   transient (store)  -> a few retries in place with jittered backoff, then back to the journal with a
//                         not_before; attempts do NOT burn: the candidate is not at fault, and the journal
//                         keeps it for as long as the store needs;
//   candidate          -> a batch of several is split into batches of one, so a poison candidate only
//                         hurts itself; a failing single burns one attempt and after maxAttempts becomes
//                         a dead letter (kept with its last error, visible, re-drivable).
import { setTimeout as sleep } from 'node:timers/promises';
import { coerceError } from '../errors.js';
import { commitBatch, type BatchDeps, type BatchMode } from '../dedup/decideBatch.js';
import type { EngineEvents } from '../engineEvents.js';
import type { JournalFailure, Store } from '../store/types.js';
import type { StoreHealth } from './storeHealth.js';
import type { Candidate, Decision } from '../types.js';
import { storableText } from '../intake/textRules.js';
import { writeIsolating } from './isolate.js';
import { backoffDelay, failureKind } from './retry.js';
import { UserBreakerOpenError, type UserBreakers } from './userBreakers.js';

export type Fallback = 'store-exact' | 'defer';

export interface BatchRunnerOptions {
  deps: BatchDeps;
  store: Store;
  events: EngineEvents;
  /** Store faults are reported here; it answers how long to wait. */
  health: Pick<StoreHealth, 'report' | 'ok' | 'stopped'>;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  /** 'full' unless `memory.realtime-dedup` is off for the user. */
  modeFor: (userId: string) => BatchMode;
  /** The per-user breakers, and whether this user gets one (`memory.circuit-breakers`). */
  breakers?: UserBreakers;
  guarded?: (userId: string) => boolean;
  /** What a batch gets while its user's breaker (or a provider) is open. @default 'store-exact' */
  fallback?: Fallback;
  /** When a deferred batch should come back if no breaker says so (e.g. a provider is down). */
  deferMs?: number;
  /** Called once per candidate that reached a final decision (or became a dead letter). */
  settle: (c: Candidate, d: Decision) => void;
  /**
   * Called for candidates that wait in the journal for another attempt. `localRetryAt` is set when the
   * journal could not be told (store down): the engine then re-queues the candidate itself at that time.
   */
  postpone: (c: Candidate, localRetryAt?: number) => void;
}

/** Retries of a transient (store) failure inside the same lane run, before going back to the journal. */
export const IN_PLACE_RETRIES = 3;
const IN_PLACE_MAX_DELAY_MS = 1000;

export class BatchRunner {
  /** Transient failures per candidate since it last made progress: the backoff exponent (attempts do not burn). */
  private readonly transient = new Map<string, number>();

  constructor(private readonly o: BatchRunnerOptions) {}

  async run(userId: string, batch: Candidate[]): Promise<void> {
    const mode = this.o.modeFor(userId);
    // A stopped store decides nothing more: the batch waits in memory (and in the journal) for an operator.
    if (this.o.health.stopped) { for (const c of batch) this.o.postpone(c, Infinity); return; }
    const breakers = this.o.breakers && (this.o.guarded?.(userId) ?? true) ? this.o.breakers : undefined;
    await this.attempt(userId, batch, mode, breakers);
  }

  private async attempt(userId: string, batch: Candidate[], mode: BatchMode, breakers: UserBreakers | undefined): Promise<void> {
    for (let inPlace = 0; ; inPlace++) {
      try {
        const go = () => this.decide(userId, batch, mode);
        await (breakers ? breakers.guard(userId, go) : go());
        return;
      } catch (e) {
        const err = coerceError(e);
        if (err instanceof UserBreakerOpenError) return this.fallBack(userId, batch, 'user-breaker-open', err.retryAt);
        const kind = failureKind(err);
        // In fallback mode nothing calls a provider; a provider-looking error there is the candidate's.
        if (kind === 'provider' && mode !== 'fallback') return this.fallBack(userId, batch, 'provider-unavailable');
        if (kind === 'store-fault') return this.waitForStore(batch, err);
        if (kind === 'transient') {
          if (inPlace < IN_PLACE_RETRIES) {
            const delayMs = backoffDelay(inPlace + 1, this.o.retry.baseDelayMs, Math.min(this.o.retry.maxDelayMs, IN_PLACE_MAX_DELAY_MS));
            for (const c of batch) this.o.events.safeEmit('retry', { candidate: c, attempt: c.attempts, delayMs, error: err.message });
            await sleep(delayMs);
            continue;
          }
          return this.backOff(batch, err);
        }
        if (batch.length === 1) return this.fail(batch, err);
        for (const c of batch) await this.attempt(userId, [c], mode, breakers);
        return;
      }
    }
  }

  private async decide(userId: string, batch: Candidate[], mode: BatchMode): Promise<void> {
    const t0 = performance.now();
    const decisions = await commitBatch(this.o.deps, userId, batch, mode);
    this.o.health.ok();
    const counts: Record<string, number> = {};
    for (const c of batch) {
      const d = decisions.get(c.id)!;
      counts[d.action] = (counts[d.action] ?? 0) + 1;
      this.transient.delete(c.id);
      this.o.settle(c, d);
    }
    this.o.events.safeEmit('batch', { userId, size: batch.length, durationMs: performance.now() - t0, mode, counts });
  }

  /** The user's breaker or a provider is open: store with exact dedup only, or defer, by config. */
  private async fallBack(userId: string, batch: Candidate[], reason: string, retryAt?: number): Promise<void> {
    const fallback = this.o.fallback ?? 'store-exact';
    this.o.events.safeEmit('fallback', { userId, size: batch.length, fallback, reason });
    if (fallback === 'store-exact') return this.attempt(userId, batch, 'fallback', undefined);
    const now = Date.now();
    const base = retryAt ?? now + (this.o.deferMs ?? this.o.retry.maxDelayMs);
    // A little jitter, so the users deferred together do not all come back in the same poll.
    const rows = batch.map((c) => ({ c, notBefore: Math.max(now, base) + Math.round(Math.random() * 250) }));
    const local = await this.record(rows.map((r) => ({ id: r.c.id, attempts: r.c.attempts, lastError: r.c.lastError ?? `deferred: ${reason}`,
      notBefore: r.notBefore, dead: false })));
    for (const r of rows) {
      this.o.settle(r.c, { candidateId: r.c.id, userId, action: 'deferred', reasons: [reason, 'fallback-defer'] });
      if (local.has(r.c.id)) this.o.postpone(r.c, r.notBefore);
    }
  }

  /**
   * The store is failing: the batch waits in memory for the store-wide backoff. No journal write is tried (it
   * would fail the same way) and no retry event per candidate is sent (StoreHealth reports one coalesced error).
   */
  private waitForStore(batch: Candidate[], error: Error): void {
    const delayMs = this.o.health.report('batch', error) ?? this.o.retry.maxDelayMs;
    const at = Date.now() + delayMs;
    for (const c of batch) this.o.postpone({ ...c, lastError: error.message }, at);
  }

  /** A transient failure outlasted the in-place retries: back to the journal with backoff, attempts kept. */
  private async backOff(batch: Candidate[], error: Error): Promise<void> {
    const now = Date.now();
    const rows = batch.map((c) => {
      const n = (this.transient.get(c.id) ?? 0) + 1;
      this.transient.set(c.id, n);
      return { c, delayMs: backoffDelay(n + IN_PLACE_RETRIES, this.o.retry.baseDelayMs, this.o.retry.maxDelayMs) };
    });
    const local = await this.record(rows.map((r) => ({ id: r.c.id, attempts: r.c.attempts, lastError: error.message,
      notBefore: now + r.delayMs, dead: false })));
    for (const r of rows) {
      const c: Candidate = { ...r.c, lastError: error.message };
      this.o.events.safeEmit('retry', { candidate: c, attempt: c.attempts, delayMs: r.delayMs, error: error.message });
      this.o.postpone(c, local.has(c.id) ? now + r.delayMs : undefined);
    }
  }

  private async fail(batch: Candidate[], error: Error): Promise<void> {
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.o.retry;
    const now = Date.now();
    const rows = batch.map((c) => {
      const attempts = c.attempts + 1;
      const delayMs = backoffDelay(attempts, baseDelayMs, maxDelayMs);
      return { c, attempts, delayMs, dead: attempts >= maxAttempts };
    });
    const local = await this.record(rows.map((r) => ({ id: r.c.id, attempts: r.attempts, lastError: error.message,
      notBefore: now + r.delayMs, dead: r.dead })));
    for (const r of rows) {
      const c: Candidate = { ...r.c, attempts: r.attempts, lastError: error.message };
      this.transient.delete(c.id);
      if (r.dead && !local.has(c.id)) {
        this.o.events.safeEmit('dead-letter', { candidate: c, error: error.message });
        this.o.settle(c, { candidateId: c.id, userId: c.userId, action: 'dead-letter', error: error.message, reasons: ['max-attempts'] });
      } else {
        // A dead letter the store could not record yet is retried like any other: it must not be lost.
        this.o.events.safeEmit('retry', { candidate: c, attempt: r.attempts, delayMs: r.delayMs, error: error.message });
        this.o.postpone(c, local.has(c.id) ? now + r.delayMs : undefined);
      }
    }
  }

  /**
   * Writes journal failures; resolves with the ids the store did not take (the caller retries those from memory).
   * Error messages may quote a candidate, so they are made storable first; a row the store still refuses is
   * isolated (resilience/isolate.ts) so the others are recorded.
   */
  private async record(rows: JournalFailure[]): Promise<Set<string>> {
    const r = await writeIsolating(rows.map((f) => ({ ...f, lastError: storableText(f.lastError) })), {
      write: (part) => this.o.store.failJournal(part),
      rowFault: (e) => failureKind(e) === 'candidate',
      storeHealthy: () => this.o.store.ping(),
      onWritten: () => undefined,
    });
    // The store is down, or refused a row: those rows stay as they were in the journal (nothing lost).
    const local = new Set([...r.pending.map((f) => f.id), ...r.rejected.map((x) => x.row.id)]);
    if (r.transientError) {
      const err = coerceError(r.transientError);
      // A store fault is reported (and coalesced) by the store's health; anything else is an error of its own.
      if (this.o.health.report('journal-fail', err) === undefined) this.o.events.safeEmit('error', { stage: 'journal-fail', error: err });
    }
    for (const x of r.rejected) this.o.events.safeEmit('error', { stage: 'journal-fail', error: x.error });
    return local;
  }
}
