// One bad row never blocks everyone: a row the store refuses, among 1,000 good ones submitted with it, is
// answered on its own (STORE_REJECTED) while the 1,000 become durable and decided. On PostgreSQL the refusal is
// the real one (U+0000 in text); on SQLite a real trigger refuses the same row. The text rules stop such a row
// at submit(), so the test reaches the store through the engine's internal validation seam.
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';
import { freshStore, refuseNulInJournal, skipTextRules, STORE_KINDS, stopPostgres } from '../helpers/stores.js';

afterAll(() => stopPostgres());


describe.each(STORE_KINDS)('a poison row on %s', (kind) => {
  it('leaves 1,000 good rows durable and decided and answers the poison row on its own', async () => {
    const dir = tempDir();
    const store = await freshStore(kind, dir);
    const engine = await Engine.create({ store, flags: { kind: 'embedded', file: writeFlagsFile(dir) }, logLevel: 'silent' },
      { validate: skipTextRules });
    refuseNulInJournal(store);
    try {
      const t0 = performance.now();
      const goodOne = (i: number) => engine.submit({ userId: `pr-${i % 40}`, text: `Fact ${i} of the poison-row test`, id: `good-${i}` });
      // In the middle of the first group-commit chunk (500 rows), so the chunk really holds it.
      const good = Array.from({ length: 250 }, (_, i) => goodOne(i));
      const bad = engine.submit({ userId: 'pr-7', text: 'Has a \u0000 in the middle', id: 'poison' });
      good.push(...Array.from({ length: 750 }, (_, i) => goodOne(250 + i)));
      const badAnswer = await bad.accepted;
      const badMs = performance.now() - t0;
      const acceptances = await Promise.all(good.map((s) => s.accepted));
      const goodDurableMs = performance.now() - t0;

      expect(badAnswer.durable).toBe(false);
      expect(badAnswer.error?.code).toBe('STORE_REJECTED');
      expect(badAnswer.error?.message).toMatch(kind === 'postgres' ? /0x00|invalid byte sequence/ : /U\+0000/);
      const badDecision = await bad.decided;
      expect(badDecision.action).toBe('rejected');
      expect(badDecision.error).toBe(badAnswer.error?.message);
      expect(acceptances.every((a) => a.durable && !a.error)).toBe(true);

      expect(await engine.drain(60_000)).toBe(true);
      const decisions = await Promise.all(good.map((s) => s.decided));
      const decidedMs = performance.now() - t0;
      // Decided by the cascade (what it decided does not matter here), none deferred, dead-lettered or rejected.
      expect(decisions.filter((d) => !['added', 'duplicate', 'updated', 'superseded'].includes(d.action)).map((d) => d.action)).toEqual([]);
      expect((await engine.store.eventsForCandidates(good.map((s) => s.id))).length).toBe(1000);
      // The poison row left nothing behind: no journal row, no dead letter, no event, and it was counted once.
      expect(await engine.store.journalDepth()).toBe(0);
      expect(await engine.deadLetters()).toEqual([]);
      expect(await engine.decision('poison')).toBeUndefined();
      const metrics = await engine.registry.metrics();
      expect(metrics).toMatch(/memdedup_candidates_total\{outcome="rejected",priority="normal"\} 1\n/);
      expect(metrics).toMatch(/memdedup_candidates_total\{outcome="accepted",priority="normal"\} 1000\n/);
      console.log(`poison-row ${kind}: poison answered in ${badMs.toFixed(0)} ms, 1000 good durable in ${goodDurableMs.toFixed(0)} ms, decided in ${decidedMs.toFixed(0)} ms`);
    } finally {
      await engine.close();
    }
  }, 120_000);

  it('keeps retrying a chunk whose failure is transient, and rejects nothing', async () => {
    const dir = tempDir();
    const store = await freshStore(kind, dir);
    // Patches the store object of this thread: the group commit must run here (inline).
    const engine = await Engine.create({ store, flags: { kind: 'embedded', file: writeFlagsFile(dir) }, logLevel: 'silent', thread: 'inline' });
    const append = engine.store.appendJournal.bind(engine.store);
    let failures = 0;
    // The store is busy for the first few writes (a retryable code of the table in src/resilience/retry.ts).
    engine.store.appendJournal = async (rows, lease) => {
      if (failures++ < 3) throw Object.assign(new Error('database is locked'), { code: kind === 'sqlite' ? 'SQLITE_BUSY' : '40001' });
      return append(rows, lease);
    };
    try {
      const subs = Array.from({ length: 50 }, (_, i) => engine.submit({ userId: `tr-${i % 5}`, text: `Transient fact ${i}` }));
      const acceptances = await Promise.all(subs.map((s) => s.accepted));
      expect(acceptances.every((a) => a.durable)).toBe(true);
      expect(failures).toBe(4);
      expect(await engine.drain(30_000)).toBe(true);
      expect((await engine.store.eventsForCandidates(subs.map((s) => s.id))).length).toBe(50);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
