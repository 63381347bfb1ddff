// The info-level log of an embedded engine: one line per interval (a minute), and only when something
// was decided, in the spirit of the seed's `[MessageSync]` stats line. Per-batch lines are debug: a host
// deciding 1,000 batches a second must not get 1,000 log lines a second.
import type { Logger } from './logger.js';

/** @default one summary line a minute */
export const SUMMARY_INTERVAL_MS = 60_000;
/** Batch durations kept per interval for the p95 (reservoir-sampled past this). */
const MAX_SAMPLES = 4096;

export interface BatchSample { size: number; durationMs: number; counts: Record<string, number> }

export class BatchSummary {
  private batches = 0;
  private candidates = 0;
  private counts: Record<string, number> = {};
  private durations: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly log: Logger, private readonly journalDepth: () => number, private readonly intervalMs = SUMMARY_INTERVAL_MS) {}

  record(b: BatchSample): void {
    this.batches++;
    this.candidates += b.size;
    for (const [action, n] of Object.entries(b.counts)) this.counts[action] = (this.counts[action] ?? 0) + n;
    if (this.durations.length < MAX_SAMPLES) this.durations.push(b.durationMs);
    else {
      // Reservoir sampling: every batch of the interval has the same chance of being in the sample.
      const j = Math.floor(Math.random() * this.batches);
      if (j < MAX_SAMPLES) this.durations[j] = b.durationMs;
    }
  }

  /** Logs the interval's line (if anything was decided) and starts a new interval. */
  flush(): void {
    if (this.batches === 0) return;
    const sorted = this.durations.slice().sort((a, b) => a - b);
    const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0;
    let depth: number | undefined;
    try { depth = this.journalDepth(); } catch { depth = undefined; }
    this.log.info({ batches: this.batches, candidates: this.candidates, actions: this.counts, batchP95Ms: Math.round(p95 * 100) / 100,
      journalDepth: depth, intervalMs: this.intervalMs }, 'decisions in the last interval');
    this.batches = 0;
    this.candidates = 0;
    this.counts = {};
    this.durations = [];
  }

  /** unref'd: the summary never keeps the host alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what the last partial interval decided. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }
}
