// The seed's access pattern, built from the engine's own primitives so only the pattern differs:
// one candidate at a time, no lanes, no batching, no index cache. Every candidate loads the user's memories
// fresh from the store, prepares every one of them with the engine's normalize/featurize, scores each
// with the engine's similarity (a full scan, no inverted index), applies the engine's policy, and commits
// alone through the engine's commitBatch. It skips the journal the seed never had (an advantage to it).
import { dist } from './lib/common.mjs';

/** Returns process(candidate) -> Decision over `store` (a Store of the build). */
export async function naiveProcessor(store, { topK = 8 } = {}) {
  const { commitBatch } = await dist('dedup/decideBatch.js');
  const { Cascade } = await dist('dedup/cascade.js');
  const { cosine } = await dist('dedup/lexical.js');
  const { DEFAULT_OPTIONS } = await dist();
  // Configured as Engine.create configures it (built-in tiers, default thresholds).
  const cascade = new Cascade({ topK, thresholds: DEFAULT_OPTIONS.dedup?.thresholds });

  /** UserIndex over a plain list: every lookup is a scan. */
  class FullScanIndex {
    constructor() { this.items = []; }
    get size() { return this.items.length; }
    byKey(key) { for (const it of this.items) if (it.p.key === key) return it.id; return undefined; }
    get(id) { return this.items.find((it) => it.id === id)?.p; }
    add(id, p) { this.remove(id); this.items.push({ id, p }); }
    remove(id) { const i = this.items.findIndex((it) => it.id === id); if (i >= 0) this.items.splice(i, 1); }
    search(p, k) {
      return this.items.map((it) => ({ id: it.id, prepared: it.p, score: cosine(p.vector, it.p.vector) }))
        .sort((a, b) => b.score - a.score).slice(0, k);
    }
  }

  const deduper = {
    prepare: (texts) => cascade.prepare(texts),
    async createIndex(memories) {
      const index = new FullScanIndex();
      const prepared = await cascade.prepare(memories.map((m) => m.text));
      memories.forEach((m, i) => index.add(m.id, prepared[i]));
      return index;
    },
    decide: (p, index, o) => cascade.decide(p, index, o),
  };
  // "Cache" that never caches: a fresh load from the store for every candidate.
  const freshLoad = {
    async load(userId) {
      const snap = await store.loadUser(userId);
      return { version: snap.version, index: await deduper.createIndex(snap.memories), memories: new Map(snap.memories.map((m) => [m.id, m])) };
    },
    invalidate() {},
  };
  return async (input) => {
    const c = { id: input.id, userId: input.userId, text: input.text, priority: input.priority ?? 'normal', acceptedAt: Date.now(), attempts: 0 };
    const decisions = await commitBatch({ store, deduper, cache: freshLoad }, c.userId, [c], 'full');
    return decisions.get(c.id);
  };
}
