// A memory's prepared features (normalized text, key, tokens, lexical vector) are persisted with it (migration 6),
// versioned by FEATURE_VERSION: a cold load reuses current ones, recomputes (and writes back) the others, and a
// commit that changes the text drops them. The vectors are typed arrays that score exactly as the Maps did.
import { afterAll, describe, expect, it } from 'vitest';
import { Cascade } from '../../src/dedup/cascade.js';
import { decodeFeatures, encodeFeatures, FEATURE_VERSION } from '../../src/dedup/features.js';
import { IndexCache, indexSnapshot } from '../../src/dedup/indexCache.js';
import { cosine, prepareLexical } from '../../src/dedup/lexical.js';
import { exactKeyText } from '../../src/dedup/normalize.js';
import { root } from '../../src/dedup/align.js';
import { contentStems, shapeOf } from '../../src/dedup/shape.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import type { Memory } from '../../src/types.js';
import { tempDir } from '../helpers/engine.js';
import { freshStore, STORE_KINDS, stopPostgres } from '../helpers/stores.js';

afterAll(() => stopPostgres());

const TEXTS = [
  'The user likes eating spicy ramen in the morning', "User's sister's dog is called Rex", "My parents' house is in Lyon",
  "She doesn't eat meat anymore", 'Favourite flower: peony', 'Is not a fan of horror films', 'Works at a bakery on Sundays',
  'I am allergic to peanuts and shellfish', 'Moved to Porto 3 years ago', 'The user no longer has an apartment in Osaka',
  "Can't stand loud music", 'Has two cats, Miso and Tofu', 'Stopped learning Russian last year', 'Plays the oboe',
  'is being treated for a back injury', 'Her uncle bakes sourdough every weekend', '', "rock 'n' roll is the user's thing",
];

/** The lexical vector as it was before (Map-based), for comparison. */
function mapVector(tokens: string[], keyText: string): Map<number, number> {
  const hash32 = (s: string) => { let h = 2166136261; for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619); return h >>> 0; };
  const add = (into: Map<number, number>, feats: Map<number, number>, weight: number) => {
    let norm = 0;
    for (const v of feats.values()) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    for (const [k, v] of feats) into.set(k, (into.get(k) ?? 0) + (v / norm) * weight);
  };
  const w = new Map<number, number>(), g = new Map<number, number>();
  for (const t of tokens) { const h = hash32('w:' + t); w.set(h, (w.get(h) ?? 0) + 1); }
  const s = ` ${keyText} `;
  for (let i = 0; i + 3 <= s.length; i++) { const h = hash32('g:' + s.slice(i, i + 3)); g.set(h, (g.get(h) ?? 0) + 1); }
  const v = new Map<number, number>();
  add(v, w, Math.sqrt(0.75));
  add(v, g, Math.sqrt(0.25));
  return v;
}
function mapCosine(a: Map<number, number>, b: Map<number, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [k, v] of small) { const w = large.get(k); if (w !== undefined) dot += v * w; }
  return dot;
}

describe('typed-array lexical vectors', () => {
  it('score every pair exactly as the Map vectors did', () => {
    const ps = TEXTS.map((t) => prepareLexical(t));
    const maps = ps.map((p) => mapVector(p.tokens, exactKeyText(p.normalized)));
    for (let i = 0; i < ps.length; i++) {
      expect([...ps[i]!.vector.ids]).toEqual([...maps[i]!.keys()]);
      for (let j = 0; j < ps.length; j++) expect(cosine(ps[i]!.vector, ps[j]!.vector)).toBe(mapCosine(maps[i]!, maps[j]!));
    }
  });

  it('retrieval tokens are the roots of the shape\'s stems (the shape itself is computed on first read)', () => {
    for (const t of TEXTS) {
      const p = prepareLexical(t);
      expect(contentStems(p.normalized)).toEqual(shapeOf(p.normalized).toks.map((x) => x.s));
      expect(p.tokens).toEqual(shapeOf(p.normalized).toks.map((x) => root(x.s)));
      expect(p.shape).toEqual(shapeOf(p.normalized));
    }
  });
});

