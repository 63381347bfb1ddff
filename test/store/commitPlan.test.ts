// commitPlan: the one loop that commits a plan under the user version, on real stores (SQLite files, a throwaway
// PostgreSQL cluster). Two writers here are two store handles on the same database, as two engines would be.
import { afterAll, describe, expect, it } from 'vitest';
import { commitPlan, type Plan, type PlanContext, type Refusal } from '../../src/store/commitPlan.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { freshStore, STORE_KINDS, stopPostgres } from '../helpers/stores.js';
import { ev, mem } from './contract.js';

afterAll(() => stopPostgres());

/** A plan that adds one memory (and its event) at the version read now. */
async function addOne(store: Store, userId: string, text: string): Promise<Plan<string>> {
  const readAt = Date.now();
  const expectedVersion = await store.userVersion(userId);
  const m = mem(userId, { text });
  return { commit: { userId, expectedVersion, memories: [m], events: [ev(userId, null, m.id)], journalIds: [], readAt }, result: m.id };
}

/** Resolves once `n` callers have arrived: both writers read the version before either commits. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const all = new Promise<void>((r) => { open = r; });
  return () => { if (++arrived >= n) open(); return all; };
}

describe.each(STORE_KINDS)('commitPlan on %s', (kind) => {
  const open = async (): Promise<[Store, Store]> => {
    const o = await freshStore(kind);
    const a = await openStore(o);
    return [a, await openStore(o)];
  };

  it('two concurrent commits on one user: one wins, the other re-plans on the new version and lands too', async () => {
    const [a, b] = await open();
    try {
      const bothRead = barrier(2);
      const seen: Record<string, PlanContext[]> = { a: [], b: [] };
      const writer = (name: 'a' | 'b', store: Store) => commitPlan(store, async (ctx) => {
        seen[name]!.push(ctx);
        const p = await addOne(store, 'race', `from ${name} #${ctx.attempt}`);
        if (ctx.attempt === 1) await bothRead();
        return p;
      }, { maxAttempts: 3 });
      const [ra, rb] = await Promise.all([writer('a', a), writer('b', b)]);
      expect(ra.ok && rb.ok).toBe(true);
      // Exactly one of them had to re-plan, and was told why.
      expect([ra.attempts, rb.attempts].sort()).toEqual([1, 2]);
      const loser = ra.attempts === 2 ? 'a' : 'b';
      expect(seen[loser]!.map((c) => c.refused?.reason)).toEqual([undefined, 'version']);
      expect(seen[loser === 'a' ? 'b' : 'a']!).toEqual([{ attempt: 1 }]);
      // Both plans landed, one after the other: no lost update.
      expect(await a.userVersion('race')).toBe(2);
      const texts = (await b.memories('race', {})).items.map((m) => m.text).sort();
      expect(texts).toEqual([`from a #${ra.attempts}`, `from b #${rb.attempts}`].sort());
    } finally { await a.close(); await b.close(); }
  });

  it('reports the bound when the version keeps moving, and writes nothing of its own', async () => {
    const [a, b] = await open();
    try {
      const refusals: Refusal[] = [];
      const out = await commitPlan(a, async () => {
        const p = await addOne(a, 'busy', 'never lands');
        // Another writer commits between our read and our commit, every time.
        const q = await addOne(b, 'busy', 'the other writer');
        expect(await b.commit(q.commit!)).toBe(true);
        return p;
      }, { maxAttempts: 4, onRefused: (_p, r) => refusals.push(r) });
      expect(out).toEqual({ ok: false, attempts: 4, refused: { reason: 'version' } });
      expect(refusals).toHaveLength(4);
      expect(await a.userVersion('busy')).toBe(4);
      expect((await a.memories('busy', {})).items.map((m) => m.text)).toEqual(Array(4).fill('the other writer'));
    } finally { await a.close(); await b.close(); }
  });

  it('an erasure after the read refuses the plan; the re-plan reads after it and lands', async () => {
    const [a, b] = await open();
    try {
      const contexts: PlanContext[] = [];
      const out = await commitPlan(a, async (ctx) => {
        contexts.push(ctx);
        const p = await addOne(a, 'gone', `attempt ${ctx.attempt}`);
        // Erased in "another process" after our state was read (the tombstone is at or after readAt).
        if (ctx.attempt === 1) await b.erase('gone', p.commit!.readAt! + 1);
        return p;
      }, { maxAttempts: 3 });
      expect(out).toMatchObject({ ok: true, attempts: 2, written: true });
      expect(contexts[1]!.refused).toMatchObject({ reason: 'erased' });
      expect((await a.memories('gone', {})).items.map((m) => m.text)).toEqual(['attempt 2']);
    } finally { await a.close(); await b.close(); }
  });

  it('a plan with nothing to write ends the loop without a commit', async () => {
    const [a, b] = await open();
    try {
      const out = await commitPlan(a, async () => ({ result: 'nothing' }), { maxAttempts: 1 });
      expect(out).toEqual({ ok: true, result: 'nothing', attempts: 1, written: false });
      expect(await a.userVersion('idle')).toBe(0);
    } finally { await a.close(); await b.close(); }
  });
});
