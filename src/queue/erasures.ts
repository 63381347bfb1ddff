// The engine's side of erasure. The fence is durable data, not memory: the store writes a tombstone in the
// erase's transaction and every commit, in every process, checks it (src/store/tombstones.ts). What is left
// here is the erase procedure of one engine and the periodic job that deletes expired tombstones.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../store/types.js';

export interface ErasuresOptions {
  store: Store;
  /** How long a tombstone is kept. */
  ttlMs: number;
  onError: (stage: string, e: unknown) => void;
  /** How often expired tombstones are deleted. @default min(ttlMs / 4, 10 min) */
  reapEveryMs?: number;
}

const MAX_REAP_EVERY_MS = 10 * 60_000;

export class Erasures {
  private timer: NodeJS.Timeout | null = null;
  private reaping: Promise<number> | null = null;

  constructor(private readonly o: ErasuresOptions) {}

  /** Starts the expiry job (one indexed DELETE per run; every process may run it, it is idempotent). */
  start(): void {
    if (this.timer) return;
    const every = this.o.reapEveryMs ?? Math.max(1000, Math.min(Math.floor(this.o.ttlMs / 4), MAX_REAP_EVERY_MS));
    this.timer = setInterval(() => void this.reap(), every);
    this.timer.unref();
  }

  /** Deletes tombstones older than the ttl; resolves with how many (0 on a store error, reported). */
  reap(now = Date.now()): Promise<number> {
    this.reaping ??= this.o.store.expireTombstones(now - this.o.ttlMs)
      .catch((e: unknown) => { this.o.onError('tombstone-expiry', e); return 0; })
      .finally(() => { this.reaping = null; });
    return this.reaping;
  }

  /**
   * Erases the user in the store (rows deleted, tombstone at `at` written in the same transaction). Candidates of
   * the user accepted up to `at` are then dropped by whichever process tries to commit them. Resolves only once the
   * clock has passed `at`, so a candidate this process accepts after erase() resolved is never taken for an erased one.
   */
  async erase(userId: string, at: number): Promise<number> {
    const removed = await this.o.store.erase(userId, at);
    while (Date.now() <= at) await sleep(1);
    return removed;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
