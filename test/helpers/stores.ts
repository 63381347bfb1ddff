// Runs a test file's engines on both stores: SQLite files, and a throwaway PostgreSQL cluster (one per file,
// a fresh schema per engine). PostgreSQL is skipped only when its binaries are not installed.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { StoreOptions } from '../../src/options.js';
import { tempDir } from './engine.js';
import { hasPostgres, startPostgres, type RunningPostgres } from './postgres.js';

export type StoreKind = 'sqlite' | 'postgres';
export const STORE_KINDS: StoreKind[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite'];
if (!hasPostgres()) console.warn('SKIP the postgres half: PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql');

let server: RunningPostgres | undefined;
let starting: Promise<RunningPostgres> | undefined;

/** Store options for a fresh, empty store of this kind. */
export async function freshStore(kind: StoreKind, dir = tempDir()): Promise<StoreOptions> {
  if (kind === 'sqlite') return { kind: 'sqlite', path: join(dir, 'test.db') };
  server ??= await (starting ??= startPostgres());
  return { kind: 'postgres', connectionString: server.url, schema: `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`, pool: { max: 4 } };
}

export function stopPostgres(): void {
  server?.stop();
  server = undefined;
  starting = undefined;
}

/**
 * Makes the store refuse journal rows whose text contains U+0000, as PostgreSQL does by itself: a real
 * SQLite trigger (RAISE ABORT, SQLITE_CONSTRAINT_TRIGGER), so SQLite has a poison row too. PostgreSQL: nothing to do.
 */
export function refuseNulInJournal(store: StoreOptions): void {
  if (store.kind !== 'sqlite') return;
  const db = new Database(store.path);
  db.exec(`CREATE TRIGGER IF NOT EXISTS test_refuse_nul BEFORE INSERT ON journal
    WHEN instr(CAST(NEW.text AS BLOB), x'00') > 0 BEGIN SELECT RAISE(ABORT, 'text contains U+0000'); END`);
  db.close();
}

/** Runs one SQL statement on a store behind the engine's back (test setup). */
export async function storeSql(store: StoreOptions, sql: string): Promise<void> {
  if (store.kind === 'sqlite') {
    const db = new Database(store.path);
    db.exec(sql);
    db.close();
    return;
  }
  const c = new pg.Client({ connectionString: store.connectionString });
  await c.connect();
  try { await c.query(sql.replaceAll('{s}', `"${store.schema}"`)); } finally { await c.end(); }
}
