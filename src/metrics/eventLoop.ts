// The "chat response impact" signal: how late the host's event loop runs while the engine works.
//
// perf_hooks samples the loop natively every RESOLUTION_MS; once per SAMPLE_MS we replay its
// percentiles into a prom-client histogram as excess delay (interval minus resolution) and reset it.
// The excess delays of a busy loop add up to the time it was blocked, so
// rate(memdedup_event_loop_delay_seconds_sum[5m]) is the share of wall time chat requests would
// have waited behind something. Intervals in which the engine did nothing are dropped, so the
// host's own idle or busy periods without memory work do not count against the engine.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { BoundHistogram, HistogramChild } from './bound.js';

const RESOLUTION_MS = 10;
const SAMPLE_MS = 1000;

export class EventLoopSampler {
  private readonly h: IntervalHistogram;
  private readonly child: HistogramChild;
  private timer: NodeJS.Timeout | null = null;

  /** `busy()` answers whether the engine worked since it was last asked. */
  constructor(histogram: BoundHistogram, private readonly busy: () => boolean, private readonly sampleMs = SAMPLE_MS) {
    this.h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.child = histogram.labels();
  }

  start(): void {
    if (this.timer) return;
    this.h.enable();
    this.timer = setInterval(() => this.sample(), this.sampleMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.h.disable();
  }

  /** Moves the native histogram's samples into the Prometheus one (if the engine worked), then resets it. */
  sample(): void {
    const count = this.h.count;
    if (count > 0 && this.busy()) {
      let done = 0;
      // Percentiles come sorted ascending; the samples between two of them get the upper value.
      for (const [p, ns] of this.h.percentiles) {
        const upTo = Math.min(count, Math.round((count * p) / 100));
        const excess = Math.max(0, ns / 1e9 - RESOLUTION_MS / 1e3);
        for (; done < upTo; done++) this.child.observe(excess);
      }
    }
    this.h.reset();
  }
}
