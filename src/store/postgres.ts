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
import { importRows, type ImportRows } from './pgImport.js';
import { CHUNK, chunks, values, type PgTables } from './pgSql.js';
import { PgWake } from './pgWake.js';
import { PG_MIGRATIONS, pgSchemaName } from './postgresSchema.js';
import { EVENT_COLUMNS, EVENT_PARAMS, MEMORY_ARITY, MEMORY_COLUMNS, VECTOR_COLUMNS, eventParams, memoryParams, rowToCandidate, rowToEvent, rowToMemory, rowsToFeatures, rowsToVectors,
  vectorParams } from './rows.js';
import { checkTombstone, refusedSince, tombstoneKey, UserErasedError } from './tombstones.js';
import type { BatchCommit, JournalFailure, MemoryVector, Page, StoredFeatures, PageQuery, Store, StoreTiming, UserSnapshot } from './types.js';

type Row = Record<string, unknown>;
export type PostgresStoreOptions = Extract<StoreOptions, { kind: 'postgres' }>;

/** Defaults for a shared store: a lease short enough that a dead process's work moves on within seconds. */
export const PG_TIMING: StoreTiming = { leaseMs: 20_000, pollMs: 500 };
const JOURNAL_COLS = 'id, user_id, text, priority, source, accepted_at, attempts, lease_owner, lease_until';
const UNIQUE_VIOLATION = '23505';
/** Liveness rows of processes gone this long are removed. */
const INSTANCE_FORGET_MS = 3_600_000;
/** What API reads select: everything but the vector bytes. */
const MEMORY_READ = `seq, pos, ${MEMORY_COLUMNS}`;

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly timing: StoreTiming;
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly wake: PgWake;
  private readonly t: PgTables;
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
      migrations: `${s}.migrations`, instances: `${s}.instances`, tombstones: `${s}.tombstones`, leases: `${s}.leases` };
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
    // pg-pool listens for errors on idle clients only: a checked-out client whose server goes away emits 'error'
    // with nobody listening, which would crash the host. The query in progress rejects anyway; that is the report.
    c.on('error', ignore);
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.removeListener('error', ignore);
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
      LEFT JOIN ${this.t.memories} m ON m.user_id = $1 AND m.status = 'active' ORDER BY m.pos`, [userId]);
    const found = rows.filter((r) => r.id !== null);
    const snap: UserSnapshot = { version: Number(rows[0]?.user_version ?? 0), memories: found.map(rowToMemory) };
    const vectors = rowsToVectors(found);
    if (vectors) snap.vectors = vectors;
    const features = rowsToFeatures(found);
    if (features) snap.features = features;
    return snap;
  }

  async putFeatures(rows: { memoryId: string; version: number; features: StoredFeatures; analysis?: string }[]): Promise<void> {
    for (const part of chunks(rows)) {
      // The frame only fills a gap: a commit's analysis (of the text it wrote) is never overwritten.
      await this.q(`UPDATE ${this.t.memories} AS m SET features = v.features, feature_version = v.fv, analysis = coalesce(m.analysis, v.analysis)
        FROM unnest($1::text[], $2::bigint[], $3::text[], $4::int[], $5::text[]) AS v(id, version, features, fv, analysis)
        WHERE m.id = v.id AND m.version = v.version`,
      [part.map((r) => r.memoryId), part.map((r) => r.version), part.map((r) => r.features.data), part.map((r) => r.features.version),
        part.map((r) => r.analysis ?? null)]);
    }
  }

  async putVectors(rows: { memoryId: string; version: number; vector: MemoryVector }[]): Promise<void> {
    for (const part of chunks(rows)) {
      const p = part.map((r) => vectorParams(r.vector));
      await this.q(`UPDATE ${this.t.memories} AS m SET embedding_model = v.model, embedding_dims = v.dims, embedding = v.bytes
        FROM unnest($1::text[], $2::bigint[], $3::text[], $4::int[], $5::bytea[]) AS v(id, version, model, dims, bytes)
        WHERE m.id = v.id AND m.version = v.version`,
      [part.map((r) => r.memoryId), part.map((r) => r.version), p.map((x) => x[0]), p.map((x) => x[1]), p.map((x) => x[2])]);
    }
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
      const out = await this.tx(async (c): Promise<true | UserErasedError> => {
        // Serialises this user's writers (and the erase) across processes for the rest of the transaction.
        await c.query(this.named('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [`memdedup:${this.schema}`, b.userId]));
        // Version check and bump: a user without a row is at version 0 (never committed, or erased since). The same
        // statement reserves `rows` positions of the user's order (pos): taken under the lock, so monotonic at commit.
        // It also checks the tombstone (run after the lock, so an erase that committed before it is always seen);
        // only when nothing was bumped does a second statement find out whether the version moved or an erase refused.
        const rows = b.memories.length + b.events.length;
        const hash = tombstoneKey(b.userId);
        const guard = `NOT EXISTS (SELECT 1 FROM ${this.t.tombstones} WHERE user_hash = $3 AND erased_at >= $4::bigint)`;
        const since = refusedSince(b);
        const v = b.expectedVersion === 0
          ? await c.query(this.named(`INSERT INTO ${this.t.users} AS u (user_id, version, pos) SELECT $1::text, 1, $2::bigint WHERE ${guard}
              ON CONFLICT (user_id) DO UPDATE SET version = u.version + 1, pos = u.pos + $2 WHERE u.version = 0 RETURNING u.pos`, [b.userId, rows, hash, since]))
          : await c.query(this.named(`UPDATE ${this.t.users} SET version = version + 1, pos = pos + $2
              WHERE user_id = $1 AND version = $5 AND ${guard} RETURNING pos`, [b.userId, rows, hash, since, b.expectedVersion]));
        if (v.rowCount === 0) {
          const t = await c.query(this.named(`SELECT erased_at FROM ${this.t.tombstones} WHERE user_hash = $1`, [hash]));
          const refused = checkTombstone(t.rows[0] ? Number(t.rows[0].erased_at) : undefined, b);
          if (!refused) throw new VersionMoved();
          // Returned, not thrown: the removal of the dropped candidates' journal rows must commit.
          if (refused.dropped.length > 0) {
            await c.query(this.named(`DELETE FROM ${this.t.journal} WHERE user_id = $1 AND id = ANY($2::text[])`, [b.userId, refused.dropped]));
          }
          return new UserErasedError(refused.erasedAt, refused.dropped);
        }
        let pos = Number(v.rows[0].pos) - rows;
        // A vector given wins; else the stored one stays while the text is the same, and goes when the text changed.
        const keep = (col: string) => `${col} = CASE WHEN excluded.embedding IS NOT NULL THEN excluded.${col} WHEN m.text = excluded.text THEN m.${col} END`;
        for (const part of chunks(b.memories)) {
          await c.query(`INSERT INTO ${this.t.memories} AS m (${MEMORY_COLUMNS}, ${VECTOR_COLUMNS}, pos) VALUES ${values(part.length, MEMORY_ARITY + 4)}
            ON CONFLICT (id) DO UPDATE SET text = excluded.text, analysis = excluded.analysis, status = excluded.status, version = excluded.version,
            seen_count = excluded.seen_count, needs_recheck = excluded.needs_recheck, sources = excluded.sources, updated_at = excluded.updated_at,
            ${keep('embedding_model')}, ${keep('embedding_dims')}, ${keep('embedding')},
            features = CASE WHEN m.text = excluded.text THEN m.features END, feature_version = CASE WHEN m.text = excluded.text THEN m.feature_version END`,
          part.flatMap((m) => [...memoryParams(m), ...vectorParams(b.vectors?.get(m.id)), ++pos]));
        }
        for (const part of chunks(b.events)) {
          await c.query(`INSERT INTO ${this.t.events} (${EVENT_COLUMNS}, pos) VALUES ${values(part.length, EVENT_PARAMS + 1)}`, part.flatMap((e) => [...eventParams(e), ++pos]));
        }
        for (const u of b.undone ?? []) await c.query(`UPDATE ${this.t.events} SET undone_by = $1 WHERE id = $2`, [u.undoneBy, u.eventId]);
        if (b.journalIds.length > 0) await c.query(this.named(`DELETE FROM ${this.t.journal} WHERE id = ANY($1::text[])`, [b.journalIds]));
        return true;
      });
      if (out instanceof UserErasedError) throw out;
      return out;
    } catch (e) {
      if (e instanceof UserErasedError) throw e;
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
      ? await this.q(`SELECT ${MEMORY_READ} FROM ${this.t.memories} WHERE user_id = $1 AND pos > $2 ORDER BY pos LIMIT $3`, [userId, after, limit + 1])
      : await this.q(`SELECT ${MEMORY_READ} FROM ${this.t.memories} WHERE user_id = $1 AND status = $2 AND pos > $3 ORDER BY pos LIMIT $4`, [userId, status, after, limit + 1]);
    return this.page(rows, limit, rowToMemory, 'pos');
  }

  /** A user's pages follow pos (monotonic at commit per user); the sweep's global walk follows seq. */
  private page<T>(rows: Row[], limit: number, map: (r: Row) => T, key: 'pos' | 'seq'): Page<T> {
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    return more ? { items: items.map(map), cursor: encodeCursor(String(items[items.length - 1]![key])) } : { items: items.map(map) };
  }

  async memory(id: string): Promise<Memory | undefined> {
    const [r] = await this.q(`SELECT ${MEMORY_READ} FROM ${this.t.memories} WHERE id = $1`, [id]);
    return r ? rowToMemory(r) : undefined;
  }

  async events(userId: string, q: PageQuery): Promise<Page<MemdedupEvent>> {
    const limit = pageLimit(q.limit);
    const rows = await this.q(`SELECT * FROM ${this.t.events} WHERE user_id = $1 AND pos > $2 ORDER BY pos LIMIT $3`,
      [userId, decodeCursor(q.cursor), limit + 1]);
    return this.page(rows, limit, rowToEvent, 'pos');
  }

  async event(id: string): Promise<MemdedupEvent | undefined> {
    const [r] = await this.q(`SELECT * FROM ${this.t.events} WHERE id = $1`, [id]);
    return r ? rowToEvent(r) : undefined;
  }

  async needsRecheck(limit: number, after?: string, userId?: string): Promise<Page<Memory>> {
    const seq = decodeCursor(after);
    const rows = userId
      ? await this.q(`SELECT ${MEMORY_READ} FROM ${this.t.memories} WHERE needs_recheck = 1 AND status = 'active' AND user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [userId, seq, limit + 1])
      : await this.q(`SELECT ${MEMORY_READ} FROM ${this.t.memories} WHERE needs_recheck = 1 AND status = 'active' AND seq > $1 ORDER BY seq LIMIT $2`, [seq, limit + 1]);
    return this.page(rows, limit, rowToMemory, 'seq');
  }

  async getMeta(key: string): Promise<string | undefined> {
    const [r] = await this.q(`SELECT value FROM ${this.t.meta} WHERE key = $1`, [key]);
    return r ? String(r.value) : undefined;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.q(`INSERT INTO ${this.t.meta} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key, value]);
  }

  async erase(userId: string, at = Date.now()): Promise<number> {
    return this.tx(async (c) => {
      // Same lock as commit: an erase never interleaves with a batch of this user.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [`memdedup:${this.schema}`, userId]);
      let n = 0;
      for (const t of [this.t.memories, this.t.events, this.t.journal, this.t.users]) {
        n += (await c.query(`DELETE FROM ${t} WHERE user_id = $1`, [userId])).rowCount ?? 0;
      }
      await c.query(`INSERT INTO ${this.t.tombstones} AS t (user_hash, erased_at) VALUES ($1, $2)
        ON CONFLICT (user_hash) DO UPDATE SET erased_at = greatest(t.erased_at, excluded.erased_at)`, [tombstoneKey(userId), at]);
      return n;
    });
  }

  async erasedAt(userId: string): Promise<number | undefined> {
    const [r] = await this.q(`SELECT erased_at FROM ${this.t.tombstones} WHERE user_hash = $1`, [tombstoneKey(userId)]);
    return r ? Number(r.erased_at) : undefined;
  }

  async expireTombstones(before: number): Promise<number> {
    return (await this.pool.query(this.named(`DELETE FROM ${this.t.tombstones} WHERE erased_at < $1`, [before]))).rowCount ?? 0;
  }

  async takeLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const r = await this.pool.query(this.named(`INSERT INTO ${this.t.leases} AS l (name, owner, until) VALUES ($1, $2, $3)
      ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until WHERE l.owner = excluded.owner OR l.until <= $4`,
    [name, owner, now + ttlMs, now]));
    return (r.rowCount ?? 0) > 0;
  }

  async dropLease(name: string, owner: string): Promise<void> {
    await this.q(`UPDATE ${this.t.leases} SET until = 0 WHERE name = $1 AND owner = $2`, [name, owner]);
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
  async importRows(r: ImportRows): Promise<void> {
    await this.tx((c) => importRows(c, this.t, r));
  }
}

class VersionMoved extends Error {}

/** pg-pool's own failures (no connection in time, pool ended) carry no code: tag them as store faults (STORE_POOL). */
const POOL_FAILURE = /timeout exceeded when trying to connect|Connection terminated due to connection timeout|Cannot use a pool after calling end/;
function tagPoolError(e: unknown): never {
  if (e instanceof Error && (e as { code?: unknown }).code === undefined && POOL_FAILURE.test(e.message)) Object.assign(e, { code: 'STORE_POOL' });
  throw e;
}

function ignore(): void { /* see tx() */ }
