// Runs one lane batch: picks the mode from flags, decides it, and turns failures into retries or dead letters.
// A failing batch of several candidates is split into batches of one, so a poison candidate only hurts itself.
import { coerceError } from '../errors.js';
import { decideBatch, type BatchDeps, type BatchMode } from '../dedup/decideBatch.js';
import type { EngineEvents } from '../engineEvents.js';
import type { Store } from '../store/types.js';
import type { Candidate, Decision } from '../types.js';
import { backoffDelay } from './retry.js';

export interface BatchRunnerOptions {
  deps: BatchDeps;
  store: Store;
  events: EngineEvents;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  /** 'full' unless `memory.realtime-dedup` is off for the user. */
  modeFor: (userId: string) => BatchMode;
  /** Called once per candidate that reached a final decision (or became a dead letter). */
  settle: (c: Candidate, d: Decision) => void;
  /** Called for candidates that wait in the journal for another attempt. */
  postpone: (c: Candidate) => void;
}

export class BatchRunner {
  constructor(private readonly o: BatchRunnerOptions) {}

  async run(userId: string, batch: Candidate[]): Promise<void> {
    const mode = this.o.modeFor(userId);
    try {
      await this.decide(userId, batch, mode);
    } catch (e) {
      if (batch.length === 1) return this.fail(batch, coerceError(e));
      for (const c of batch) {
        try { await this.decide(userId, [c], mode); } catch (e1) { await this.fail([c], coerceError(e1)); }
      }
    }
  }

  private async decide(userId: string, batch: Candidate[], mode: BatchMode): Promise<void> {
    const t0 = performance.now();
    const decisions = await decideBatch(this.o.deps, userId, batch, mode);
    const counts: Record<string, number> = {};
    for (const c of batch) {
      const d = decisions.get(c.id)!;
      counts[d.action] = (counts[d.action] ?? 0) + 1;
      this.o.settle(c, d);
    }
    this.o.events.safeEmit('batch', { userId, size: batch.length, durationMs: performance.now() - t0, mode, counts });
  }

  private async fail(batch: Candidate[], error: Error): Promise<void> {
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.o.retry;
    const now = Date.now();
    const rows = batch.map((c) => {
      const attempts = c.attempts + 1;
      const delayMs = backoffDelay(attempts, baseDelayMs, maxDelayMs);
      return { c, attempts, delayMs, dead: attempts >= maxAttempts };
    });
    try {
      await this.o.store.failJournal(rows.map((r) => ({ id: r.c.id, attempts: r.attempts, lastError: error.message,
        notBefore: now + r.delayMs, dead: r.dead })));
    } catch (e) {
      // The store is down too: keep the rows as they are in the journal; the poller retries them later.
      this.o.events.safeEmit('error', { stage: 'journal-fail', error: coerceError(e) });
    }
    for (const r of rows) {
      const c: Candidate = { ...r.c, attempts: r.attempts, lastError: error.message };
      if (r.dead) {
        this.o.events.safeEmit('dead-letter', { candidate: c, error: error.message });
        this.o.settle(c, { candidateId: c.id, userId: c.userId, action: 'dead-letter', error: error.message, reasons: ['max-attempts'] });
      } else {
        this.o.events.safeEmit('retry', { candidate: c, attempt: r.attempts, delayMs: r.delayMs, error: error.message });
        this.o.postpone(c);
      }
    }
  }
}
