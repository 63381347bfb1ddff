// Versioned migrations, applied in order; PRAGMA user_version records the last one applied.
export const SQLITE_MIGRATIONS: string[] = [
  `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS users (user_id TEXT PRIMARY KEY, version INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    text TEXT NOT NULL,
    priority TEXT NOT NULL,
    source TEXT,
    accepted_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    not_before INTEGER NOT NULL DEFAULT 0,
    dead INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS journal_user ON journal (user_id, seq);
  CREATE TABLE IF NOT EXISTS memories (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    seen_count INTEGER NOT NULL,
    needs_recheck INTEGER NOT NULL DEFAULT 0,
    sources TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS memories_user ON memories (user_id, status, seq);
  CREATE INDEX IF NOT EXISTS memories_recheck ON memories (needs_recheck, seq) WHERE needs_recheck = 1;
  CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    candidate_id TEXT UNIQUE,
    action TEXT NOT NULL,
    memory_id TEXT,
    compared_memory_id TEXT,
    compared_text TEXT,
    candidate_text TEXT,
    previous_text TEXT,
    method TEXT,
    score REAL,
    reasons TEXT NOT NULL DEFAULT '[]',
    undoes TEXT,
    undone_by TEXT,
    at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS events_user ON events (user_id, seq);
  `,
  // The poller looks for rows nobody holds; most journal rows are leased, so find the free ones by index.
  `CREATE INDEX IF NOT EXISTS journal_free ON journal (lease_until, dead, not_before);`,
  // 3 (issue 15), dedup policies: the policy of every event, so reversals can be compared per policy; events
  // before it were all decided by the built-in one. `memdedup report --since` reads events by time.
  `
  ALTER TABLE events ADD COLUMN policy TEXT NOT NULL DEFAULT 'default';
  CREATE INDEX IF NOT EXISTS events_at ON events (at);
  `,
  // 4 (issue 14): tombstones, named leases and stored provider vectors, as in PostgreSQL's migration 4.
  // Pages keep ordering by seq here: one writer at a time, so seq is already monotonic at commit.
  `
  CREATE TABLE IF NOT EXISTS tombstones (user_hash TEXT PRIMARY KEY, erased_at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS tombstones_expiry ON tombstones (erased_at);
  CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, until INTEGER NOT NULL);
  ALTER TABLE memories ADD COLUMN embedding_model TEXT;
  ALTER TABLE memories ADD COLUMN embedding_dims INTEGER;
  ALTER TABLE memories ADD COLUMN embedding BLOB;
  `,
  // 5 (issue 13): the analysed form of each memory (its dedup frame, JSON with its own version), so a cold index load
  // does not re-analyse every memory. NULL for rows written before: those are analysed on load as before.
  `ALTER TABLE memories ADD COLUMN analysis TEXT;`,
  // 6 (issue 18): each memory's prepared dedup features (normalized text, key, tokens, lexical vector; JSON) and the
  // feature version they were computed at, so a cold index load does not re-normalise. Written back on the first
  // cold load that computes them; dropped by a commit that changes the text; another version is recomputed.
  `
  ALTER TABLE memories ADD COLUMN features TEXT;
  ALTER TABLE memories ADD COLUMN feature_version INTEGER;
  `,
];
