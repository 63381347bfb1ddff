// PostgreSQL store: many engine processes share one database. What makes that safe:
// - journal rows are claimed with FOR UPDATE SKIP LOCKED and carry a short lease that the owner renews
//   (a dead process's rows come free when the lease runs out);
// - a user's batch commits under a transaction-scoped per-user advisory lock, guarded by the user version;
// - events.candidate_id is UNIQUE: a second event for a candidate aborts the commit, the engine re-decides
//   and finds the first one.
// Parameterised SQL only; the one identifier in the SQL text is the validated schema name.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { MemdedupError } from '../errors.js';
import type { StoreOptions } from '../options.js';
import type { Candidate, MemdedupEvent, Memory } from '../types.js';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.js';
import { PgWake } from './pgWake.js';
import { PG_MIGRATIONS, pgSchemaName } from './postgresSchema.js';
import { EVENT_COLUMNS, MEMORY_ARITY, MEMORY_COLUMNS, eventParams, memoryParams, rowToCandidate, rowToEvent, rowToMemory } from './rows.js';
import type { BatchCommit, JournalFailure, Page, PageQuery, Store, StoreTiming, UserSnapshot } from './types.js';

type Row = Record<string, unknown>;
export type PostgresStoreOptions = Extract<StoreOptions, { kind: 'postgres' }>;

/** Defaults for a shared store: a lease short enough that a dead process's work moves on within seconds. */
export const PG_TIMING: StoreTiming = { leaseMs: 20_000, pollMs: 500 };
const JOURNAL_COLS = 'id, user_id, text, priority, source, accepted_at, attempts, lease_owner, lease_until';
/** Rows per multi-row INSERT (PostgreSQL binds at most 65535 parameters). */
const CHUNK = 1000;
const UNIQUE_VIOLATION = '23505';
/** Liveness rows of processes gone this long are removed. */
const INSTANCE_FORGET_MS = 3_600_000;

/** `($1,$2,..),($k,..)` for `rows` rows of `cols` parameters each. */
function values(rows: number, cols: number): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) out.push(`(${Array.from({ length: cols }, (_, c) => `$${r * cols + c + 1}`).join(',')})`);
  return out.join(',');
}

