// Versioned PostgreSQL migrations, applied in order inside the store's schema; `migrations` records each one.
// `{s}` stands for the quoted schema name (identifiers cannot be bound parameters; the name is validated first).
// Column names and value shapes match SQLite's, so src/store/rows.ts maps both (0/1 smallints, JSON as text).
import { invalidInput } from '../errors.js';

export const PG_MIGRATIONS: string[] = [
  `
  CREATE TABLE IF NOT EXISTS {s}.meta (key text PRIMARY KEY, value text NOT NULL);
  CREATE TABLE IF NOT EXISTS {s}.users (user_id text PRIMARY KEY, version bigint NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS {s}.journal (
    seq bigserial PRIMARY KEY,
    id text NOT NULL UNIQUE,
    user_id text NOT NULL,
    text text NOT NULL,
    priority text NOT NULL,
    source text,
    accepted_at bigint NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    not_before bigint NOT NULL DEFAULT 0,
    dead smallint NOT NULL DEFAULT 0,
    lease_owner text,
    lease_until bigint NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS journal_user ON {s}.journal (user_id, seq);
  CREATE INDEX IF NOT EXISTS journal_owner ON {s}.journal (lease_owner) WHERE lease_until > 0;
  CREATE TABLE IF NOT EXISTS {s}.memories (
    seq bigserial PRIMARY KEY,
    id text NOT NULL UNIQUE,
    user_id text NOT NULL,
    text text NOT NULL,
    status text NOT NULL,
    version bigint NOT NULL,
    seen_count bigint NOT NULL,
    needs_recheck smallint NOT NULL DEFAULT 0,
    sources text NOT NULL DEFAULT '[]',
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE INDEX IF NOT EXISTS memories_user ON {s}.memories (user_id, status, seq);
  CREATE INDEX IF NOT EXISTS memories_recheck ON {s}.memories (seq) WHERE needs_recheck = 1;
  CREATE TABLE IF NOT EXISTS {s}.events (
    seq bigserial PRIMARY KEY,
    id text NOT NULL UNIQUE,
    user_id text NOT NULL,
    candidate_id text UNIQUE,
    action text NOT NULL,
    memory_id text,
    compared_memory_id text,
    compared_text text,
    candidate_text text,
    previous_text text,
    method text,
    score double precision,
    reasons text NOT NULL DEFAULT '[]',
    undoes text,
    undone_by text,
    at bigint NOT NULL
  );
  CREATE INDEX IF NOT EXISTS events_user ON {s}.events (user_id, seq);
  `,
  // 2: one liveness row per engine process. A process's heartbeat renews all its journal leases at once
  // (one row written, however many candidates it holds); a row is free when its own lease and its owner's both ran out.
  `
  CREATE TABLE IF NOT EXISTS {s}.instances (owner text PRIMARY KEY, alive_until bigint NOT NULL);
  -- The poller looks for the few rows nobody holds among many leased ones.
  CREATE INDEX IF NOT EXISTS journal_free ON {s}.journal (lease_until) WHERE dead = 0;
  `,
  // 3 (issue 15), dedup policies: the policy of every event, so reversals can be compared per policy; events
  // before it were all decided by the built-in one. `memdedup report --since` reads events by time.
  `
  ALTER TABLE {s}.events ADD COLUMN IF NOT EXISTS policy text NOT NULL DEFAULT 'default';
  CREATE INDEX IF NOT EXISTS events_at ON {s}.events (at);
  `,
  // 4 (issue 14): several processes on one database.
  // - tombstones: SHA-256 of an erased user's id and the erase time (src/store/tombstones.ts); every commit checks it.
  // - leases: named leases (the sweep's), so one process at a time does a job.
  // - memories.embedding*: the provider vector of the memory's text (model id, dimensions, float32 little-endian),
  //   so a cold index load does not embed again.
  // - pos: a per-user order taken from users.pos under the per-user commit lock, so it is monotonic at commit
  //   (the global seq is allocated before commit and can land out of order); existing rows keep their seq as pos.
  `
  CREATE TABLE IF NOT EXISTS {s}.tombstones (user_hash text PRIMARY KEY, erased_at bigint NOT NULL);
  CREATE INDEX IF NOT EXISTS tombstones_expiry ON {s}.tombstones (erased_at);
  CREATE TABLE IF NOT EXISTS {s}.leases (name text PRIMARY KEY, owner text NOT NULL, until bigint NOT NULL);
  ALTER TABLE {s}.memories ADD COLUMN IF NOT EXISTS embedding_model text, ADD COLUMN IF NOT EXISTS embedding_dims integer,
    ADD COLUMN IF NOT EXISTS embedding bytea;
  ALTER TABLE {s}.users ADD COLUMN IF NOT EXISTS pos bigint NOT NULL DEFAULT 0;
  ALTER TABLE {s}.memories ADD COLUMN IF NOT EXISTS pos bigint NOT NULL DEFAULT 0;
  ALTER TABLE {s}.events ADD COLUMN IF NOT EXISTS pos bigint NOT NULL DEFAULT 0;
  UPDATE {s}.memories SET pos = seq;
  UPDATE {s}.events SET pos = seq;
  UPDATE {s}.users u SET pos = greatest(
    coalesce((SELECT max(seq) FROM {s}.memories m WHERE m.user_id = u.user_id), 0),
    coalesce((SELECT max(seq) FROM {s}.events e WHERE e.user_id = u.user_id), 0));
  DROP INDEX IF EXISTS {s}.memories_user;
  DROP INDEX IF EXISTS {s}.events_user;
  CREATE INDEX IF NOT EXISTS memories_user_pos ON {s}.memories (user_id, status, pos);
  CREATE INDEX IF NOT EXISTS memories_user_all ON {s}.memories (user_id, pos);
  CREATE INDEX IF NOT EXISTS events_user_pos ON {s}.events (user_id, pos);
  `,
  // 5 (issue 13): the analysed form of each memory (its dedup frame, JSON with its own version), so a cold index load
  // does not re-analyse every memory. NULL for rows written before: those are analysed on load as before.
  `ALTER TABLE {s}.memories ADD COLUMN IF NOT EXISTS analysis text;`,
  // 6 (issue 18): each memory's prepared dedup features (normalized text, key, tokens, lexical vector; JSON) and the
  // feature version they were computed at, so a cold index load does not re-normalise. Written back on the first
  // cold load that computes them; dropped by a commit that changes the text; another version is recomputed.
  `
  ALTER TABLE {s}.memories ADD COLUMN IF NOT EXISTS features text;
  ALTER TABLE {s}.memories ADD COLUMN IF NOT EXISTS feature_version integer;
  `,
];

export const DEFAULT_PG_SCHEMA = 'memdedup';

/** A plain lower-case identifier, so it can be quoted into SQL safely. */
export function pgSchemaName(schema: string | undefined): string {
  const s = schema ?? DEFAULT_PG_SCHEMA;
  if (typeof s !== 'string' || !/^[a-z_][a-z0-9_]{0,49}$/.test(s)) {
    throw invalidInput('options.store.schema', 'must be a lower-case identifier: [a-z_][a-z0-9_]{0,49}');
  }
  return s;
}
