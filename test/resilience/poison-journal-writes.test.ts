// The rest of the store layer isolates a bad row too, on both stores:
// - fail writes: a journal failure the store refuses for one row does not stop the others from being recorded;
// - batch commits: a memory row the store refuses fails its candidate alone (dead letter), the batch's others commit;
// - claims: a journal row that breaks the text rules (written before them) becomes a dead letter at claim,
//   with the rule as its error, while the rows claimed with it are decided.
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';
import { freshStore, journalErrors, refuseJournalWrites, STORE_KINDS, stopPostgres } from '../helpers/stores.js';
import { faulty } from './faults.js';

afterAll(() => stopPostgres());

describe.each(STORE_KINDS)('journal writes on %s', (kind) => {
  it('records the failures of a batch even when the store refuses one of them', async () => {
    const dir = tempDir();
    const store = await freshStore(kind, dir);
    let busy = true;
    // Every attempt of the batch fails with a transient store error, so the batch goes back to the journal (failJournal).
    const engine = await Engine.create({ store, flags: { kind: 'embedded', file: writeFlagsFile(dir) }, logLevel: 'silent',
      retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 50 } },
    { deduper: faulty({ decide: () => { if (busy) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }); } }) });
    await refuseJournalWrites(store, 'UPDATE', `NEW.id = 'stuck-row'`);
    const errors: string[] = [];
    engine.emitter.on('error', (e) => errors.push(e.stage));
    try {
      const ids = ['r-1', 'r-2', 'stuck-row', 'r-3', 'r-4'];
      const texts = ['Plays the cello', 'Grows tomatoes', 'Speaks Finnish', 'Collects stamps', 'Runs marathons'];
      const subs = ids.map((id, i) => engine.submit({ userId: 'jw', text: texts[i]!, id }));
      await Promise.all(subs.map((s) => s.accepted));
      // The four others carry their error in the journal; the stuck one waits in memory (nothing lost).
      const recorded = async () => {
        const r = await journalErrors(store);
        return ids.filter((id) => r.get(id) === 'database is locked');
      };
      await expect.poll(recorded, { timeout: 30_000 }).toEqual(['r-1', 'r-2', 'r-3', 'r-4']);
      expect((await journalErrors(store)).get('stuck-row')).toBeNull();
      expect(await engine.store.deadLetters()).toEqual([]);
      expect(errors).toContain('journal-fail');
      busy = false;
      expect(await engine.drain(180_000)).toBe(true);
      const decisions = await Promise.all(subs.map((s) => s.decided));
      expect(decisions.map((d) => d.action)).toEqual(ids.map(() => 'added'));
    } finally {
      await engine.close();
    }
  }, 300_000);
});

describe.each(STORE_KINDS)('batch commits on %s', (kind) => {
  it('dead-letters the candidate whose memory row the store refuses and commits the rest of its batch', async () => {
    const dir = tempDir();
    const store = await freshStore(kind, dir);
    const engine = await Engine.create({ store, flags: { kind: 'embedded', file: writeFlagsFile(dir) }, logLevel: 'silent',
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } });
    await refuseJournalWrites(store, 'INSERT', kind === 'sqlite' ? `instr(NEW.text, 'BADMEM') > 0` : `position('BADMEM' in NEW.text) > 0`, 'test_refuse_mem', 'memories');
    try {
      const texts = ['Plays the cello', 'Grows tomatoes', 'Keeps BADMEM notes', 'Collects stamps', 'Runs marathons'];
      const subs = texts.map((text, i) => engine.submit({ userId: 'bc', text, id: `bc-${i}` }));
      expect(await engine.drain(30_000)).toBe(true);
      const decisions = await Promise.all(subs.map((s) => s.decided));
      expect(decisions.map((d) => d.action)).toEqual(['added', 'added', 'dead-letter', 'added', 'added']);
      expect((await engine.deadLetters()).map((d) => d.id)).toEqual(['bc-2']);
    } finally {
      await engine.close();
    }
  }, 60_000);
});

describe('journal claims on sqlite', () => {
  it('dead-letters a row that breaks the text rules at claim and decides the rows claimed with it', async () => {
    const dir = tempDir();
    const path = `${dir}/test.db`;
    // Rows as an older version wrote them: SQLite kept U+0000 without complaint.
    const legacy = new SqliteStore(path);
    const now = Date.now();
    await legacy.appendJournal([
      { id: 'old-1', userId: 'lg', text: 'Plays the cello', priority: 'normal', acceptedAt: now, attempts: 0 },
      { id: 'old-nul', userId: 'lg', text: 'Old \u0000 fact', priority: 'normal', acceptedAt: now, attempts: 0 },
      { id: 'old-2', userId: 'lg', text: 'Grows tomatoes', priority: 'normal', acceptedAt: now, attempts: 0 },
    ], { owner: 'old', until: 0 });
    await legacy.close();
    const engine = await Engine.create({ store: { kind: 'sqlite', path }, flags: { kind: 'embedded', file: writeFlagsFile(dir) }, logLevel: 'silent' });
    try {
      expect(await engine.drain(20_000)).toBe(true);
      expect((await engine.decision('old-1'))?.action).toBe('added');
      expect((await engine.decision('old-2'))?.action).toBe('added');
      const dead = await engine.deadLetters();
      expect(dead.map((d) => [d.id, d.lastError])).toEqual([['old-nul', expect.stringMatching(/^INVALID_INPUT: .*control characters/)]]);
      expect(await engine.registry.metrics()).toMatch(/memdedup_dead_letters_total 1\n/);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
