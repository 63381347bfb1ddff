// Per-user index cache (LRU by user). An entry is valid only for the user version it was built at,
// so another process's commit (PostgreSQL) or a failed commit simply forces a reload.
import type { Memory } from '../types.js';
import type { Store } from '../store/types.js';
import type { Deduper, UserIndex } from './types.js';

export interface UserState {
  version: number;
  index: UserIndex;
  memories: Map<string, Memory>;
}

export class IndexCache {
  private readonly entries = new Map<string, UserState>();
  hits = 0;
  misses = 0;

  constructor(private readonly store: Store, private readonly deduper: Deduper, private readonly maxUsers: number) {}

  get size(): number { return this.entries.size; }

  /** The user's state at the store's current version, from cache when still valid. */
  async load(userId: string): Promise<UserState> {
    const cached = this.entries.get(userId);
    if (cached) {
      const version = await this.store.userVersion(userId);
      if (version === cached.version) {
        this.hits++;
        this.entries.delete(userId);
        this.entries.set(userId, cached);
        return cached;
      }
    }
    this.misses++;
    const snap = await this.store.loadUser(userId);
    const state: UserState = {
      version: snap.version,
      index: await this.deduper.createIndex(snap.memories),
      memories: new Map(snap.memories.map((m) => [m.id, m])),
    };
    this.entries.delete(userId);
    this.entries.set(userId, state);
    while (this.entries.size > this.maxUsers) this.entries.delete(this.entries.keys().next().value!);
    return state;
  }

  invalidate(userId: string): void {
    this.entries.delete(userId);
  }

  clear(): void {
    this.entries.clear();
  }

  get hitRate(): number {
    const n = this.hits + this.misses;
    return n === 0 ? 0 : this.hits / n;
  }
}
