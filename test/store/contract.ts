// The Store contract: one suite, run against every store (test/store/sqlite.test.ts, test/store/postgres.test.ts).
// What a store must do is defined here, not in either implementation.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemdedupError } from '../../src/errors.js';
import { UserErasedError } from '../../src/store/tombstones.js';
import type { BatchCommit, Store } from '../../src/store/types.js';
import type { Candidate, MemdedupEvent, Memory } from '../../src/types.js';
import { textContract } from './textContract.js';

/** Opens a fresh, empty store (its own file or its own schema) for one test. */
export type StoreFactory = () => Promise<Store>;

let n = 0;
export function cand(userId: string, extra: Partial<Candidate> = {}): Candidate {
  n++;
  return { id: `c-${n}-${randomUUID().slice(0, 8)}`, userId, text: `fact number ${n}`, priority: 'normal', acceptedAt: Date.now(), attempts: 0, ...extra };
}
export function mem(userId: string, extra: Partial<Memory> = {}): Memory {
  const now = Date.now();
  return { id: randomUUID(), userId, text: `memory ${++n}`, status: 'active', version: 1, seenCount: 1, needsRecheck: false,
    sources: ['chat'], createdAt: now, updatedAt: now, ...extra };
}
export function ev(userId: string, candidateId: string | null, memoryId: string | null, extra: Partial<MemdedupEvent> = {}): MemdedupEvent {
  return { id: randomUUID(), userId, candidateId, action: 'added', memoryId, comparedMemoryId: null, comparedText: null,
    candidateText: 'text', previousText: null, method: 'none', score: 0.25, reasons: ['new-fact'], undoes: null, undoneBy: null,
    policy: 'default', at: Date.now(), ...extra };
}
const lease = (owner: string, ms = 60_000) => ({ owner, until: Date.now() + ms });

/** Commits "candidate c became memory m" at the user's current version. */
async function decide(store: Store, c: Candidate, extra: Partial<BatchCommit> = {}): Promise<{ m: Memory; e: MemdedupEvent; ok: boolean }> {
  const m = mem(c.userId, { text: c.text });
  const e = ev(c.userId, c.id, m.id);
  const ok = await store.commit({ userId: c.userId, expectedVersion: await store.userVersion(c.userId), memories: [m], events: [e], journalIds: [c.id], ...extra });
  return { m, e, ok };
}

