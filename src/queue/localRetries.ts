// Candidates whose next attempt the journal could not record, or that wait for a failing store: they wait in memory
// (their journal rows still hold them) until due. While the store is not writable only one at a time goes back to
// a lane, as the probe: a commit that fails still costs a whole cascade, so a full disk must not be hammered.
import type { StoreHealth } from '../resilience/storeHealth.js';
import type { Candidate } from '../types.js';

export interface Waiting { state: string; retryAt?: number; candidate: Candidate }

export class LocalRetries {
  private readonly ids = new Set<string>();

  constructor(
    private readonly health: Pick<StoreHealth, 'writable' | 'mayTry'>,
    private readonly lookup: (id: string) => Waiting | undefined,
    private readonly requeue: (w: Waiting) => void,
  ) {}

  add(id: string, at: number): void {
    const w = this.lookup(id);
    if (!w) return;
    w.retryAt = at;
    this.ids.add(id);
  }

  /** Sends the due ones back to their lanes (only the probe while the store fails). */
  release(now = Date.now()): void {
    let room = this.health.writable ? Infinity : -1;
    for (const id of this.ids) {
      const w = this.lookup(id);
      if (w && w.retryAt !== undefined && w.retryAt > now) continue;
      if (w?.state === 'retry') {
        if (room < 0) room = this.health.mayTry() ? 1 : 0;
        if (room-- <= 0) break;
      }
      this.ids.delete(id);
      if (!w || w.state !== 'retry') continue;
      w.retryAt = undefined;
      this.requeue(w);
    }
  }

  /** The store is back: everything that waited for it is due now, not at its backoff. */
  dueNow(): void {
    for (const id of this.ids) { const w = this.lookup(id); if (w) w.retryAt = undefined; }
  }
}
