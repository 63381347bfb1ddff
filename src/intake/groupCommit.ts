// Group commit: submit() appends to an in-memory buffer; once per tick the buffer is written to the journal
// in transactions of at most `maxRows` rows. Only then is a candidate "accepted" (durable).
import { coerceError } from '../errors.js';
import type { Store } from '../store/types.js';
import type { Candidate } from '../types.js';

export interface GroupCommitOptions {
  store: Store;
  maxRows: number;
  /** The lease stamped on new journal rows, so other processes leave them to us. */
  lease: () => { owner: string; until: number };
  /** Called with each chunk once it is durable. */
  onDurable: (rows: Candidate[]) => void;
  /**
   * Called when a flush failed; the rows stay buffered and are retried after the delay it answers
   * (a failing store paces the retries), or after `retryDelayMs`.
   */
  onError: (e: Error, rows: number) => number | void;
  retryDelayMs?: number;
}

export class GroupCommit {
  private buffer: Candidate[] = [];
  private scheduled = false;
  private running: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: GroupCommitOptions) {}

  get size(): number { return this.buffer.length; }

  push(c: Candidate): void {
    this.buffer.push(c);
    // While a failed write waits for its retry, new rows join it instead of hammering a failing store.
    if (!this.scheduled && !this.retryTimer) {
      this.scheduled = true;
      setImmediate(() => { this.scheduled = false; void this.flush(); });
    }
  }

  /** Writes everything buffered so far; resolves when it is durable (or when the attempt failed). */
  flush(): Promise<void> {
    if (this.running) return this.running.then(() => (this.buffer.length ? this.flush() : undefined));
    if (this.buffer.length === 0) return Promise.resolve();
    this.running = this.write().finally(() => { this.running = null; });
    return this.running;
  }

  private async write(): Promise<void> {
    while (this.buffer.length > 0) {
      const chunk = this.buffer.slice(0, this.o.maxRows);
      try {
        await this.o.store.appendJournal(chunk, this.o.lease());
      } catch (e) {
        const delayMs = this.o.onError(coerceError(e), chunk.length);
        this.scheduleRetry(delayMs ?? this.o.retryDelayMs ?? 50);
        return;
      }
      this.buffer.splice(0, chunk.length);
      this.o.onDurable(chunk);
      // One transaction per turn of the host's loop: a big backlog must not become one long stall.
      if (this.buffer.length > 0) await new Promise((r) => setImmediate(r));
    }
  }

  private scheduleRetry(delayMs: number): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => { this.retryTimer = null; void this.flush(); }, delayMs);
    this.retryTimer.unref();
  }

  stop(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
