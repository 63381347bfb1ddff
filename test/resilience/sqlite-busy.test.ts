// SQLITE_BUSY for real: a second better-sqlite3 connection holds the write lock (BEGIN IMMEDIATE) past
// the store's busy_timeout while a batch commits. The batch is retried in place and ends in success,
// without burning the candidate's attempts.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import type { EngineEventMap } from '../../src/engineEvents.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';
import { faulty } from './faults.js';

let engine: Engine | undefined;
afterEach(async () => { await engine?.close(); engine = undefined; });

describe('store busy', () => {
  it('retries a batch that met SQLITE_BUSY and decides it', async () => {
    const dir = tempDir();
    const path = `${dir}/busy.db`;
    let locker: Database.Database | undefined;
    engine = await Engine.create({ logLevel: 'silent',
      store: { kind: 'sqlite', path }, flags: { kind: 'embedded', file: writeFlagsFile(dir) },
      retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 200 },
    }, {
      deduper: faulty({
        prepare: (texts) => {
          if (!locker && texts.some((t) => t.includes('locked out'))) {
            // Take the write lock from another connection just before the batch commits; let it go
            // only once the event loop turns again, i.e. after the store's busy_timeout gave up.
            locker = new Database(path);
            locker.exec('BEGIN IMMEDIATE');
            setTimeout(() => { locker!.exec('COMMIT'); locker!.close(); }, 50);
          }
        },
      }),
    });
    const retries: EngineEventMap['retry'][0][] = [];
    engine.emitter.on('retry', (e) => retries.push(e));
    const d = await engine.submit({ userId: 'busy', text: 'Was locked out of the house yesterday' }).decided;
    expect(d.action).toBe('added');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries[0]!.error).toMatch(/locked|busy/i);
    expect(retries.every((r) => r.attempt === 0)).toBe(true);
    expect(await engine.deadLetters()).toEqual([]);
    expect((await engine.memories('busy')).map((m) => m.text)).toEqual(['Was locked out of the house yesterday']);
  }, 30_000);
});
