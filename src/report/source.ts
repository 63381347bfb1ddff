// Where `memdedup report` reads events: a SQLite file (read-only, next to a live server in WAL mode) or
// PostgreSQL (a small pool of its own). Rows come in keyset pages by insertion order, so no read holds a
// long snapshot on a live store, and the caller can draw progress. Only the columns the report needs.
import Database from 'better-sqlite3';
import pg from 'pg';
import { MemdedupError } from '../errors.js';
import { pgSchemaName } from '../store/postgresSchema.js';

/** One event as the report sees it. */
export interface ReportRow {
  seq: number;
  userId: string;
  action: string;
  memoryId: string | null;
  method: string | null;
  policy: string;
  reasons: string[];
  undone: boolean;
  at: number;
}

/** A forget to look up: was the memory merged into (duplicate/updated) shortly before? */
export interface ForgetProbe { userId: string; memoryId: string; at: number }

export interface ReportSource {
  readonly kind: 'sqlite' | 'postgres';
  /** Events at or after `since` (ms), for the progress bar. */
  count(since: number): Promise<number>;
  /** The seq just before the first event at or after `since` (by the time index), where paging starts. */
  startSeq(since: number): Promise<number>;
  /** Up to `limit` events with seq > afterSeq and at >= since, by seq. */
  page(since: number, afterSeq: number, limit: number): Promise<ReportRow[]>;
  /** For each probe, the policy of a duplicate/updated event on that memory within `withinMs` before it, else null. */
  mergedBefore(probes: ForgetProbe[], withinMs: number): Promise<Array<string | null>>;
  close(): Promise<void>;
}

type Row = Record<string, unknown>;

function toRow(r: Row): ReportRow {
  let reasons: string[] = [];
  try { reasons = JSON.parse(String(r.reasons ?? '[]')) as string[]; } catch { /* a row written by hand: no reasons */ }
  return {
    seq: Number(r.seq), userId: String(r.user_id), action: String(r.action), memoryId: r.memory_id == null ? null : String(r.memory_id),
    method: r.method == null ? null : String(r.method), policy: r.policy == null ? 'default' : String(r.policy), reasons,
    undone: r.undone_by != null, at: Number(r.at),
  };
}

/** Stores migrated before dedup policies have no policy column: every event there was the built-in policy's. */
const columns = (hasPolicy: boolean) => `seq, user_id, action, memory_id, method, ${hasPolicy ? 'policy' : "'default' AS policy"}, reasons, undone_by, at`;

export class SqliteReportSource implements ReportSource {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly pageSt: Database.Statement;
  private readonly mergeSt: Database.Statement;

  constructor(path: string) {
    try {
      // Read-only: the report never migrates or writes, so it is safe next to a live `memdedup serve`.
      this.db = new Database(path, { readonly: true, fileMustExist: true });
      this.db.pragma('busy_timeout = 5000');
    } catch (e) {
      throw new MemdedupError('INVALID_INPUT', `cannot open the SQLite store ${path}: ${(e as Error).message}`);
    }
    const cols = this.db.prepare(`PRAGMA table_info(events)`).all() as Row[];
    if (cols.length === 0) throw new MemdedupError('INVALID_INPUT', `${path} is not a memdedup store (no events table)`);
    const hasPolicy = cols.some((c) => c.name === 'policy');
    // `+at`: page along the primary key; with the time index SQLite would sort the whole range for every page.
    this.pageSt = this.db.prepare(`SELECT ${columns(hasPolicy)} FROM events WHERE seq > ? AND +at >= ? ORDER BY seq LIMIT ?`);
    this.mergeSt = this.db.prepare(`SELECT ${hasPolicy ? 'policy' : "'default' AS policy"} FROM events WHERE user_id = ? AND memory_id = ?
      AND action IN ('duplicate', 'updated') AND at <= ? AND at >= ? ORDER BY seq DESC LIMIT 1`);
  }

