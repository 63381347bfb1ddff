// Time slicing for synchronous work. With an embedded SQLite store and the built-in tiers a batch never
// waits on I/O, so "concurrent" lanes would all run back to back inside one event-loop turn (15 batches
// at a time was a 100+ ms stall for the host). The slicer lets one batch run at a time and gives the
// host's loop a turn (setImmediate) whenever the current slice has used its budget.

export class TimeSlicer {
  private sliceStart = -Infinity;
  private busy = false;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly budgetMs: number) {}

  /** Resolves when the caller may run. Always pair with `release()` (in a finally). */
  acquire(): Promise<void> {
    if (this.busy) return new Promise((resolve) => this.waiters.push(resolve));
    this.busy = true;
    return this.inBudget() ? Promise.resolve() : this.nextTurn();
  }

  release(): void {
    const next = this.waiters.shift();
    if (!next) { this.busy = false; return; }
    if (this.inBudget()) next();
    else void this.nextTurn().then(next);
  }

  private inBudget(): boolean {
    return performance.now() - this.sliceStart < this.budgetMs;
  }

  private nextTurn(): Promise<void> {
    return new Promise((resolve) => setImmediate(() => { this.sliceStart = performance.now(); resolve(); }));
  }
}
