// Coalesces a storm of one failure into at most one report per stage per window, with the count it stands for.
// A full disk fails every write of every stage; one `error` event (and so one log line) per stage per second,
// carrying how many failures it covers, says as much as thousands would, and costs nothing.
export type CoalescedReport = (stage: string, error: Error, count: number) => void;

interface StageWindow { lastAt: number; pending: number; lastError?: Error; timer?: NodeJS.Timeout }

export class ErrorCoalescer {
  private readonly stages = new Map<string, StageWindow>();

  constructor(private readonly report: CoalescedReport, private readonly windowMs = 1000, private readonly now: () => number = Date.now) {}

  /** Reports at once if this stage reported nothing in the last window; else counts it into the report at the window's end. */
  add(stage: string, error: Error): void {
    let w = this.stages.get(stage);
    if (!w) { w = { lastAt: -Infinity, pending: 0 }; this.stages.set(stage, w); }
    const now = this.now();
    if (!w.timer && now - w.lastAt >= this.windowMs) {
      w.lastAt = now;
      this.report(stage, error, 1);
      return;
    }
    w.pending++;
    w.lastError = error;
    if (!w.timer) {
      w.timer = setTimeout(() => this.flushStage(stage), Math.max(0, w.lastAt + this.windowMs - now));
      w.timer.unref();
    }
  }

  /** Reports whatever is pending now (on close, so no count is lost). */
  flush(): void {
    for (const stage of this.stages.keys()) this.flushStage(stage);
  }

  private flushStage(stage: string): void {
    const w = this.stages.get(stage);
    if (!w) return;
    if (w.timer) clearTimeout(w.timer);
    w.timer = undefined;
    if (w.pending === 0 || !w.lastError) return;
    const { pending, lastError } = w;
    w.pending = 0;
    w.lastError = undefined;
    w.lastAt = this.now();
    this.report(stage, lastError, pending);
  }
}
