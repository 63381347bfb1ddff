// `memdedup migrate-store --from sqlite:PATH --to postgres:URL [--schema NAME]`: copies a SQLite store into
// PostgreSQL (users with their versions, memories, events, the journal and meta), in insertion order.
// Idempotent: rows already there (by id) are kept, so an interrupted copy can simply be run again.
// Stop every engine writing to the SQLite file first; start the PostgreSQL engines after.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { MemdedupError } from '../errors.js';
import { parseCommand, parseStrict, type ArgValues, type CommandSpec } from './args.js';
import { PostgresStore } from '../store/postgres.js';
import { rowToCandidate, rowToEvent, rowToMemory } from '../store/rows.js';

type Row = Record<string, unknown>;
const PAGE = 2000;

export const MIGRATE_USAGE = `usage: memdedup migrate-store --from sqlite:PATH --to postgres:URL [--schema NAME]
  copies users (versions), memories, events, the journal and meta from a SQLite store into PostgreSQL.
  Safe to re-run: rows already copied are kept. Stop the engines on the SQLite file first.
`;

const MIGRATE_SPEC: CommandSpec = { name: 'migrate-store', usage: MIGRATE_USAGE,
  options: { from: { type: 'string' }, to: { type: 'string' }, schema: { type: 'string' } } };

/** --from/--to checked; throws INVALID_INPUT naming the bad one. */
export function parseStoreRefs(argv: string[]): { from: string; to: string; schema?: string } {
  return storeRefs(parseStrict(MIGRATE_SPEC, argv).values);
}

function storeRefs(values: ArgValues): { from: string; to: string; schema?: string } {
  const from = typeof values.from === 'string' ? values.from : '';
  const to = typeof values.to === 'string' ? values.to : '';
  if (!from.startsWith('sqlite:') || from.length <= 'sqlite:'.length) throw new MemdedupError('INVALID_INPUT', `--from must be sqlite:PATH\n${MIGRATE_USAGE}`);
  // Both `postgres:postgres://...` and a bare `postgres://...` URL are accepted.
  const url = /^postgres(ql)?:\/\//.test(to) ? to : to.startsWith('postgres:') ? to.slice('postgres:'.length) : '';
  if (!/^postgres(ql)?:\/\//.test(url)) throw new MemdedupError('INVALID_INPUT', `--to must be postgres:URL (postgres://user@host:port/db)\n${MIGRATE_USAGE}`);
  return { from: from.slice('sqlite:'.length), to: url, ...(typeof values.schema === 'string' ? { schema: values.schema } : {}) };
}

export interface MigrateCounts { users: number; memories: number; events: number; journal: number; meta: number }

/** Copies everything; resolves with the rows read from SQLite per table. */
export async function migrateStore(fromPath: string, toUrl: string, schema?: string, log: (line: string) => void = () => {}): Promise<MigrateCounts> {
  if (!existsSync(fromPath)) throw new MemdedupError('NOT_FOUND', `SQLite store ${fromPath} not found`);
  const db = new Database(fromPath, { readonly: true, fileMustExist: true });
  const pg = new PostgresStore({ kind: 'postgres', connectionString: toUrl, ...(schema ? { schema } : {}), pool: { max: 2 } });
  const counts: MigrateCounts = { users: 0, memories: 0, events: 0, journal: 0, meta: 0 };
  try {
    if ((db.pragma('user_version', { simple: true }) as number) < 1) throw new MemdedupError('INVALID_INPUT', `${fromPath} is not a memdedup store`);
    await pg.init();
    // Paged by seq (rowid for users/meta), so memory stays flat however big the file is.
    const pages = function* (sql: string): Generator<Row[]> {
      let after = 0;
      for (;;) {
        const rows = db.prepare(sql).all(after, PAGE) as Row[];
        if (rows.length === 0) return;
        yield rows;
        after = Number(rows[rows.length - 1]!.k);
      }
    };
    for (const rows of pages('SELECT rowid AS k, user_id, version FROM users WHERE rowid > ? ORDER BY rowid LIMIT ?')) {
      await pg.importRows({ users: rows.map((r) => ({ userId: String(r.user_id), version: Number(r.version) })) });
      counts.users += rows.length;
    }
    for (const rows of pages('SELECT seq AS k, * FROM memories WHERE seq > ? ORDER BY seq LIMIT ?')) {
      await pg.importRows({ memories: rows.map(rowToMemory) });
      counts.memories += rows.length;
    }
    for (const rows of pages('SELECT seq AS k, * FROM events WHERE seq > ? ORDER BY seq LIMIT ?')) {
      await pg.importRows({ events: rows.map(rowToEvent) });
      counts.events += rows.length;
    }
    for (const rows of pages('SELECT seq AS k, * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?')) {
      await pg.importRows({ journal: rows.map((r) => ({ ...rowToCandidate(r), notBefore: Number(r.not_before), dead: Number(r.dead) === 1 })) });
      counts.journal += rows.length;
    }
    for (const rows of pages('SELECT rowid AS k, key, value FROM meta WHERE rowid > ? ORDER BY rowid LIMIT ?')) {
      await pg.importRows({ meta: rows.map((r) => ({ key: String(r.key), value: String(r.value) })) });
      counts.meta += rows.length;
    }
    log(`copied ${counts.users} users, ${counts.memories} memories, ${counts.events} events, ${counts.journal} journal rows, ${counts.meta} meta keys into schema ${pg.schema}`);
    return counts;
  } finally {
    db.close();
    await pg.close();
  }
}

export async function migrateStoreCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(MIGRATE_SPEC, argv);
  if (typeof parsed === 'number') return parsed;
  const { from, to, schema } = storeRefs(parsed.values);
  await migrateStore(from, to, schema, (line) => process.stdout.write(`memdedup: ${line}\n`));
  return 0;
}
