// SQLite store (better-sqlite3, WAL). Synchronous underneath; the async surface matches the Store seam.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Candidate, MemdedupEvent, Memory } from '../types.js';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.js';
import { EVENT_COLUMNS, EVENT_PARAMS, MEMORY_ARITY, MEMORY_COLUMNS, VECTOR_COLUMNS, eventParams, memoryParams, rowToCandidate, rowToEvent, rowToMemory, rowsToFeatures, rowsToVectors,
  vectorParams } from './rows.js';
import { partitionOf } from '../core/partition.js';
import { SqliteCheckpointer } from './sqliteCheckpointer.js';
import { SQLITE_MIGRATIONS } from './sqliteSchema.js';
import { checkTombstone, tombstoneKey, UserErasedError } from './tombstones.js';
import type { BatchCommit, JournalFailure, MemoryVector, Page, PageQuery, Partition, StoredFeatures, Store, UserSnapshot } from './types.js';

type Row = Record<string, unknown>;
const qs = (n: number) => Array.from({ length: n }, () => '?').join(',');
/** What API reads select: everything but the vector bytes. */
const MEMORY_READ = `seq, ${MEMORY_COLUMNS}`;

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly st: ReturnType<SqliteStore['prepare']>;
  private closed = false;
  private checkpointer: SqliteCheckpointer | undefined;
  /** `IN (?,?,…)` statements by arity: preparing one per call costs more than running it. */
  private readonly inByArity = new Map<number, Database.Statement>();

  /**
   * `shared`: one of several connections of one engine (its worker threads). The engine's own connection, opened
   * first, releases a previous process's leases and runs the checkpointer; a shared one must not undo the leases
   * of the other workers, and checkpoints by itself, off the host's thread.
   */
  constructor(path: string, opts: { shared?: boolean } = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a process crash (SIGKILL); only an OS crash may lose the last commits.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // Several cores on one file: each claims only its users' rows (src/core/partition.ts).
    this.db.function('memdedup_partition', { deterministic: true }, (userId, count) => partitionOf(String(userId), Number(count)));
    if (path !== ':memory:' && path !== '' && !opts.shared) {
      this.db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = new SqliteCheckpointer(path, () => {
        if (!this.closed) this.db.pragma('wal_autocheckpoint = 1000');
      });
    }
    this.migrate();
    // One process owns a SQLite file: leases left by a previous (crashed) process mean nothing now.
    if (!opts.shared) this.db.prepare('UPDATE journal SET lease_owner = NULL, lease_until = 0 WHERE lease_until > 0').run();
    this.st = this.prepare();
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(SQLITE_MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      }).immediate();
    }
  }

  private prepare() {
    const d = this.db;
    return {
      insertJournal: d.prepare(`INSERT OR IGNORE INTO journal (id, user_id, text, priority, source, accepted_at, attempts, lease_owner, lease_until) VALUES (?,?,?,?,?,?,?,?,?)`),
      claim: d.prepare(`SELECT * FROM journal WHERE dead = 0 AND not_before <= ? AND lease_until <= ? ORDER BY seq LIMIT ?`),
      claimPart: d.prepare(`SELECT * FROM journal WHERE dead = 0 AND not_before <= ? AND lease_until <= ?
        AND memdedup_partition(user_id, ?) = ? ORDER BY seq LIMIT ?`),
      lease: d.prepare(`UPDATE journal SET lease_owner = ?, lease_until = ? WHERE id = ?`),
      fail: d.prepare(`UPDATE journal SET attempts = ?, last_error = ?, not_before = ?, dead = ?, lease_until = 0 WHERE id = ?`),
      dead: d.prepare(`SELECT * FROM journal WHERE dead = 1 ORDER BY seq LIMIT ?`),
      journalHas: d.prepare(`SELECT 1 FROM journal WHERE id = ?`),
      renew: d.prepare(`UPDATE journal SET lease_until = ? WHERE id = ? AND lease_owner = ? AND lease_until > 0 AND dead = 0`),
      release: d.prepare(`UPDATE journal SET lease_until = 0 WHERE lease_owner = ? AND lease_until > 0`),
      depth: d.prepare(`SELECT count(*) AS n FROM journal WHERE dead = 0`),
      deleteJournal: d.prepare(`DELETE FROM journal WHERE id = ?`),
      version: d.prepare(`SELECT version FROM users WHERE user_id = ?`),
      bumpVersion: d.prepare(`UPDATE users SET version = version + 1 WHERE user_id = ? AND version = ?`),
      insertUser: d.prepare(`INSERT OR IGNORE INTO users (user_id, version) VALUES (?, 0)`),
      activeMemories: d.prepare(`SELECT * FROM memories WHERE user_id = ? AND status = 'active' ORDER BY seq`),
      // A vector given wins; else the stored one stays while the text is the same, and goes when the text changed.
      upsertMemory: d.prepare(`INSERT INTO memories (${MEMORY_COLUMNS}, ${VECTOR_COLUMNS}) VALUES (${qs(MEMORY_ARITY + 3)})
        ON CONFLICT(id) DO UPDATE SET text = excluded.text, analysis = excluded.analysis, status = excluded.status, version = excluded.version,
        seen_count = excluded.seen_count, needs_recheck = excluded.needs_recheck, sources = excluded.sources, updated_at = excluded.updated_at,
        embedding_model = CASE WHEN excluded.embedding IS NOT NULL THEN excluded.embedding_model WHEN memories.text = excluded.text THEN memories.embedding_model END,
        embedding_dims = CASE WHEN excluded.embedding IS NOT NULL THEN excluded.embedding_dims WHEN memories.text = excluded.text THEN memories.embedding_dims END,
        embedding = CASE WHEN excluded.embedding IS NOT NULL THEN excluded.embedding WHEN memories.text = excluded.text THEN memories.embedding END,
        features = CASE WHEN memories.text = excluded.text THEN memories.features END,
        feature_version = CASE WHEN memories.text = excluded.text THEN memories.feature_version END`),
      putVector: d.prepare(`UPDATE memories SET embedding_model = ?, embedding_dims = ?, embedding = ? WHERE id = ? AND version = ?`),
      // The frame only fills a gap: a commit's analysis (of the text it wrote) is never overwritten.
      putFeatures: d.prepare(`UPDATE memories SET features = ?, feature_version = ?, analysis = coalesce(analysis, ?) WHERE id = ? AND version = ?`),
      tombstone: d.prepare(`SELECT erased_at FROM tombstones WHERE user_hash = ?`),
      writeTombstone: d.prepare(`INSERT INTO tombstones (user_hash, erased_at) VALUES (?, ?)
        ON CONFLICT(user_hash) DO UPDATE SET erased_at = max(erased_at, excluded.erased_at)`),
      expireTombstones: d.prepare(`DELETE FROM tombstones WHERE erased_at < ?`),
      takeLease: d.prepare(`INSERT INTO leases (name, owner, until) VALUES (?, ?, ?)
        ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, until = excluded.until WHERE leases.owner = excluded.owner OR leases.until <= ?`),
      dropLease: d.prepare(`UPDATE leases SET until = 0 WHERE name = ? AND owner = ?`),
      insertEvent: d.prepare(`INSERT INTO events (${EVENT_COLUMNS}) VALUES (${qs(EVENT_PARAMS)})`),
      undone: d.prepare(`UPDATE events SET undone_by = ? WHERE id = ?`),
      memory: d.prepare(`SELECT ${MEMORY_READ} FROM memories WHERE id = ?`),
      event: d.prepare(`SELECT * FROM events WHERE id = ?`),
      getMeta: d.prepare(`SELECT value FROM meta WHERE key = ?`),
      setMeta: d.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`),
    };
  }

  async init(): Promise<void> { /* migrated in the constructor */ }

  async appendJournal(rows: Candidate[], lease: { owner: string; until: number }): Promise<void> {
    const ins = this.st.insertJournal;
    this.db.transaction(() => {
      for (const c of rows) ins.run(c.id, c.userId, c.text, c.priority, c.source ?? null, c.acceptedAt, c.attempts, lease.owner, lease.until);
    })();
  }

  async claimJournal(owner: string, limit: number, leaseMs: number, excludeUsers?: ReadonlySet<string>, partition?: Partition): Promise<Candidate[]> {
    const now = Date.now();
    return this.db.transaction(() => {
      const found = partition && partition.count > 1
        ? this.st.claimPart.all(now, now, partition.count, partition.index, limit)
        : this.st.claim.all(now, now, limit);
      const rows = (found as Row[]).filter((r) => !excludeUsers?.has(String(r.user_id)));
      for (const r of rows) this.st.lease.run(owner, now + leaseMs, r.id);
      return rows.map(rowToCandidate);
    }).immediate();
  }

  async renewLeases(owner: string, ids: string[], leaseMs: number): Promise<string[]> {
    const until = Date.now() + leaseMs;
    return this.db.transaction(() => {
      const gone: string[] = [];
      for (const id of ids) {
        if (!this.st.journalHas.get(id)) gone.push(id);
        else this.st.renew.run(until, id, owner);
      }
      return gone;
    })();
  }

  async releaseLeases(owner: string): Promise<number> {
    return this.st.release.run(owner).changes;
  }

  async failJournal(rows: JournalFailure[]): Promise<void> {
    this.db.transaction(() => {
      for (const f of rows) this.st.fail.run(f.attempts, f.lastError, f.notBefore, f.dead ? 1 : 0, f.id);
    })();
  }

  async deadLetters(limit = 1000): Promise<Candidate[]> {
    return (this.st.dead.all(limit) as Row[]).map(rowToCandidate);
  }

  async redrive(ids?: string[]): Promise<Candidate[]> {
    return this.db.transaction(() => {
      const rows = ids
        ? (this.db.prepare(`SELECT * FROM journal WHERE dead = 1 AND id IN (${qs(ids.length)})`).all(...ids) as Row[])
        : (this.db.prepare(`SELECT * FROM journal WHERE dead = 1 ORDER BY seq`).all() as Row[]);
      for (const r of rows) this.st.fail.run(0, r.last_error, 0, 0, r.id);
      return rows.map((r) => ({ ...rowToCandidate(r), attempts: 0 }));
    }).immediate();
  }

  async journalDepth(): Promise<number> {
    return Number((this.st.depth.get() as Row).n);
  }

  async loadUser(userId: string): Promise<UserSnapshot> {
    return this.db.transaction(() => {
      const rows = this.st.activeMemories.all(userId) as Row[];
      const snap: UserSnapshot = { version: Number((this.st.version.get(userId) as Row | undefined)?.version ?? 0), memories: rows.map(rowToMemory) };
      const vectors = rowsToVectors(rows);
      if (vectors) snap.vectors = vectors;
      const features = rowsToFeatures(rows);
      if (features) snap.features = features;
      return snap;
    })();
  }

  async putFeatures(rows: { memoryId: string; version: number; features: StoredFeatures; analysis?: string }[]): Promise<void> {
    this.db.transaction(() => {
      for (const r of rows) this.st.putFeatures.run(r.features.data, r.features.version, r.analysis ?? null, r.memoryId, r.version);
    })();
  }

  async putVectors(rows: { memoryId: string; version: number; vector: MemoryVector }[]): Promise<void> {
    this.db.transaction(() => {
      for (const r of rows) this.st.putVector.run(...vectorParams(r.vector), r.memoryId, r.version);
    })();
  }

  async userVersion(userId: string): Promise<number> {
    return Number((this.st.version.get(userId) as Row | undefined)?.version ?? 0);
  }

  async eventsForCandidates(candidateIds: string[]): Promise<MemdedupEvent[]> {
    const out: MemdedupEvent[] = [];
    // SQLite caps bound parameters; 500 is far below the limit.
    for (let i = 0; i < candidateIds.length; i += 500) {
      const ids = candidateIds.slice(i, i + 500);
      let st = this.inByArity.get(ids.length);
      if (!st) this.inByArity.set(ids.length, (st = this.db.prepare(`SELECT * FROM events WHERE candidate_id IN (${qs(ids.length)})`)));
      const rows = st.all(...ids) as Row[];
      out.push(...rows.map(rowToEvent));
    }
    return out;
  }

  async commit(b: BatchCommit): Promise<boolean> {
    let result: boolean | UserErasedError;
    try {
      result = this.commitTx(b);
    } catch (e) {
      // A candidate that already has an event: nothing was written; the caller re-decides and finds that event.
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /events\.candidate_id/.test(String((e as Error).message))) return false;
      throw e;
    }
    if (result instanceof UserErasedError) throw result;
    return result;
  }

  /** The refusal is returned, not thrown: the removal of the dropped candidates' journal rows must commit. */
  private commitTx(b: BatchCommit): boolean | UserErasedError {
    return this.db.transaction(() => {
      const t = this.st.tombstone.get(tombstoneKey(b.userId)) as Row | undefined;
      const refused = checkTombstone(t ? Number(t.erased_at) : undefined, b);
      if (refused) {
        for (const id of refused.dropped) this.st.deleteJournal.run(id);
        return new UserErasedError(refused.erasedAt, refused.dropped);
      }
      this.st.insertUser.run(b.userId);
      if (this.st.bumpVersion.run(b.userId, b.expectedVersion).changes === 0) return false;
      for (const m of b.memories) this.st.upsertMemory.run(...memoryParams(m), ...vectorParams(b.vectors?.get(m.id)));
      for (const e of b.events) this.st.insertEvent.run(...eventParams(e));
      for (const u of b.undone ?? []) this.st.undone.run(u.undoneBy, u.eventId);
      for (const id of b.journalIds) this.st.deleteJournal.run(id);
      return true;
    }).immediate();
  }

  async memories(userId: string, q: PageQuery & { status?: Memory['status'] | 'all' }): Promise<Page<Memory>> {
    const limit = pageLimit(q.limit);
    const after = decodeCursor(q.cursor);
    const status = q.status ?? 'active';
    const rows = (status === 'all'
      ? this.db.prepare(`SELECT ${MEMORY_READ} FROM memories WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?`).all(userId, after, limit + 1)
      : this.db.prepare(`SELECT ${MEMORY_READ} FROM memories WHERE user_id = ? AND status = ? AND seq > ? ORDER BY seq LIMIT ?`).all(userId, status, after, limit + 1)) as Row[];
    return this.page(rows, limit, rowToMemory);
  }

  private page<T>(rows: Row[], limit: number, map: (r: Row) => T): Page<T> {
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    return more ? { items: items.map(map), cursor: encodeCursor(Number(items[items.length - 1]!.seq)) } : { items: items.map(map) };
  }

  async memory(id: string): Promise<Memory | undefined> {
    const r = this.st.memory.get(id) as Row | undefined;
    return r ? rowToMemory(r) : undefined;
  }

  async events(userId: string, q: PageQuery): Promise<Page<MemdedupEvent>> {
    const limit = pageLimit(q.limit);
    const rows = this.db.prepare(`SELECT * FROM events WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?`)
      .all(userId, decodeCursor(q.cursor), limit + 1) as Row[];
    return this.page(rows, limit, rowToEvent);
  }

  async event(id: string): Promise<MemdedupEvent | undefined> {
    const r = this.st.event.get(id) as Row | undefined;
    return r ? rowToEvent(r) : undefined;
  }

  async needsRecheck(limit: number, after?: string, userId?: string): Promise<Page<Memory>> {
    const seq = decodeCursor(after);
    const rows = (userId
      ? this.db.prepare(`SELECT ${MEMORY_READ} FROM memories WHERE needs_recheck = 1 AND status = 'active' AND user_id = ? AND seq > ? ORDER BY seq LIMIT ?`).all(userId, seq, limit + 1)
      : this.db.prepare(`SELECT ${MEMORY_READ} FROM memories WHERE needs_recheck = 1 AND status = 'active' AND seq > ? ORDER BY seq LIMIT ?`).all(seq, limit + 1)) as Row[];
    return this.page(rows, limit, rowToMemory);
  }

  async getMeta(key: string): Promise<string | undefined> {
    const r = this.st.getMeta.get(key) as Row | undefined;
    return r ? String(r.value) : undefined;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.st.setMeta.run(key, value);
  }

  async erase(userId: string, at = Date.now()): Promise<number> {
    return this.db.transaction(() => {
      let n = 0;
      for (const t of ['memories', 'events', 'journal', 'users']) n += this.db.prepare(`DELETE FROM ${t} WHERE user_id = ?`).run(userId).changes;
      this.st.writeTombstone.run(tombstoneKey(userId), at);
      return n;
    }).immediate();
  }

  async erasedAt(userId: string): Promise<number | undefined> {
    const r = this.st.tombstone.get(tombstoneKey(userId)) as Row | undefined;
    return r ? Number(r.erased_at) : undefined;
  }

  async expireTombstones(before: number): Promise<number> {
    return this.st.expireTombstones.run(before).changes;
  }

  async takeLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    return this.st.takeLease.run(name, owner, now + ttlMs, now).changes > 0;
  }

  async dropLease(name: string, owner: string): Promise<void> {
    this.st.dropLease.run(name, owner);
  }

  async ping(): Promise<boolean> {
    try { this.db.prepare('SELECT 1').get(); return true; } catch { return false; }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.checkpointer?.stop();
    this.db.close();
  }
}
