// Cross-store copy into PostgreSQL (memdedup migrate-store): rows inserted as they are, in the order given.
import type pg from 'pg';
import type { Candidate, MemdedupEvent, Memory } from '../types.js';
import { EVENT_COLUMNS, EVENT_PARAMS, MEMORY_ARITY, MEMORY_COLUMNS, eventParams, memoryParams } from './rows.js';
import { chunks, values, type PgTables } from './pgSql.js';

export interface ImportRows {
  users?: { userId: string; version: number }[];
  memories?: Memory[];
  events?: MemdedupEvent[];
  journal?: (Candidate & { lastError?: string; notBefore?: number; dead?: boolean })[];
  meta?: { key: string; value: string }[];
}

/** Inserts `r` inside the caller's transaction; ids already there are kept. */
export async function importRows(c: pg.PoolClient, t: PgTables, r: ImportRows): Promise<void> {
    for (const part of chunks(r.users ?? [])) {
      await c.query(`INSERT INTO ${t.users} AS u (user_id, version) VALUES ${values(part.length, 2)}
        ON CONFLICT (user_id) DO UPDATE SET version = greatest(u.version, excluded.version)`, part.flatMap((x) => [x.userId, x.version]));
    }
    for (const part of chunks(r.memories ?? [])) {
      await c.query(`INSERT INTO ${t.memories} (${MEMORY_COLUMNS}) VALUES ${values(part.length, MEMORY_ARITY)} ON CONFLICT (id) DO NOTHING`, part.flatMap(memoryParams));
    }
    for (const part of chunks(r.events ?? [])) {
      await c.query(`INSERT INTO ${t.events} (${EVENT_COLUMNS}) VALUES ${values(part.length, EVENT_PARAMS)} ON CONFLICT DO NOTHING`, part.flatMap(eventParams));
    }
    for (const part of chunks(r.journal ?? [])) {
      await c.query(`INSERT INTO ${t.journal} (id, user_id, text, priority, source, accepted_at, attempts, last_error, not_before, dead, lease_until)
        VALUES ${values(part.length, 11)} ON CONFLICT (id) DO NOTHING`,
      part.flatMap((j) => [j.id, j.userId, j.text, j.priority, j.source ?? null, j.acceptedAt, j.attempts, j.lastError ?? null, j.notBefore ?? 0, j.dead ? 1 : 0, 0]));
    }
    for (const m of r.meta ?? []) {
      await c.query(`INSERT INTO ${t.meta} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [m.key, m.value]);
    }
    // Imported rows keep their insertion order as their position; the users' next commits go after them.
    const touched = [...new Set([...(r.memories ?? []), ...(r.events ?? [])].map((x) => x.userId))];
    if (touched.length > 0) {
      for (const table of [t.memories, t.events]) await c.query(`UPDATE ${table} SET pos = seq WHERE pos = 0 AND user_id = ANY($1::text[])`, [touched]);
      await c.query(`UPDATE ${t.users} AS u SET pos = greatest(u.pos,
          coalesce((SELECT max(pos) FROM ${t.memories} m WHERE m.user_id = u.user_id), 0),
          coalesce((SELECT max(pos) FROM ${t.events} e WHERE e.user_id = u.user_id), 0))
        WHERE u.user_id = ANY($1::text[])`, [touched]);
    }
}
