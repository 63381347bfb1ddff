// Runs a test file's engines on both stores: SQLite files, and a throwaway PostgreSQL cluster (one per file,
// a fresh schema per engine). PostgreSQL is skipped only when its binaries are not installed.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { validateCandidate } from '../../src/intake/validate.js';
import type { StoreOptions } from '../../src/options.js';
import type { Candidate, CandidateInput } from '../../src/types.js';
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

/**
 * A store-level fault on both stores: a real trigger refuses writes (`op`) to `table` (default: the journal) where `when` holds, an SQL
 * condition on NEW valid in both dialects (SQLite: RAISE ABORT; PostgreSQL: a check_violation).
 */
export async function refuseJournalWrites(store: StoreOptions, op: 'INSERT' | 'UPDATE', when: string, name = 'test_refuse', table = 'journal'): Promise<void> {
  if (store.kind === 'sqlite') {
    const db = new Database(store.path);
    db.exec(`CREATE TRIGGER ${name} BEFORE ${op} ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END`);
    db.close();
    return;
  }
  const c = new pg.Client({ connectionString: store.connectionString });
  await c.connect();
  const s = `"${store.schema}"`;
  try {
    await c.query(`CREATE FUNCTION ${s}.${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused by a test trigger' USING ERRCODE = 'check_violation'; END $$`);
    await c.query(`CREATE TRIGGER ${name} BEFORE ${op} ON ${s}.${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${s}.${name}()`);
  } finally {
    await c.end();
  }
}

/** Journal rows whose text contains `marker` (valid text, so it passes every schema) are refused. */
export function refuseMarkerInJournal(store: StoreOptions, marker: string): Promise<void> {
  const lit = `'${marker.replaceAll("'", "''")}'`;
  return refuseJournalWrites(store, 'INSERT', store.kind === 'sqlite' ? `instr(NEW.text, ${lit}) > 0` : `position(${lit} in NEW.text) > 0`, 'test_refuse_marker');
}

/** submit() without the NUL rule (the engine's validation seam): what a store sees when validation lets a bad row through. */
export function skipTextRules(input: unknown): Candidate {
  const raw = input as CandidateInput;
  return { ...validateCandidate({ ...raw, text: raw.text.replaceAll('\u0000', ' ') }), text: raw.text.trim() };
}

/** id -> last_error of every journal row, read behind the engine's back. */
export async function journalErrors(store: StoreOptions): Promise<Map<string, string | null>> {
  if (store.kind === 'sqlite') {
    const db = new Database(store.path, { readonly: true });
    const rows = db.prepare('SELECT id, last_error FROM journal').all() as { id: string; last_error: string | null }[];
    db.close();
    return new Map(rows.map((r) => [r.id, r.last_error]));
  }
  const c = new pg.Client({ connectionString: store.connectionString });
  await c.connect();
  try {
    const r = await c.query(`SELECT id, last_error FROM "${store.schema}".journal`);
    return new Map(r.rows.map((x: { id: string; last_error: string | null }) => [x.id, x.last_error]));
  } finally {
    await c.end();
  }
}
