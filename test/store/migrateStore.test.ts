// Going from SQLite to PostgreSQL: `memdedup migrate-store` (the real CLI) copies a real SQLite store, then
// `memdedup serve` with DATABASE_URL answers from PostgreSQL, and an engine there carries on where SQLite stopped.
import { execFile, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveOptionsFromEnv } from '../../src/cli/serve.js';
import { parseStoreRefs } from '../../src/cli/migrateStore.js';
import { createEngine } from '../../src/engine.js';
import type { StoreOptions } from '../../src/options.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { freePort, hasPostgres, startPostgres, type RunningPostgres } from '../helpers/postgres.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';

const run = promisify(execFile);
const BIN = resolve('bin/memdedup.js');
const available = hasPostgres();
if (!available) console.warn('SKIP test/store/migrateStore.test.ts: PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql');

describe('store configuration', () => {
  it('serve uses PostgreSQL when DATABASE_URL is set', () => {
    expect(serveOptionsFromEnv({}).store).toEqual({ kind: 'sqlite', path: './data/memdedup.db' });
    expect(serveOptionsFromEnv({ DATABASE_URL: 'postgres://h/db', MEMDEDUP_PG_SCHEMA: 'chat', MEMDEDUP_PG_POOL_MAX: '20' }).store)
      .toEqual({ kind: 'postgres', connectionString: 'postgres://h/db', schema: 'chat', pool: { max: 20 } });
    expect(() => serveOptionsFromEnv({ DATABASE_URL: 'postgres://h/db', MEMDEDUP_PG_POOL_MAX: 'lots' })).toThrow(/MEMDEDUP_PG_POOL_MAX/);
  });

  it('migrate-store reads sqlite:PATH and postgres:URL', () => {
    expect(parseStoreRefs(['--from', 'sqlite:/d/m.db', '--to', 'postgres:postgres://u@h:5/db'])).toEqual({ from: '/d/m.db', to: 'postgres://u@h:5/db' });
    expect(parseStoreRefs(['--from', 'sqlite:m.db', '--to', 'postgresql://h/db', '--schema', 's'])).toEqual({ from: 'm.db', to: 'postgresql://h/db', schema: 's' });
    expect(() => parseStoreRefs(['--from', 'm.db', '--to', 'postgres://h/db'])).toThrow(/--from/);
    expect(() => parseStoreRefs(['--from', 'sqlite:m.db', '--to', 'mysql://h/db'])).toThrow(/--to/);
  });
});

describe.skipIf(!available)('from SQLite to PostgreSQL', () => {
  let pg: RunningPostgres;
  beforeAll(async () => { pg = await startPostgres(); });
  afterAll(() => pg?.stop());

  it('copies memories, events, user versions and the journal; re-running copies nothing twice', async () => {
    const dir = tempDir('memdedup-migrate-');
    const flags = writeFlagsFile(dir);
    const db = join(dir, 'm.db');
    const sqlite = await createEngine({ store: { kind: 'sqlite', path: db }, flags: { kind: 'embedded', file: flags } });
    const texts = ['Lives in Lisbon', 'lives in lisbon', 'Has two cats', 'Works as a nurse', 'Has two cats.'];
    for (const [i, text] of texts.entries()) await sqlite.submit({ userId: `m${i % 2}`, text, id: `mig-${i}` }).decided;
    const [added] = (await sqlite.events('m1')).filter((e) => e.action === 'added');
    await sqlite.undo(added!.id);
    // Left in the journal: one pending row and one dead letter.
    await sqlite.store.appendJournal([{ id: 'pending-1', userId: 'm0', text: 'Plays the cello', priority: 'high', acceptedAt: Date.now(), attempts: 0 },
      { id: 'dead-1', userId: 'm1', text: 'Poison', priority: 'low', acceptedAt: Date.now(), attempts: 0 }], { owner: 'gone', until: Date.now() + 600_000 });
    await sqlite.store.failJournal([{ id: 'dead-1', attempts: 5, lastError: 'poison pill', notBefore: 0, dead: true }]);
    const before = {
      m0: { mems: await sqlite.memories('m0', { status: 'all' }), events: await sqlite.events('m0'), v: await sqlite.store.userVersion('m0') },
      m1: { mems: await sqlite.memories('m1', { status: 'all' }), events: await sqlite.events('m1'), v: await sqlite.store.userVersion('m1') },
    };
    await sqlite.close();

    const args = ['migrate-store', '--from', `sqlite:${db}`, '--to', `postgres:${pg.url}`, '--schema', 'moved'];
    const first = await run(process.execPath, [BIN, ...args]);
    expect(first.stdout).toMatch(/copied 2 users, \d+ memories, \d+ events, 2 journal rows/);
    await run(process.execPath, [BIN, ...args]);

    const store: StoreOptions = { kind: 'postgres', connectionString: pg.url, schema: 'moved' };
    // Compared on the bare store: an engine would start deciding the pending row at once.
    const copy = new PostgresStore({ kind: 'postgres', connectionString: pg.url, schema: 'moved' });
    await copy.init();
    for (const u of ['m0', 'm1'] as const) {
      expect((await copy.memories(u, { status: 'all', limit: 1000 })).items).toEqual(before[u].mems);
      expect((await copy.events(u, { limit: 1000 })).items).toEqual(before[u].events);
      expect(await copy.userVersion(u)).toBe(before[u].v);
    }
    expect((await copy.deadLetters()).map((c) => [c.id, c.lastError])).toEqual([['dead-1', 'poison pill']]);
    expect(await copy.journalDepth()).toBe(1);
    await copy.close();
    const e = await createEngine({ store, flags: { kind: 'embedded', file: flags } });
    // The pending row's SQLite lease means nothing here: PostgreSQL engines decide it.
    await e.drain(30_000);
    expect((await e.decision('pending-1'))?.action).toBe('added');
    expect((await e.submit({ userId: 'm0', text: 'LIVES IN LISBON', id: 'after-move' }).decided).action).toBe('duplicate');
    await e.close();

    // serve on DATABASE_URL answers from the migrated schema.
    const port = await freePort();
    const srv = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: pg.url,
      MEMDEDUP_PG_SCHEMA: 'moved', MEMDEDUP_FLAGS_FILE: flags }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    srv.stdout.on('data', (d) => { log += d; });
    srv.stderr.on('data', (d) => { log += d; });
    try {
      let body: { memories: { text: string; seenCount: number }[] } | undefined;
      for (let i = 0; i < 100 && !body; i++) {
        try { body = await (await fetch(`http://127.0.0.1:${port}/api/memory/users/m0/memories`)).json() as typeof body; }
        catch { await new Promise((r) => setTimeout(r, 100)); }
      }
      expect(body?.memories.find((m) => m.text === 'Lives in Lisbon')?.seenCount, log).toBe(2);
    } finally {
      srv.kill('SIGTERM');
      await new Promise((r) => srv.once('exit', r));
    }
  }, 120_000);
});