export function storeContract(name: string, open: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => { store = await open(); });
    afterEach(async () => { await store.close(); });

    textContract(() => store);

    it('starts empty and answers ping', async () => {
      expect(await store.ping()).toBe(true);
      expect(await store.journalDepth()).toBe(0);
      expect(await store.loadUser('nobody')).toEqual({ version: 0, memories: [] });
      expect(await store.userVersion('nobody')).toBe(0);
      expect(await store.memory('none')).toBeUndefined();
      expect(await store.event('none')).toBeUndefined();
    });

    it('appends journal rows once per id and claims them oldest first', async () => {
      const rows = [cand('u1', { source: 'chat' }), cand('u2'), cand('u1', { priority: 'high' })];
      await store.appendJournal(rows, { owner: 'a', until: 0 });
      await store.appendJournal([rows[0]!, { ...rows[1]!, text: 'changed' }], { owner: 'a', until: 0 });
      expect(await store.journalDepth()).toBe(3);
      const claimed = await store.claimJournal('a', 10, 60_000);
      expect(claimed).toEqual(rows);
    });

    it('leases claimed rows: other owners skip them until the lease ends', async () => {
      const rows = [cand('u1'), cand('u2'), cand('u3')];
      await store.appendJournal(rows, { owner: 'a', until: 0 });
      expect((await store.claimJournal('a', 2, 60_000)).map((c) => c.id)).toEqual([rows[0]!.id, rows[1]!.id]);
      expect((await store.claimJournal('b', 10, 60_000)).map((c) => c.id)).toEqual([rows[2]!.id]);
      expect(await store.claimJournal('c', 10, 60_000)).toEqual([]);
      const short = [cand('u4')];
      await store.appendJournal(short, lease('a', 30));
      expect(await store.claimJournal('b', 10, 60_000)).toEqual([]);
      await new Promise((r) => setTimeout(r, 60));
      expect((await store.claimJournal('b', 10, 60_000)).map((c) => c.id)).toEqual([short[0]!.id]);
    });

    it('concurrent claims never hand the same row to two owners', async () => {
      const rows = Array.from({ length: 60 }, (_, i) => cand(`u${i % 7}`));
      await store.appendJournal(rows, { owner: 'x', until: 0 });
      const got = await Promise.all(['a', 'b', 'c', 'd'].map((o) => store.claimJournal(o, 20, 60_000)));
      const ids = got.flat().map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(60);
    });

    it('skips excluded users', async () => {
      const rows = [cand('skip'), cand('take')];
      await store.appendJournal(rows, { owner: 'a', until: 0 });
      expect((await store.claimJournal('a', 10, 60_000, new Set(['skip']))).map((c) => c.userId)).toEqual(['take']);
    });

    it('renews held leases and reports rows no longer in the journal', async () => {
      const [a, c] = [cand('u1'), cand('u2')];
      await store.appendJournal([a!, c!], lease('me', 40));
      await store.failJournal([{ id: c!.id, attempts: 1, lastError: 'x', notBefore: 0, dead: false }]);
      expect(await store.renewLeases('me', [a!.id, c!.id, 'never-there'], 60_000)).toEqual(['never-there']);
      await new Promise((r) => setTimeout(r, 60));
      // a was renewed; c was released by failJournal and stays released.
      expect((await store.claimJournal('other', 10, 60_000)).map((x) => x.id)).toEqual([c!.id]);
      // Renewing does not take rows back from their new owner.
      await store.renewLeases('me', [c!.id], 60_000);
      expect(await store.claimJournal('third', 10, 60_000)).toEqual([]);
      await decide(store, a!);
      expect(await store.renewLeases('me', [a!.id, c!.id], 60_000)).toEqual([a!.id]);
    });

    it('releases an owner\'s leases for the others to take', async () => {
      const rows = [cand('u1'), cand('u2')];
      await store.appendJournal(rows, lease('leaving'));
      await store.appendJournal([cand('u3')], lease('staying'));
      expect(await store.claimJournal('peer', 10, 60_000)).toEqual([]);
      expect(await store.releaseLeases('leaving')).toBe(2);
      expect((await store.claimJournal('peer', 10, 60_000)).map((c) => c.id)).toEqual(rows.map((c) => c.id));
    });

    it('retries after the backoff, dead letters stay visible and can be re-driven', async () => {
      const [a, b, c] = [cand('u1'), cand('u1'), cand('u2')];
      await store.appendJournal([a!, b!, c!], lease('me'));
      await store.failJournal([
        { id: a!.id, attempts: 1, lastError: 'later', notBefore: Date.now() + 60_000, dead: false },
        { id: b!.id, attempts: 2, lastError: 'now', notBefore: 0, dead: false },
        { id: c!.id, attempts: 5, lastError: 'poison', notBefore: 0, dead: true },
      ]);
      expect(await store.journalDepth()).toBe(2);
      const claimed = await store.claimJournal('me', 10, 60_000);
      expect(claimed).toEqual([{ ...b!, attempts: 2, lastError: 'now' }]);
      expect(await store.deadLetters()).toEqual([{ ...c!, attempts: 5, lastError: 'poison' }]);
      expect(await store.redrive(['unknown'])).toEqual([]);
      expect(await store.redrive()).toEqual([{ ...c!, attempts: 0, lastError: 'poison' }]);
      expect(await store.deadLetters()).toEqual([]);
      expect(await store.journalDepth()).toBe(3);
      expect((await store.claimJournal('me', 10, 60_000)).map((x) => x.id)).toEqual([c!.id]);
    });

    it('commits a batch in one step and bumps the user version', async () => {
      const c = cand('u1');
      await store.appendJournal([c], lease('me'));
      const { m, e, ok } = await decide(store, c);
      expect(ok).toBe(true);
      expect(await store.userVersion('u1')).toBe(1);
      expect(await store.loadUser('u1')).toEqual({ version: 1, memories: [m] });
      expect(await store.memory(m.id)).toEqual(m);
      expect(await store.event(e.id)).toEqual(e);
      expect(await store.eventsForCandidates([c.id, 'other'])).toEqual([e]);
      expect(await store.journalDepth()).toBe(0);
      // Upsert: the same memory id again replaces the row's mutable fields.
      const m2 = { ...m, seenCount: 2, version: 2, sources: ['chat', 'mail'], needsRecheck: true, updatedAt: m.updatedAt + 5 };
      const e2 = ev('u1', 'c-dup', m.id, { action: 'duplicate', method: 'exact', score: 1, comparedMemoryId: m.id, comparedText: m.text });
      expect(await store.commit({ userId: 'u1', expectedVersion: 1, memories: [m2], events: [e2], journalIds: ['c-dup'] })).toBe(true);
      expect(await store.loadUser('u1')).toEqual({ version: 2, memories: [m2] });
      expect(await store.event(e2.id)).toEqual(e2);
    });

    it('keeps a memory\'s analysed form with it (migration 3), and replaces it with the text', async () => {
      const m = mem('an', { analysis: '{"v":1,"subject":[]}' });
      expect(await store.commit({ userId: 'an', expectedVersion: 0, memories: [m], events: [], journalIds: [] })).toBe(true);
      expect((await store.loadUser('an')).memories).toEqual([m]);
      const m2 = { ...m, text: 'memory rewritten', analysis: '{"v":1,"subject":["aunt"]}', version: 2 };
      expect(await store.commit({ userId: 'an', expectedVersion: 1, memories: [m2], events: [], journalIds: [] })).toBe(true);
      expect(await store.memory(m.id)).toEqual(m2);
      // Rows written without one (before the migration) load without the field.
      const bare = mem('an');
      expect(await store.commit({ userId: 'an', expectedVersion: 2, memories: [bare], events: [], journalIds: [] })).toBe(true);
      expect('analysis' in (await store.memory(bare.id))!).toBe(false);
    });

    it('refuses a commit whose user version moved, and changes nothing', async () => {
      await decide(store, cand('u1'));
      const before = await store.loadUser('u1');
      const c = cand('u1');
      await store.appendJournal([c], lease('me'));
      const m = mem('u1');
      expect(await store.commit({ userId: 'u1', expectedVersion: 0, memories: [m], events: [ev('u1', c.id, m.id)], journalIds: [c.id] })).toBe(false);
      expect(await store.commit({ userId: 'u1', expectedVersion: 7, memories: [m], events: [ev('u1', c.id, m.id)], journalIds: [c.id] })).toBe(false);
      expect(await store.loadUser('u1')).toEqual(before);
      expect(await store.eventsForCandidates([c.id])).toEqual([]);
      expect(await store.journalDepth()).toBe(1);
    });

    it('of concurrent commits at one version exactly one wins', async () => {
      const results = await Promise.all(Array.from({ length: 5 }, () => {
        const m = mem('race');
        return store.commit({ userId: 'race', expectedVersion: 0, memories: [m], events: [ev('race', randomUUID(), m.id)], journalIds: [] });
      }));
      expect(results.filter(Boolean).length).toBe(1);
      expect((await store.loadUser('race')).memories.length).toBe(1);
    });

    it('keeps one event per candidate id: a second one fails the commit and writes nothing', async () => {
      const c = cand('u1');
      await store.appendJournal([c], lease('me'));
      const first = await decide(store, c);
      expect(first.ok).toBe(true);
      const m = mem('u1');
      const again = await store.commit({ userId: 'u1', expectedVersion: 1, memories: [m], events: [ev('u1', c.id, m.id)], journalIds: [] });
      expect(again).toBe(false);
      expect(await store.eventsForCandidates([c.id])).toEqual([first.e]);
      expect(await store.memory(m.id)).toBeUndefined();
      expect(await store.userVersion('u1')).toBe(1);
    });

    it('marks undone events', async () => {
      const { e } = await decide(store, cand('u1'));
      const undo = ev('u1', null, e.memoryId, { action: 'undo', undoes: e.id, method: null, score: null });
      expect(await store.commit({ userId: 'u1', expectedVersion: 1, memories: [], events: [undo], undone: [{ eventId: e.id, undoneBy: undo.id }], journalIds: [] })).toBe(true);
      expect((await store.event(e.id))?.undoneBy).toBe(undo.id);
      expect(await store.event(undo.id)).toEqual(undo);
    });

    it('keeps the policy of each event', async () => {
      const c = cand('pol');
      const m = mem('pol', { text: c.text });
      const e = ev('pol', c.id, m.id, { policy: 'strict' });
      expect(await store.commit({ userId: 'pol', expectedVersion: 0, memories: [m], events: [e], journalIds: [] })).toBe(true);
      expect((await store.event(e.id))?.policy).toBe('strict');
      expect((await store.eventsForCandidates([c.id]))[0]?.policy).toBe('strict');
      expect((await store.events('pol', {})).items.map((x) => x.policy)).toEqual(['strict']);
    });

    it('pages memories and events with opaque cursors, by insertion order', async () => {
      const ms = Array.from({ length: 5 }, (_, i) => mem('p', { status: i === 2 ? 'superseded' : 'active' }));
      const es = ms.map((m) => ev('p', randomUUID(), m.id));
      expect(await store.commit({ userId: 'p', expectedVersion: 0, memories: ms, events: es, journalIds: [] })).toBe(true);
      const p1 = await store.memories('p', { limit: 2 });
      expect(p1.items.map((m) => m.id)).toEqual([ms[0]!.id, ms[1]!.id]);
      const p2 = await store.memories('p', { limit: 2, cursor: p1.cursor });
      expect(p2.items.map((m) => m.id)).toEqual([ms[3]!.id, ms[4]!.id]);
      expect(p2.cursor).toBeUndefined();
      expect((await store.memories('p', { status: 'all' })).items.map((m) => m.id)).toEqual(ms.map((m) => m.id));
      expect((await store.memories('p', { status: 'superseded' })).items).toEqual([ms[2]]);
      const e1 = await store.events('p', { limit: 3 });
      const e2 = await store.events('p', { limit: 3, cursor: e1.cursor });
      expect([...e1.items, ...e2.items]).toEqual(es);
      expect(e2.cursor).toBeUndefined();
      await expect(store.memories('p', { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(store.events('p', { limit: 0 })).rejects.toBeInstanceOf(MemdedupError);
    });

    it('lists memories that need a recheck, resumable from a cursor', async () => {
      const ms = [mem('r1', { needsRecheck: true }), mem('r1'), mem('r1', { needsRecheck: true }), mem('r1', { needsRecheck: true, status: 'forgotten' })];
      const other = mem('r2', { needsRecheck: true });
      await store.commit({ userId: 'r1', expectedVersion: 0, memories: ms, events: [], journalIds: [] });
      await store.commit({ userId: 'r2', expectedVersion: 0, memories: [other], events: [], journalIds: [] });
      const a = await store.needsRecheck(1);
      expect(a.items).toEqual([ms[0]]);
      const b = await store.needsRecheck(10, a.cursor);
      expect(b.items).toEqual([ms[2], other]);
      expect((await store.needsRecheck(10, undefined, 'r2')).items).toEqual([other]);
    });

    it('stores meta values', async () => {
      expect(await store.getMeta('sweep.cursor')).toBeUndefined();
      await store.setMeta('sweep.cursor', 'abc');
      await store.setMeta('sweep.cursor', 'def');
      expect(await store.getMeta('sweep.cursor')).toBe('def');
    });

    it('erases every row of one user and nothing else', async () => {
      await decide(store, cand('gone'));
      await store.appendJournal([cand('gone'), cand('kept')], lease('me'));
      const kept = await decide(store, cand('kept'));
      expect(await store.erase('gone')).toBe(4);
      expect(await store.loadUser('gone')).toEqual({ version: 0, memories: [] });
      expect((await store.events('gone', {})).items).toEqual([]);
      expect(await store.journalDepth()).toBe(1);
      expect(await store.memory(kept.m.id)).toEqual(kept.m);
      // An erased user starts again at version 0; a batch decided before the erase cannot commit.
      const stale = mem('gone');
      expect(await store.commit({ userId: 'gone', expectedVersion: 1, memories: [stale], events: [], journalIds: [] })).toBe(false);
      expect((await decide(store, cand('gone'))).ok).toBe(true);
    });

    it('writes a tombstone with the erase; a commit of candidates accepted before it is refused and drops them', async () => {
      const before = cand('t1', { acceptedAt: 1000 });
      const after = cand('t1', { acceptedAt: 3000 });
      await store.appendJournal([before], lease('me'));
      expect(await store.erasedAt('t1')).toBeUndefined();
      await store.erase('t1', 2000);
      expect(await store.erasedAt('t1')).toBe(2000);
      // Written again after the erase (a group commit that was in flight elsewhere), then decided by some process.
      await store.appendJournal([before, after], { owner: 'me', until: 0 });
      const m = mem('t1');
      const refused = store.commit({ userId: 't1', expectedVersion: 0, memories: [m], events: [ev('t1', before.id, m.id), ev('t1', after.id, m.id)],
        journalIds: [before.id, after.id], readAt: 3000, candidates: [before, after] });
      await expect(refused).rejects.toBeInstanceOf(UserErasedError);
      await expect(refused).rejects.toMatchObject({ erasedAt: 2000, dropped: [before.id] });
      // Nothing written but the dropped candidate's journal row removed.
      expect(await store.memory(m.id)).toBeUndefined();
      expect(await store.eventsForCandidates([before.id, after.id])).toEqual([]);
      expect((await store.claimJournal('x', 10, 60_000)).map((c) => c.id)).toEqual([after.id]);
      // Candidates accepted after the erase start from nothing.
      expect(await store.commit({ userId: 't1', expectedVersion: 0, memories: [m], events: [ev('t1', after.id, m.id)], journalIds: [after.id],
        readAt: 3000, candidates: [after] })).toBe(true);
      expect(await store.journalDepth()).toBe(0);
    });

    it('refuses a commit decided on a state read before the erase, even at a matching version', async () => {
      await decide(store, cand('t2'));
      const readAt = Date.now();
      await store.erase('t2', readAt + 5);
      // After the erase the user is back at version 0; a batch on the old state would have matched version 0 too.
      const m = mem('t2');
      await expect(store.commit({ userId: 't2', expectedVersion: 0, memories: [m], events: [], journalIds: [], readAt }))
        .rejects.toMatchObject({ name: 'UserErasedError', dropped: [] });
      expect(await store.loadUser('t2')).toEqual({ version: 0, memories: [] });
      expect(await store.commit({ userId: 't2', expectedVersion: 0, memories: [m], events: [], journalIds: [], readAt: readAt + 6 })).toBe(true);
    });

    it('keeps the latest erase time and expires old tombstones', async () => {
      await store.erase('t3', 5000);
      await store.erase('t3', 4000);
      expect(await store.erasedAt('t3')).toBe(5000);
      await store.erase('t4', 9000);
      expect(await store.expireTombstones(6000)).toBe(1);
      expect(await store.erasedAt('t3')).toBeUndefined();
      expect(await store.erasedAt('t4')).toBe(9000);
      // A user without a tombstone commits whatever its candidates' accept times.
      const old = cand('t3', { acceptedAt: 1 });
      expect(await store.commit({ userId: 't3', expectedVersion: 0, memories: [], events: [], journalIds: [], readAt: 1, candidates: [old] })).toBe(true);
    });

    it('hands a named lease to one owner at a time, takes it back when it runs out or is dropped', async () => {
      expect(await store.takeLease('sweep', 'a', 60_000)).toBe(true);
      expect(await store.takeLease('sweep', 'b', 60_000)).toBe(false);
      expect(await store.takeLease('sweep', 'a', 60_000)).toBe(true);
      expect(await store.takeLease('other', 'b', 60_000)).toBe(true);
      await store.dropLease('sweep', 'b');
      expect(await store.takeLease('sweep', 'b', 60_000)).toBe(false);
      await store.dropLease('sweep', 'a');
      expect(await store.takeLease('sweep', 'b', 40)).toBe(true);
      expect(await store.takeLease('sweep', 'c', 60_000)).toBe(false);
      await new Promise((r) => setTimeout(r, 60));
      expect(await store.takeLease('sweep', 'c', 60_000)).toBe(true);
      const got = await Promise.all(['d', 'e', 'f', 'g'].map((o) => store.takeLease('race', o, 60_000)));
      expect(got.filter(Boolean).length).toBe(1);
    });

    it('keeps provider vectors with memories: kept while the text stays, gone when it changes', async () => {
      const vec = (xs: number[]) => ({ model: 'm-1', vector: Float32Array.from(xs) });
      const [a, b] = [mem('v1'), mem('v1')];
      expect(await store.commit({ userId: 'v1', expectedVersion: 0, memories: [a, b], events: [], journalIds: [],
        vectors: new Map([[a.id, vec([0.6, 0.8, 0])]]) })).toBe(true);
      let snap = await store.loadUser('v1');
      expect([...snap.vectors!.keys()]).toEqual([a.id]);
      expect(snap.vectors!.get(a.id)).toEqual(vec([0.6, 0.8, 0]));
      // API reads never carry the vector.
      expect(await store.memory(a.id)).toEqual(a);
      // A cold load computed b's vector: stored unless b changed since.
      await store.putVectors([{ memoryId: b.id, version: 1, vector: vec([1, 0]) }, { memoryId: a.id, version: 7, vector: vec([0, 1]) }]);
      const a2 = { ...a, seenCount: 2, version: 2 };
      const b2 = { ...b, text: 'a new text', version: 2 };
      expect(await store.commit({ userId: 'v1', expectedVersion: 1, memories: [a2, b2], events: [], journalIds: [] })).toBe(true);
      snap = await store.loadUser('v1');
      expect(snap.memories).toEqual([a2, b2]);
      expect([...snap.vectors!.entries()]).toEqual([[a.id, vec([0.6, 0.8, 0])]]);
    });
  });
}
