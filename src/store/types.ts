// The storage seam. Small on purpose: the contract test suite (test/store) is the definition of "works".
import type { Candidate, MemdedupEvent, Memory, MemoryStatus } from '../types.js';
import type { BatchCommit } from './commitPlan.js';
import type { Partition } from '../core/partition.js';

export type { Partition };

export interface Page<T> { items: T[]; cursor?: string }
export interface PageQuery { limit?: number; cursor?: string }

/** A journal row that failed: its new attempt count, error and the earliest time to try again. */
export interface JournalFailure { id: string; attempts: number; lastError: string; notBefore: number; dead: boolean }

/** A provider vector kept with a memory: the model that made it and the vector (L2-normalised). */
export interface MemoryVector { model: string; vector: Float32Array }

// The plan a writer commits (BatchCommit) lives with the one function that commits it: src/store/commitPlan.ts.
export type { BatchCommit } from './commitPlan.js';

export interface StoreTiming { leaseMs: number; pollMs: number }

export interface UserSnapshot {
  version: number;
  memories: Memory[];
  /** Stored provider vectors by memory id; absent when no memory has one. */
  vectors?: Map<string, MemoryVector>;
  /** Stored prepared features (src/dedup/features.ts) by memory id, of any version; absent when no memory has them. */
  features?: Map<string, StoredFeatures>;
}

/** A memory's prepared dedup features as stored: the feature version they were computed at, and their encoding. */
export interface StoredFeatures { version: number; data: string }

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Lease and poll intervals for a store shared by many processes; absent: the engine's single-process defaults. */
  readonly timing?: StoreTiming;
  /** Cross-process wake-ups: `listener` runs when another process released or re-drove journal rows. */
  onWork?(listener: () => void): void;
  /** Creates or migrates the schema. */
  init(): Promise<void>;
  /** Group commit: appends candidates to the journal in one transaction; ids already there are ignored. */
  appendJournal(rows: Candidate[], lease: { owner: string; until: number }): Promise<void>;
  /**
   * Claims pending journal rows (not dead, due) for this process, oldest first, with a lease.
   * Single-process stores may ignore the lease. `partition`: only rows of those users (several cores on one
   * SQLite file); a store shared by processes (PostgreSQL) may ignore it, its leases already keep cores apart.
   */
  claimJournal(owner: string, limit: number, leaseMs: number, excludeUsers?: ReadonlySet<string>, partition?: Partition): Promise<Candidate[]>;
  /**
   * Heartbeat: extends the lease of the rows among `ids` this owner still holds (released rows, lease 0, stay released).
   * Resolves with the ids no longer in the journal at all (decided, possibly by another process, or erased).
   */
  renewLeases(owner: string, ids: string[], leaseMs: number): Promise<string[]>;
  /** Hands every row this owner holds back to the journal (graceful close), so peers may take them at once. */
  releaseLeases(owner: string): Promise<number>;
  /** Records failed attempts; `dead` rows become dead letters (kept, visible, re-drivable). */
  failJournal(rows: JournalFailure[]): Promise<void>;
  /** Dead letters, oldest first. */
  deadLetters(limit?: number): Promise<Candidate[]>;
  /** Turns dead letters (all, or the ids given) back into pending rows with attempts reset. Returns the rows. */
  redrive(ids?: string[]): Promise<Candidate[]>;
  /** Count of journal rows that are not dead letters. */
  journalDepth(): Promise<number>;
  /** The user's active memories and version. */
  loadUser(userId: string): Promise<UserSnapshot>;
  userVersion(userId: string): Promise<number>;
  /** Events already recorded for these candidate ids (idempotent replay). */
  eventsForCandidates(candidateIds: string[]): Promise<MemdedupEvent[]>;
  /**
   * Commits a batch; resolves false (and changes nothing) when the user version moved. Rejects with
   * UserErasedError when the user's tombstone refuses it (only the journal rows of the dropped candidates go).
   */
  commit(batch: BatchCommit): Promise<boolean>;
  /** Stores vectors computed for memories already written (a cold load, a model change); skips rows changed since `version`. */
  putVectors(rows: { memoryId: string; version: number; vector: MemoryVector }[]): Promise<void>;
  /**
   * Stores prepared features (and, when given, the analysed frame) computed for memories already written, on a cold
   * load; skips rows changed since `version`. A commit that changes a memory's text drops its stored features.
   * Optional (the exported Store type stays implementable as before): without it, cold loads compute them each time.
   */
  putFeatures?(rows: { memoryId: string; version: number; features: StoredFeatures; analysis?: string }[]): Promise<void>;
  memories(userId: string, q: PageQuery & { status?: MemoryStatus | 'all' }): Promise<Page<Memory>>;
  memory(id: string): Promise<Memory | undefined>;
  events(userId: string, q: PageQuery): Promise<Page<MemdedupEvent>>;
  event(id: string): Promise<MemdedupEvent | undefined>;
  /** Memories flagged needsRecheck, after `afterId` by insertion order (the sweep's cursor). */
  needsRecheck(limit: number, after?: string, userId?: string): Promise<Page<Memory>>;
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  /**
   * Right to erasure: the only hard delete. In the same transaction, writes the user's tombstone at `at`
   * (default now; a later erase moves it forward). Returns rows removed.
   */
  erase(userId: string, at?: number): Promise<number>;
  /** The erase time of the user's tombstone, if one is kept. */
  erasedAt(userId: string): Promise<number | undefined>;
  /** Deletes tombstones of erasures before `before` (epoch ms). Returns how many. */
  expireTombstones(before: number): Promise<number>;
  /**
   * Takes or renews the named lease for `owner` when it is free, expired or already the owner's, until now + ttlMs.
   * Resolves with whether `owner` holds it now. One holder at a time, across processes.
   */
  takeLease(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives up the named lease if `owner` holds it, so a peer may take it at once. */
  dropLease(name: string, owner: string): Promise<void>;
  /** Cheap reachability probe for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