describe('persisted features', () => {
  it('round-trip exactly, and another version is not read', () => {
    for (const t of TEXTS) {
      const p = prepareLexical(t);
      const f = decodeFeatures(encodeFeatures(p))!;
      expect(f.normalized).toBe(p.normalized);
      expect(f.key).toBe(p.key);
      expect(f.tokens).toEqual(p.tokens);
      expect(f.vector.ids).toEqual(p.vector.ids);
      expect(f.vector.weights).toEqual(p.vector.weights);
      expect(cosine(f.vector, p.vector)).toBe(cosine(p.vector, p.vector));
      expect(decodeFeatures({ ...encodeFeatures(p), version: FEATURE_VERSION - 1 })).toBeUndefined();
    }
    expect(decodeFeatures({ version: FEATURE_VERSION, data: '{"n":1}' })).toBeUndefined();
    expect(decodeFeatures({ version: FEATURE_VERSION, data: 'not json' })).toBeUndefined();
  });

  it('a cold index load uses current features, and recomputes those of an old version', async () => {
    const c = new Cascade({ topK: 8 });
    const text = 'Plays the oboe';
    // Features that claim another text's key: were they recomputed, the exact tier would not find "Sings in a choir".
    const claimed = encodeFeatures(prepareLexical('Sings in a choir'));
    const [cand] = await c.prepare(['sings in a choir']);
    const current = await c.createIndex([{ id: 'm1', text, features: claimed }]);
    expect(current.byKey(cand!.key)).toBe('m1');
    const stale = await c.createIndex([{ id: 'm1', text, features: { ...claimed, version: FEATURE_VERSION - 1 } }]);
    expect(stale.byKey(cand!.key)).toBeUndefined();
    expect(stale.get('m1')!.key).toBe(prepareLexical(text).key);
  });
});

const mem = (id: string, userId: string, text: string, version = 1): Memory => ({ id, userId, text, status: 'active', version, seenCount: 1,
  needsRecheck: false, sources: [], createdAt: 1, updatedAt: 1 });

describe.each(STORE_KINDS)('persisted features in the %s store', (kind) => {
  let store: Store;
  afterAll(async () => { await store?.close(); });

  it('are written back by the first cold load, kept by a commit of the same text, dropped when the text changes', async () => {
    store = await openStore(await freshStore(kind, tempDir()));
    const deduper = new Cascade({ topK: 8 });
    const u = 'feat-user';
    expect(await store.commit({ userId: u, expectedVersion: 0, memories: [mem('a', u, 'Plays the oboe'), mem('b', u, 'Lives in Lyon')], events: [], journalIds: [] })).toBe(true);
    expect((await store.loadUser(u)).features).toBeUndefined();

    await indexSnapshot(store, deduper, await store.loadUser(u));
    const snap = await store.loadUser(u);
    expect(snap.features?.get('a')?.version).toBe(FEATURE_VERSION);
    expect(decodeFeatures(snap.features?.get('a'))!.key).toBe(prepareLexical('Plays the oboe').key);

    // Same text (a duplicate's seen count): kept. New text (an update): dropped, recomputed on the next load.
    expect(await store.commit({ userId: u, expectedVersion: 1, memories: [mem('a', u, 'Plays the oboe', 2), mem('b', u, 'Lives in Porto', 2)], events: [], journalIds: [] })).toBe(true);
    const after = await store.loadUser(u);
    expect(after.features?.get('a')?.data).toBe(snap.features?.get('a')?.data);
    expect(after.features?.has('b')).toBe(false);
    const index = await indexSnapshot(store, deduper, after);
    expect(index.get('b')!.key).toBe(prepareLexical('Lives in Porto').key);
    expect(decodeFeatures((await store.loadUser(u)).features?.get('b'))!.key).toBe(prepareLexical('Lives in Porto').key);

    // A row changed since the load is not written (version guard); an old feature version is rewritten.
    const old = { version: FEATURE_VERSION - 1, data: encodeFeatures(prepareLexical('Plays the oboe')).data };
    await store.putFeatures!([{ memoryId: 'a', version: 1, features: old }]);
    expect((await store.loadUser(u)).features?.get('a')?.version).toBe(FEATURE_VERSION);
    await store.putFeatures!([{ memoryId: 'a', version: 2, features: old }]);
    expect((await store.loadUser(u)).features?.get('a')?.version).toBe(FEATURE_VERSION - 1);
    await indexSnapshot(store, deduper, await store.loadUser(u));
    expect((await store.loadUser(u)).features?.get('a')?.version).toBe(FEATURE_VERSION);
  });

  it('a frame analysed on a comparison is persisted when its user is evicted from the cache', async () => {
    store = await openStore(await freshStore(kind, tempDir()));
    const deduper = new Cascade({ topK: 8 });
    const cache = new IndexCache(store, deduper, 1);
    const u = 'frame-user';
    await store.commit({ userId: u, expectedVersion: 0, memories: [mem('a', u, 'Plays the oboe')], events: [], journalIds: [] });
    await store.commit({ userId: 'other', expectedVersion: 0, memories: [mem('o', 'other', 'Lives in Lyon')], events: [], journalIds: [] });
    const state = await cache.load(u);
    const [cand] = await deduper.prepare(['Her godson plays the oboe']);
    expect((await deduper.decide(cand!, state.index)).reasons).toContain('subject-change');
    expect((await store.loadUser(u)).memories[0]!.analysis).toBeUndefined();
    await cache.load('other');
    await new Promise((r) => setTimeout(r, 50));
    expect(JSON.parse((await store.loadUser(u)).memories[0]!.analysis!).predicate).toBe('play');
  });
});

