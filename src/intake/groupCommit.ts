// Group commit: submit() appends to an in-memory buffer; once per tick the buffer is written to the journal
// in transactions of at most `maxRows` rows. Only then is a candidate "accepted" (durable).
// A chunk that fails because of its rows is bisected (resilience/isolate.ts): the good rows become durable at
// once and a row the store refuses alone is handed to `onRejected`, never retried. A chunk that fails because of
// the store (transient) stays buffered and is retried, as many rows as the journal limit lets submit() buffer.
import { coerceError } from '../errors.js';
import { failureKind } from '../resilience/retry.js';
import { writeIsolating } from '../resilience/isolate.js';
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
   * Called when a flush failed for a reason that is not the rows' (transient, or a store fault); the rows stay
   * buffered and are retried after the delay it answers (a failing store paces the retries), or after `retryDelayMs`.
   */
  onError: (e: Error, rows: number) => number | void;
  /** Called with rows the store refused on their own: they are dropped from the buffer, never durable. */
  onRejected: (rows: { row: Candidate; error: Error }[]) => void;
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
      const r = await writeIsolating(chunk, {
        write: (part) => this.o.store.appendJournal(part, this.o.lease()),
        // Only the candidate's fault is worth splitting for; anything else is the store's and is retried whole.
        rowFault: (e) => failureKind(e) === 'candidate',
        storeHealthy: () => this.o.store.ping(),
        onWritten: (part) => this.o.onDurable(part),
      });
      // push() only appends, so the chunk is still the buffer's prefix; what was not written goes back in front.
      this.buffer.splice(0, chunk.length, ...r.pending);
      if (r.rejected.length > 0) this.o.onRejected(r.rejected);
      if (r.transientError) {
        const delayMs = this.o.onError(coerceError(r.transientError), r.pending.length);
        this.scheduleRetry(delayMs ?? this.o.retryDelayMs ?? 50);
        return;
      }
      // One transaction per turn of the loop: a big backlog must not become one long stall, on the host's thread,
      // nor, in a worker, one huge message the host must read in one piece.
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
