// The policy migration on a store written before dedup policies existed: its events come back as the
// built-in policy's, new ones keep theirs, on SQLite and on PostgreSQL.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres.js';
import { PG_MIGRATIONS } from '../../src/store/postgresSchema.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqliteSchema.js';
import { tempDir } from '../helpers/engine.js';
import { hasPostgres, startPostgres, type RunningPostgres } from '../helpers/postgres.js';
import { ev, mem } from './contract.js';

/** The migrations before this one: the policy migration is the last of each list. */
const BEFORE = SQLITE_MIGRATIONS.length - 1;
const OLD_COLS = 'id, user_id, candidate_id, action, memory_id, compared_memory_id, compared_text, candidate_text, previous_text, method, score, reasons, undoes, undone_by, at';

it('SQLite: events from before the migration read as policy default; the column and the time index exist after', async () => {
  const path = join(tempDir('memdedup-mig-'), 'old.db');
  const db = new Database(path);
  for (let v = 0; v < BEFORE; v++) { db.exec(SQLITE_MIGRATIONS[v]!); db.pragma(`user_version = ${v + 1}`); }
  db.prepare(`INSERT INTO events (${OLD_COLS}) VALUES ('old-e', 'u', 'old-c', 'duplicate', 'm', 'm', 'x', 'x', NULL, 'exact', 1, '[]', NULL, NULL, 1)`).run();
  db.close();
  const store = new SqliteStore(path);
  await store.init();
  expect((await store.event('old-e'))?.policy).toBe('default');
  const e = ev('u', 'new-c', 'm', { policy: 'strict' });
  expect(await store.commit({ userId: 'u', expectedVersion: 0, memories: [mem('u')], events: [e], journalIds: [] })).toBe(true);
  expect((await store.event(e.id))?.policy).toBe('strict');
  await store.close();
  const check = new Database(path, { readonly: true });
  expect(check.pragma('user_version', { simple: true })).toBe(SQLITE_MIGRATIONS.length);
  expect((check.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'events_at'`).get() as { name: string }).name).toBe('events_at');
  check.close();
});

const available = hasPostgres();
describe.skipIf(!available)('PostgreSQL', () => {
  let server: RunningPostgres | undefined;
  beforeAll(async () => { server = await startPostgres(); });
  afterAll(() => server?.stop());

  it('events from before the migration read as policy default; new ones keep theirs', async () => {
    const schema = `m_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const c = new pg.Client({ connectionString: server!.url });
    await c.connect();
    await c.query(`CREATE SCHEMA "${schema}"`);
    await c.query(`CREATE TABLE "${schema}".migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)`);
    for (let v = 0; v < PG_MIGRATIONS.length - 1; v++) {
      await c.query(PG_MIGRATIONS[v]!.replaceAll('{s}', `"${schema}"`));
      await c.query(`INSERT INTO "${schema}".migrations VALUES ($1, 0)`, [v + 1]);
    }
    await c.query(`INSERT INTO "${schema}".events (${OLD_COLS}) VALUES ('old-e', 'u', 'old-c', 'duplicate', 'm', 'm', 'x', 'x', NULL, 'exact', 1, '[]', NULL, NULL, 1)`);
    await c.end();
    const store = new PostgresStore({ kind: 'postgres', connectionString: server!.url, schema });
    await store.init();
    expect(await store.schemaVersion()).toBe(PG_MIGRATIONS.length);
    expect((await store.event('old-e'))?.policy).toBe('default');
    const e = ev('u', 'new-c', 'm', { policy: 'strict' });
    expect(await store.commit({ userId: 'u', expectedVersion: 0, memories: [mem('u')], events: [e], journalIds: [] })).toBe(true);
    expect((await store.event(e.id))?.policy).toBe('strict');
    await store.close();
  }, 60_000);
});
