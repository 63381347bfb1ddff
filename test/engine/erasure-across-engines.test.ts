// Erasure holds in every process: two engines on one real PostgreSQL schema (each with its own pool, lanes and
// caches, as two processes would have). One holds a user's accepted, undecided candidates in its lanes while the
// other erases the user: nothing of the user is written back, the dropped candidates are decided `disabled`
// with reason `user-erased`, and candidates accepted after the erase start from nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine.js';
import type { StoreOptions } from '../../src/options.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';
import { hasPostgres, startPostgres, type RunningPostgres } from '../helpers/postgres.js';

const available = hasPostgres();
if (!available) console.warn('SKIP test/engine/erasure-across-engines.test.ts: PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql');

let pg: RunningPostgres | undefined;
let flags: string;

describe.skipIf(!available)('erasure across engines on one PostgreSQL', () => {
  beforeAll(async () => { pg = await startPostgres(); flags = writeFlagsFile(tempDir()); });
  afterAll(() => pg?.stop());

  it('drops what the other engine accepted before the erase, everywhere, and keeps what came after', async () => {
    const store: StoreOptions = { kind: 'postgres', connectionString: pg!.url, schema: `ea_${randomUUID().replaceAll('-', '').slice(0, 12)}` };
    const open = (): Promise<Engine> => createEngine({ store, flags: { kind: 'embedded', file: flags }, logLevel: 'silent', batchSize: 20 });
    const [feeder, eraser] = [await open(), await open()];
    // A warm cache in the feeder: the user's state from before the erase must never be written back.
    await feeder.submit({ userId: 'victim', text: 'Has a secret diary' }).decided;
    const subs = Array.from({ length: 1500 }, (_, i) => feeder.submit({ userId: 'victim', text: `Private fact number ${i} about topic ${i % 37}` }));
    const kept = Array.from({ length: 50 }, (_, i) => feeder.submit({ userId: 'keeper', text: `Kept fact ${i}` }));
    await Promise.all([...subs, ...kept].map((s) => s.accepted));
    await eraser.erase('victim');
    const decisions = await Promise.all(subs.map((s) => s.decided));
    expect(await feeder.drain(60_000)).toBe(true);

    expect(await eraser.memories('victim', { status: 'all' })).toEqual([]);
    expect(await eraser.events('victim')).toEqual([]);
    const dropped = decisions.filter((d) => d.action === 'disabled');
    // Undecided at the erase, or this test proves nothing.
    expect(dropped.length).toBeGreaterThan(0);
    for (const d of dropped) expect(d.reasons).toEqual(['user-erased']);
    expect(new Set((await eraser.events('keeper')).map((e) => e.candidateId)).size).toBe(50);

    const after = await feeder.submit({ userId: 'victim', text: 'Has a secret diary' }).decided;
    expect(after.action).toBe('added');
    expect((await eraser.memories('victim')).map((m) => m.text)).toEqual(['Has a secret diary']);
    await Promise.all([feeder.close(), eraser.close()]);
  }, 120_000);
});