function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly timing: StoreTiming;
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly wake: PgWake;
  private readonly t: { meta: string; users: string; journal: string; memories: string; events: string; migrations: string; instances: string };
  private closed = false;
  private readonly names = new Map<string, string>();

  constructor(o: PostgresStoreOptions) {
    if (!o.connectionString || typeof o.connectionString !== 'string') {
      throw new MemdedupError('INVALID_INPUT', 'options.store.connectionString is required for the postgres store');
    }
    this.schema = pgSchemaName(o.schema);
    this.timing = { leaseMs: o.leaseMs ?? PG_TIMING.leaseMs, pollMs: o.pollMs ?? PG_TIMING.pollMs };
    const s = `"${this.schema}"`;
    this.t = { meta: `${s}.meta`, users: `${s}.users`, journal: `${s}.journal`, memories: `${s}.memories`, events: `${s}.events`,
      migrations: `${s}.migrations`, instances: `${s}.instances` };
    this.pool = new pg.Pool({
      connectionString: o.connectionString,
      max: o.pool?.max ?? 10,
      idleTimeoutMillis: o.pool?.idleTimeoutMs ?? 30_000,
      connectionTimeoutMillis: o.pool?.connectionTimeoutMs ?? 30_000,
      application_name: 'memdedup',
    });
    // An idle client losing its connection must not crash the host; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.wake = new PgWake(o.connectionString, `memdedup_${this.schema}`);
  }

  async init(): Promise<void> {
    try {
      await this.migrate();
    } catch (e) {
      await this.pool.end().catch(() => undefined);
      throw e instanceof MemdedupError ? e
        : new MemdedupError('STORE_UNAVAILABLE', `postgres store: ${(e as Error).message}`, undefined, { cause: e });
    }
    await this.wake.start();
  }

  /** Applies pending migrations under a session advisory lock, so concurrent starts migrate once. */
  private async migrate(): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query('SELECT pg_advisory_lock(hashtext($1))', [`memdedup:migrate:${this.schema}`]);
      try {
        // Only create when missing: CREATE SCHEMA needs CREATE on the database even with IF NOT EXISTS.
        const has = await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema]);
        if (has.rowCount === 0) await c.query(`CREATE SCHEMA "${this.schema}"`);
        await c.query(`CREATE TABLE IF NOT EXISTS ${this.t.migrations} (version integer PRIMARY KEY, applied_at bigint NOT NULL)`);
        const r = await c.query(`SELECT coalesce(max(version), 0) AS v FROM ${this.t.migrations}`);
        for (let v = Number(r.rows[0].v); v < PG_MIGRATIONS.length; v++) {
          await c.query('BEGIN');
          try {
            await c.query(PG_MIGRATIONS[v]!.replaceAll('{s}', `"${this.schema}"`));
            await c.query(`INSERT INTO ${this.t.migrations} (version, applied_at) VALUES ($1, $2)`, [v + 1, Date.now()]);
            await c.query('COMMIT');
          } catch (e) {
            await c.query('ROLLBACK').catch(() => undefined);
            throw e;
          }
        }
      } finally {
        await c.query('SELECT pg_advisory_unlock(hashtext($1))', [`memdedup:migrate:${this.schema}`]);
      }
    } finally {
      c.release();
    }
  }

  /** The schema version applied (tests, operators). */
  async schemaVersion(): Promise<number> {
    const r = await this.pool.query(`SELECT coalesce(max(version), 0) AS v FROM ${this.t.migrations}`);
    return Number(r.rows[0].v);
  }

  onWork(listener: () => void): void {
    this.wake.onWork(listener);
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect().catch(tagPoolError);
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  /**
   * Fixed SQL text runs as a named prepared statement: PostgreSQL parses and plans it once per connection, which is
   * most of the server's CPU on the hot path (claim, version checks, replays). Multi-row VALUES inserts stay unnamed.
   */
  private named(sql: string, values: unknown[]): pg.QueryConfig {
    let name = this.names.get(sql);
    if (!name) this.names.set(sql, (name = `md_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`));
    return { name, text: sql, values };
  }

  private async q(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(this.named(sql, params)).catch(tagPoolError)).rows as Row[];
  }

  private async notify(reason: string): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [this.wake.channel, reason]);
  }

  async appendJournal(rows: Candidate[], lease: { owner: string; until: number }): Promise<void> {
    if (rows.length === 0) return;
    const write = async (c: pg.PoolClient | pg.Pool) => {
      for (const part of chunks(rows)) {
        const params = part.flatMap((r) => [r.id, r.userId, r.text, r.priority, r.source ?? null, r.acceptedAt, r.attempts, lease.owner, lease.until]);
        await c.query(`INSERT INTO ${this.t.journal} (${JOURNAL_COLS}) VALUES ${values(part.length, 9)} ON CONFLICT (id) DO NOTHING`, params);
      }
    };
    if (rows.length <= CHUNK) await write(this.pool);
    else await this.tx(write);
  }

  async claimJournal(owner: string, limit: number, leaseMs: number, excludeUsers?: ReadonlySet<string>): Promise<Candidate[]> {
    const now = Date.now();
    // Free: released (lease 0), or both the row's lease and its owner's heartbeat have run out.
    const rows = await this.q(`UPDATE ${this.t.journal} SET lease_owner = $1, lease_until = $2 WHERE seq IN (
        SELECT j.seq FROM ${this.t.journal} j WHERE j.dead = 0 AND j.not_before <= $3 AND j.lease_until <= $3
          AND (j.lease_until = 0 OR NOT EXISTS (
            SELECT 1 FROM ${this.t.instances} i WHERE i.owner = j.lease_owner AND i.alive_until > $3))
          AND NOT (j.user_id = ANY($5::text[])) ORDER BY j.seq LIMIT $4 FOR UPDATE SKIP LOCKED)
      RETURNING *`, [owner, now + leaseMs, now, limit, [...(excludeUsers ?? [])]]);
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map(rowToCandidate);
  }

  async renewLeases(owner: string, ids: string[], leaseMs: number): Promise<string[]> {
    const now = Date.now();
    // One row per process, not one per candidate: a heartbeat costs the same with 10 or 10,000 rows held.
    await this.q(`INSERT INTO ${this.t.instances} (owner, alive_until) VALUES ($1, $2)
      ON CONFLICT (owner) DO UPDATE SET alive_until = excluded.alive_until`, [owner, now + leaseMs]);
    await this.q(`DELETE FROM ${this.t.instances} WHERE alive_until < $1`, [now - INSTANCE_FORGET_MS]);
    const gone: string[] = [];
    for (const part of chunks(ids, 5000)) {
      const r = await this.q(`SELECT x.id FROM unnest($1::text[]) AS x(id) WHERE NOT EXISTS (SELECT 1 FROM ${this.t.journal} j WHERE j.id = x.id)`, [part]);
      gone.push(...r.map((x) => String(x.id)));
    }
    return gone;
  }

  async releaseLeases(owner: string): Promise<number> {
    const r = await this.pool.query(`UPDATE ${this.t.journal} SET lease_until = 0 WHERE lease_owner = $1 AND lease_until > 0`, [owner]);
    await this.q(`DELETE FROM ${this.t.instances} WHERE owner = $1`, [owner]);
    if ((r.rowCount ?? 0) > 0) await this.notify('released');
    return r.rowCount ?? 0;
  }

  async failJournal(rows: JournalFailure[]): Promise<void> {
    if (rows.length === 0) return;
    await this.q(`UPDATE ${this.t.journal} AS j SET attempts = f.attempts, last_error = f.last_error, not_before = f.not_before,
        dead = f.dead, lease_until = 0
      FROM unnest($1::text[], $2::int[], $3::text[], $4::bigint[], $5::smallint[]) AS f(id, attempts, last_error, not_before, dead)
      WHERE j.id = f.id`,
    [rows.map((f) => f.id), rows.map((f) => f.attempts), rows.map((f) => f.lastError), rows.map((f) => f.notBefore), rows.map((f) => (f.dead ? 1 : 0))]);
  }

  async deadLetters(limit = 1000): Promise<Candidate[]> {
    return (await this.q(`SELECT * FROM ${this.t.journal} WHERE dead = 1 ORDER BY seq LIMIT $1`, [limit])).map(rowToCandidate);
  }

  async redrive(ids?: string[]): Promise<Candidate[]> {
    const rows = ids
      ? await this.q(`UPDATE ${this.t.journal} SET attempts = 0, not_before = 0, dead = 0, lease_until = 0 WHERE dead = 1 AND id = ANY($1::text[]) RETURNING *`, [ids])
      : await this.q(`UPDATE ${this.t.journal} SET attempts = 0, not_before = 0, dead = 0, lease_until = 0 WHERE dead = 1 RETURNING *`);
    if (rows.length > 0) await this.notify('redriven');
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => ({ ...rowToCandidate(r), attempts: 0 }));
  }

  async journalDepth(): Promise<number> {
    return Number((await this.q(`SELECT count(*) AS n FROM ${this.t.journal} WHERE dead = 0`))[0]!.n);
  }

  async loadUser(userId: string): Promise<UserSnapshot> {
    // One statement, one snapshot: the version and the memories always belong together.
    const rows = await this.q(`SELECT u.v AS user_version, m.* FROM (SELECT coalesce((SELECT version FROM ${this.t.users} WHERE user_id = $1), 0) AS v) u
      LEFT JOIN ${this.t.memories} m ON m.user_id = $1 AND m.status = 'active' ORDER BY m.seq`, [userId]);
    return { version: Number(rows[0]?.user_version ?? 0), memories: rows.filter((r) => r.id !== null).map(rowToMemory) };
  }

  async userVersion(userId: string): Promise<number> {
    return Number((await this.q(`SELECT version FROM ${this.t.users} WHERE user_id = $1`, [userId]))[0]?.version ?? 0);
  }

  async eventsForCandidates(candidateIds: string[]): Promise<MemdedupEvent[]> {
    if (candidateIds.length === 0) return [];
    return (await this.q(`SELECT * FROM ${this.t.events} WHERE candidate_id = ANY($1::text[])`, [candidateIds])).map(rowToEvent);
  }

  async commit(b: BatchCommit): Promise<boolean> {
    try {
      return await this.tx(async (c) => {
        // Serialises this user's writers across processes for the rest of the transaction.
        await c.query(this.named('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [`memdedup:${this.schema}`, b.userId]));
        // Version check and bump: a user without a row is at version 0 (never committed, or erased since).
        const v = b.expectedVersion === 0
          ? await c.query(this.named(`INSERT INTO ${this.t.users} AS u (user_id, version) VALUES ($1, 1)
              ON CONFLICT (user_id) DO UPDATE SET version = u.version + 1 WHERE u.version = 0`, [b.userId]))
          : await c.query(this.named(`UPDATE ${this.t.users} SET version = version + 1 WHERE user_id = $1 AND version = $2`, [b.userId, b.expectedVersion]));
        if (v.rowCount === 0) throw new VersionMoved();
        for (const part of chunks(b.memories)) {
          await c.query(`INSERT INTO ${this.t.memories} (${MEMORY_COLUMNS}) VALUES ${values(part.length, MEMORY_ARITY)}
            ON CONFLICT (id) DO UPDATE SET text = excluded.text, analysis = excluded.analysis, status = excluded.status, version = excluded.version,
            seen_count = excluded.seen_count, needs_recheck = excluded.needs_recheck, sources = excluded.sources, updated_at = excluded.updated_at`,
          part.flatMap(memoryParams));
        }
        for (const part of chunks(b.events)) {
          await c.query(`INSERT INTO ${this.t.events} (${EVENT_COLUMNS}) VALUES ${values(part.length, 15)}`, part.flatMap(eventParams));
        }
        for (const u of b.undone ?? []) await c.query(`UPDATE ${this.t.events} SET undone_by = $1 WHERE id = $2`, [u.undoneBy, u.eventId]);
        if (b.journalIds.length > 0) await c.query(this.named(`DELETE FROM ${this.t.journal} WHERE id = ANY($1::text[])`, [b.journalIds]));
        return true;
      });
    } catch (e) {
      if (e instanceof VersionMoved) return false;
      // A candidate's event committed elsewhere first: nothing here was written; the caller re-decides and finds it.
      if ((e as { code?: string }).code === UNIQUE_VIOLATION && String((e as { constraint?: string }).constraint).includes('candidate_id')) return false;
      throw e;
    }
  }

  async memories(userId: string, q: PageQuery & { status?: Memory['status'] | 'all' }): Promise<Page<Memory>> {
    const limit = pageLimit(q.limit);
    const after = decodeCursor(q.cursor);
    const status = q.status ?? 'active';
    const rows = status === 'all'
      ? await this.q(`SELECT * FROM ${this.t.memories} WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [userId, after, limit + 1])
      : await this.q(`SELECT * FROM ${this.t.memories} WHERE user_id = $1 AND status = $2 AND seq > $3 ORDER BY seq LIMIT $4`, [userId, status, after, limit + 1]);
    return this.page(rows, limit, rowToMemory);
  }

  private page<T>(rows: Row[], limit: number, map: (r: Row) => T): Page<T> {
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    return more ? { items: items.map(map), cursor: encodeCursor(String(items[items.length - 1]!.seq)) } : { items: items.map(map) };
  }

  async memory(id: string): Promise<Memory | undefined> {
    const [r] = await this.q(`SELECT * FROM ${this.t.memories} WHERE id = $1`, [id]);
    return r ? rowToMemory(r) : undefined;
  }

  async events(userId: string, q: PageQuery): Promise<Page<MemdedupEvent>> {
    const limit = pageLimit(q.limit);
    const rows = await this.q(`SELECT * FROM ${this.t.events} WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [userId, decodeCursor(q.cursor), limit + 1]);
    return this.page(rows, limit, rowToEvent);
  }

  async event(id: string): Promise<MemdedupEvent | undefined> {
    const [r] = await this.q(`SELECT * FROM ${this.t.events} WHERE id = $1`, [id]);
    return r ? rowToEvent(r) : undefined;
  }

  async needsRecheck(limit: number, after?: string, userId?: string): Promise<Page<Memory>> {
    const seq = decodeCursor(after);
    const rows = userId
      ? await this.q(`SELECT * FROM ${this.t.memories} WHERE needs_recheck = 1 AND status = 'active' AND user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [userId, seq, limit + 1])
      : await this.q(`SELECT * FROM ${this.t.memories} WHERE needs_recheck = 1 AND status = 'active' AND seq > $1 ORDER BY seq LIMIT $2`, [seq, limit + 1]);
    return this.page(rows, limit, rowToMemory);
  }

  async getMeta(key: string): Promise<string | undefined> {
    const [r] = await this.q(`SELECT value FROM ${this.t.meta} WHERE key = $1`, [key]);
    return r ? String(r.value) : undefined;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.q(`INSERT INTO ${this.t.meta} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key, value]);
  }

  async erase(userId: string): Promise<number> {
    return this.tx(async (c) => {
      // Same lock as commit: an erase never interleaves with a batch of this user.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [`memdedup:${this.schema}`, userId]);
      let n = 0;
      for (const t of [this.t.memories, this.t.events, this.t.journal, this.t.users]) {
        n += (await c.query(`DELETE FROM ${t} WHERE user_id = $1`, [userId])).rowCount ?? 0;
      }
      return n;
    });
  }

  async ping(): Promise<boolean> {
    try { await this.pool.query('SELECT 1'); return true; } catch { return false; }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.wake.close();
    await this.pool.end();
  }

  /** Cross-store copy (migrate-store): inserts rows as they are, in the order given; existing ids are kept. */
  async importRows(r: { users?: { userId: string; version: number }[]; memories?: Memory[]; events?: MemdedupEvent[];
    journal?: (Candidate & { lastError?: string; notBefore?: number; dead?: boolean })[]; meta?: { key: string; value: string }[] }): Promise<void> {
    await this.tx(async (c) => {
      for (const part of chunks(r.users ?? [])) {
        await c.query(`INSERT INTO ${this.t.users} AS u (user_id, version) VALUES ${values(part.length, 2)}
          ON CONFLICT (user_id) DO UPDATE SET version = greatest(u.version, excluded.version)`, part.flatMap((x) => [x.userId, x.version]));
      }
      for (const part of chunks(r.memories ?? [])) {
        await c.query(`INSERT INTO ${this.t.memories} (${MEMORY_COLUMNS}) VALUES ${values(part.length, MEMORY_ARITY)} ON CONFLICT (id) DO NOTHING`, part.flatMap(memoryParams));
      }
      for (const part of chunks(r.events ?? [])) {
        await c.query(`INSERT INTO ${this.t.events} (${EVENT_COLUMNS}) VALUES ${values(part.length, 15)} ON CONFLICT DO NOTHING`, part.flatMap(eventParams));
      }
      for (const part of chunks(r.journal ?? [])) {
        await c.query(`INSERT INTO ${this.t.journal} (id, user_id, text, priority, source, accepted_at, attempts, last_error, not_before, dead, lease_until)
          VALUES ${values(part.length, 11)} ON CONFLICT (id) DO NOTHING`,
        part.flatMap((j) => [j.id, j.userId, j.text, j.priority, j.source ?? null, j.acceptedAt, j.attempts, j.lastError ?? null, j.notBefore ?? 0, j.dead ? 1 : 0, 0]));
      }
      for (const m of r.meta ?? []) {
        await c.query(`INSERT INTO ${this.t.meta} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [m.key, m.value]);
      }
    });
  }
}

class VersionMoved extends Error {}

/** pg-pool's own failures (no connection in time, pool ended) carry no code: tag them as store faults (STORE_POOL). */
const POOL_FAILURE = /timeout exceeded when trying to connect|Connection terminated due to connection timeout|Cannot use a pool after calling end/;
function tagPoolError(e: unknown): never {
  if (e instanceof Error && (e as { code?: unknown }).code === undefined && POOL_FAILURE.test(e.message)) Object.assign(e, { code: 'STORE_POOL' });
  throw e;
}
