// Per-user index cache (LRU by user). An entry is valid only for the user version it was built at,
// so another process's commit (PostgreSQL) or a failed commit simply forces a reload.
//
// Each entry remembers when its state was read (`readAt`): a commit decided on it is refused when the user was
// erased since (src/store/tombstones.ts), and an entry older than `maxAgeMs` is reloaded, so a state from before
// an erase is never trusted after its tombstone expired.
import type { Memory } from '../types.js';
import type { Store, StoredFeatures, UserSnapshot } from '../store/types.js';
import { encodeFeatures, FEATURE_VERSION } from './features.js';
import type { Deduper, UserIndex } from './types.js';

type FeatureRow = { memoryId: string; version: number; features: StoredFeatures; analysis?: string };

export interface UserState {
  version: number;
  /** Epoch ms taken before the snapshot was read: the state is at least this fresh. */
  readAt: number;
  index: UserIndex;
  memories: Map<string, Memory>;
  /** Memories whose frame was analysed after the load (adoptFrames), to be written on eviction. */
  adopted?: Set<string>;
}

export class IndexCache {
  private readonly entries = new Map<string, UserState>();
  hits = 0;
  misses = 0;

  constructor(private readonly store: Store, private readonly deduper: Deduper, private readonly maxUsers: number,
    private readonly maxAgeMs = Infinity, private readonly onError?: (e: unknown) => void) {}

  get size(): number { return this.entries.size; }

  /** The user's state at the store's current version, from cache when still valid. */
  async load(userId: string): Promise<UserState> {
    const cached = this.entries.get(userId);
    if (cached && Date.now() - cached.readAt < this.maxAgeMs) {
      const version = await this.store.userVersion(userId);
      if (version === cached.version) {
        this.hits++;
        adoptFrames(cached, false);
        this.entries.delete(userId);
        this.entries.set(userId, cached);
        return cached;
      }
    }
    this.misses++;
    const readAt = Date.now();
    const snap = await this.store.loadUser(userId);
    const state: UserState = {
      version: snap.version,
      readAt,
      index: await indexSnapshot(this.store, this.deduper, snap, this.onError),
      memories: new Map(snap.memories.map((m) => [m.id, m])),
    };
    this.entries.delete(userId);
    this.entries.set(userId, state);
    while (this.entries.size > this.maxUsers) {
      const [evicted, old] = this.entries.entries().next().value!;
      this.entries.delete(evicted);
      // What an evicted user's comparisons analysed is kept for its next cold load (best effort, not awaited).
      const rows = adoptFrames(old, true);
      if (rows.length > 0) this.store.putFeatures?.(rows)?.catch((e: unknown) => this.onError?.(e));
    }
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

/**
 * Frames are analysed on first comparison (frame.ts), so a memory loaded without one may have gained it since.
 * Each such frame is put on the cached Memory, so the next commit that writes the memory persists it; with `rows`,
 * the memories that still lack it in the store are returned (with their features) for a write of their own.
 * Cheap: only the memories framed since the last call are visited.
 */
function adoptFrames(state: UserState, rows: true): FeatureRow[];
function adoptFrames(state: UserState, rows: false): void;
function adoptFrames(state: UserState, withRows: boolean): FeatureRow[] | void {
  for (const id of state.index.takeFramed?.() ?? []) {
    const m = state.memories.get(id), p = state.index.get(id);
    if (m && p?.frame && !m.analysis && p.text === m.text) { m.analysis = JSON.stringify(p.frame); (state.adopted ??= new Set()).add(id); }
  }
  if (!withRows) return;
  const rows: FeatureRow[] = [];
  for (const id of state.adopted ?? []) {
    const m = state.memories.get(id), p = state.index.get(id);
    if (m?.analysis && p && p.text === m.text) rows.push({ memoryId: id, version: m.version, features: encodeFeatures(p), analysis: m.analysis });
  }
  return rows;
}

/**
 * Builds a user's index from a snapshot, reusing the stored provider vectors and prepared features; what the
 * deduper had to compute (vectors never stored or of another model, features never stored or of another
 * FEATURE_VERSION) is written back, so the next cold load reuses it.
 */
export async function indexSnapshot(store: Store, deduper: Deduper, snap: UserSnapshot, onError?: (e: unknown) => void): Promise<UserIndex> {
  const index = await deduper.createIndex(snap.memories.map((m) => ({ id: m.id, text: m.text, vector: snap.vectors?.get(m.id),
    analysis: m.analysis, features: snap.features?.get(m.id) })));
  const fresh: Parameters<Store['putVectors']>[0] = [];
  const prepared: FeatureRow[] = [];
  for (const m of snap.memories) {
    const p = index.get(m.id);
    const stored = snap.vectors?.get(m.id);
    if (p?.dense && p.model && (stored?.model !== p.model || stored.vector !== p.dense)) {
      fresh.push({ memoryId: m.id, version: m.version, vector: { model: p.model, vector: p.dense } });
    }
    if (p && snap.features?.get(m.id)?.version !== FEATURE_VERSION) prepared.push({ memoryId: m.id, version: m.version, features: encodeFeatures(p) });
  }
  // Best effort: a failed write only means the next cold load computes these again.
  if (fresh.length > 0) await store.putVectors(fresh).catch((e: unknown) => onError?.(e));
  if (prepared.length > 0 && store.putFeatures) await store.putFeatures(prepared).catch((e: unknown) => onError?.(e));
  return index;
}