  async count(since: number): Promise<number> {
    return Number((this.db.prepare('SELECT count(*) AS n FROM events WHERE at >= ?').get(since) as Row).n);
  }

  async startSeq(since: number): Promise<number> {
    const r = this.db.prepare('SELECT min(seq) AS s FROM events WHERE at >= ?').get(since) as Row;
    return r.s == null ? 0 : Number(r.s) - 1;
  }

  async page(since: number, afterSeq: number, limit: number): Promise<ReportRow[]> {
    return (this.pageSt.all(afterSeq, since, limit) as Row[]).map(toRow);
  }

  async mergedBefore(probes: ForgetProbe[], withinMs: number): Promise<Array<string | null>> {
    return probes.map((p) => {
      const r = this.mergeSt.get(p.userId, p.memoryId, p.at, p.at - withinMs) as Row | undefined;
      return r ? String(r.policy) : null;
    });
  }

  async close(): Promise<void> { this.db.close(); }
}

export class PostgresReportSource implements ReportSource {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly events: string;
  private hasPolicy: boolean | undefined;

  constructor(connectionString: string, schema?: string) {
    this.schema = pgSchemaName(schema);
    this.events = `"${this.schema}".events`;
    // Two connections at most: a report must not take a live server's database connections.
    this.pool = new pg.Pool({ connectionString, max: 2, application_name: 'memdedup-report' });
    this.pool.on('error', () => undefined);
  }

  private async cols(): Promise<string> {
    if (this.hasPolicy === undefined) {
      let r;
      try {
        r = await this.pool.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'events'`, [this.schema]);
      } catch (e) {
        throw new MemdedupError('STORE_UNAVAILABLE', `postgres store: ${(e as Error).message}`, undefined, { cause: e });
      }
      if (r.rowCount === 0) throw new MemdedupError('INVALID_INPUT', `schema ${this.schema} holds no memdedup store (no events table)`);
      this.hasPolicy = r.rows.some((x: Row) => x.column_name === 'policy');
    }
    return columns(this.hasPolicy);
  }

  async count(since: number): Promise<number> {
    await this.cols();
    return Number((await this.pool.query(`SELECT count(*) AS n FROM ${this.events} WHERE at >= $1`, [since])).rows[0].n);
  }

  async startSeq(since: number): Promise<number> {
    await this.cols();
    const r = await this.pool.query(`SELECT min(seq) AS s FROM ${this.events} WHERE at >= $1`, [since]);
    return r.rows[0].s == null ? 0 : Number(r.rows[0].s) - 1;
  }

  async page(since: number, afterSeq: number, limit: number): Promise<ReportRow[]> {
    const cols = await this.cols();
    const r = await this.pool.query(`SELECT ${cols} FROM ${this.events} WHERE seq > $1 AND at >= $2 ORDER BY seq LIMIT $3`, [afterSeq, since, limit]);
    return (r.rows as Row[]).map(toRow);
  }

  async mergedBefore(probes: ForgetProbe[], withinMs: number): Promise<Array<string | null>> {
    if (probes.length === 0) return [];
    await this.cols();
    const policy = this.hasPolicy ? 'e.policy' : "'default'";
    const r = await this.pool.query(`SELECT f.i, m.policy FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS f(user_id, memory_id, at, i)
      JOIN LATERAL (SELECT ${policy} AS policy FROM ${this.events} e WHERE e.user_id = f.user_id AND e.memory_id = f.memory_id
        AND e.action IN ('duplicate', 'updated') AND e.at <= f.at AND e.at >= f.at - $4 ORDER BY e.seq DESC LIMIT 1) m ON true`,
    [probes.map((p) => p.userId), probes.map((p) => p.memoryId), probes.map((p) => p.at), withinMs]);
    const out: Array<string | null> = probes.map(() => null);
    for (const row of r.rows as Row[]) out[Number(row.i) - 1] = String(row.policy);
    return out;
  }

  async close(): Promise<void> { await this.pool.end(); }
}
