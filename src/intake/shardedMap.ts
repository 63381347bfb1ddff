// A string-keyed map in shards, for the per-candidate maps that can hold a whole journal limit of entries.
/**
 * Id -> record, in SHARDS maps: a Map grows and shrinks by rehashing all of it in one go, which at 100,000 entries
 * (the default journal limit) is a few milliseconds on the host's thread; 64 small maps rehash in microseconds.
 */
const SHARDS = 64;

export class ShardedMap<V> {
  private readonly shards = Array.from({ length: SHARDS }, () => new Map<string, V>());
  private n = 0;
  get size(): number { return this.n; }
  private shard(key: string): Map<string, V> {
    const l = key.length;
    return this.shards[(key.charCodeAt(l - 1) * 31 + (l > 1 ? key.charCodeAt(l - 2) : 0) * 7 + (l > 2 ? key.charCodeAt(l - 3) : 0)) & (SHARDS - 1)]!;
  }
  get(key: string): V | undefined { return this.shard(key).get(key); }
  set(key: string, v: V): void { const m = this.shard(key); const had = m.has(key); m.set(key, v); if (!had) this.n++; }
  delete(key: string): boolean { const ok = this.shard(key).delete(key); if (ok) this.n--; return ok; }
  *values(): IterableIterator<V> { for (const m of this.shards) yield* m.values(); }
  *keys(): IterableIterator<string> { for (const m of this.shards) yield* m.keys(); }
  has(key: string): boolean { return this.shard(key).has(key); }
  clear(): void { for (const m of this.shards) m.clear(); this.n = 0; }
}

