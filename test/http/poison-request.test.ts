// One hostile request never blocks the others, on both stores: text with U+0000 answers 400 INVALID_INPUT at
// validation; a candidate the store itself refuses (valid text a real trigger refuses) answers 422
// STORE_REJECTED naming it; ordinary requests sent alongside keep answering 202 and are decided.
import { afterAll, describe, expect, it } from 'vitest';
import { freshStore, refuseMarkerInJournal, STORE_KINDS, stopPostgres } from '../helpers/stores.js';
import { tempDir } from '../helpers/engine.js';
import { startTestServer } from './helpers.js';

afterAll(() => stopPostgres());

const ordinary = (tag: string, n: number) => Array.from({ length: n }, (_, i) => ({ userId: `${tag}-${i % 7}`, text: `Fact ${i} sent by ${tag}` }));

describe.each(STORE_KINDS)('a poison request on %s', (kind) => {
  it('answers 400 for text with control characters while other requests answer 202', async () => {
    const dir = tempDir();
    const t = await startTestServer({}, { dir, store: await freshStore(kind, dir) });
    try {
      const [bad, bad2, ...good] = await Promise.all([
        t.call('POST', '/api/memory/candidates', { userId: 'h', text: 'Has a \u0000 in it' }),
        t.call('POST', '/api/memory/candidates', { candidates: [{ userId: 'h', text: 'fine' }, { userId: 'h', text: 'bell \u0007' }] }),
        ...ordinary('ok', 20).map((c) => t.call('POST', '/api/memory/candidates', c)),
      ]);
      expect(bad!.status).toBe(400);
      expect(bad!.json.error.code).toBe('INVALID_INPUT');
      expect(bad!.json.error.details).toEqual([{ field: 'text', problem: expect.stringMatching(/control characters/) }]);
      expect(bad2!.status).toBe(400);
      expect(bad2!.json.error.details.map((d: { field: string }) => d.field)).toEqual(['candidates[1].text']);
      expect(good.map((r) => r.status)).toEqual(good.map(() => 202));
      expect(await t.engine.drain(30_000)).toBe(true);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('answers 422 STORE_REJECTED for a candidate the store refuses while other requests answer 202', async () => {
    const dir = tempDir();
    const store = await freshStore(kind, dir);
    const t = await startTestServer({}, { dir, store });
    await refuseMarkerInJournal(store, 'POISON-MARK');
    try {
      const [single, mixed, ...good] = await Promise.all([
        t.call('POST', '/api/memory/candidates', { userId: 'p', text: 'Poison POISON-MARK row', id: 'poison-1' }),
        t.call('POST', '/api/memory/candidates', { candidates: [{ userId: 'p', text: 'A fine fact', id: 'fine-1' }, { userId: 'p', text: 'Poison POISON-MARK again', id: 'poison-2' }] }),
        ...ordinary('ok', 30).map((c) => t.call('POST', '/api/memory/candidates', c)),
      ]);
      expect(single!.status).toBe(422);
      expect(single!.json.error.code).toBe('STORE_REJECTED');
      expect(single!.json.error.details).toEqual([{ field: 'text', id: 'poison-1', problem: expect.stringMatching(/^the store refused this candidate: /) }]);
      expect(mixed!.status).toBe(422);
      expect(mixed!.json.error.message).toBe('1 of 2 candidates were refused by the store; the others are durable');
      expect(mixed!.json.error.details.map((d: { field: string; id: string }) => [d.field, d.id])).toEqual([['candidates[1].text', 'poison-2']]);
      expect(good.map((r) => r.status)).toEqual(good.map(() => 202));
      expect(await t.engine.drain(30_000)).toBe(true);
      // The good candidate of the mixed request is durable and decided; the poison ones left nothing behind.
      expect((await t.engine.decision('fine-1'))?.action).toBe('added');
      expect(await t.engine.decision('poison-2')).toBeUndefined();
      const after = await t.call('POST', '/api/memory/candidates?wait=1', { userId: 'p', text: 'Still answering' });
      expect(after.status).toBe(200);
    } finally {
      await t.close();
    }
  }, 60_000);
});
