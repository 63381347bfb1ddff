// Options in, resolved options out (piscina's Options / FilledOptions). Never write into the caller's object.
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { resolveAlerts, type AlertsOptions, type ResolvedAlerts } from './alerts/definitions.js';
import { invalidInput } from './errors.js';
import { checkLogLevel } from './log/logger.js';
import { resolvePolicies } from './policies/options.js';
import { DEFAULT_TOMBSTONE_TTL_MS } from './store/tombstones.js';

export type StoreOptions =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; connectionString: string; schema?: string; pool?: PgPoolOptions; leaseMs?: number; pollMs?: number };

/** node-postgres pool settings for the postgres store. @default { max: 10, idleTimeoutMs: 30000, connectionTimeoutMs: 30000 } */
export interface PgPoolOptions { max?: number; idleTimeoutMs?: number; connectionTimeoutMs?: number }

export type FlagsOptions =
  /**
   * `file` omitted: the package's shipped flags (all seed flags on); toggles write flags.json beside the
   * SQLite database (in memory only with PostgreSQL or ':memory:'), which later starts then read.
   */
  | { kind: 'embedded'; file?: string; watch?: boolean }
  | { kind: 'unleash'; url: string; token: string; appName?: string; refreshIntervalMs?: number; bootstrapFile?: string; timeoutMs?: number };

export type EmbedderOptions =
  | { kind: 'lexical' }
  | { kind: 'openai'; baseURL: string; model: string; apiKey?: string; timeoutMs?: number };

export type JudgeOptions = { kind: 'openai'; baseURL: string; model: string; apiKey?: string; timeoutMs?: number };

export interface EngineOptions {
  /**
   * Where the deciding runs. 'worker': worker threads owned by the engine, the users partitioned across them by
   * a hash of the userId, so the host's event loop only validates and buffers. 'inline': in the host's thread
   * (hosts that cannot run workers). @default 'worker' (or the MEMDEDUP_THREAD environment variable)
   */
  thread?: 'worker' | 'inline';
  /** Worker threads in thread mode 'worker'. @default max(1, cores - 1): the host keeps a core */
  workers?: number;
  /** @default { kind: 'sqlite', path: './data/memdedup.db' } */
  store?: StoreOptions;
  /** @default { kind: 'embedded' }: the shipped flags; toggles go to flags.json beside the database */
  flags?: FlagsOptions;
  /** @default { kind: 'lexical' } */
  embedder?: EmbedderOptions;
  /** Optional LLM consulted for grey-band pairs only. */
  judge?: JudgeOptions;
  /** Lanes processed at once. @default 15 (the seed's figure) */
  concurrency?: number;
  /** Candidates of one user decided in one batch. @default 100 */
  batchSize?: number;
  /** Accepted-but-undecided candidates held at most; past it `submit()` answers `overloaded`. @default 100000 */
  journalLimit?: number;
  /** Rows per group-commit transaction at most. @default 500 */
  groupCommitRows?: number;
  /** Memories retrieved per candidate. @default 8 */
  topK?: number;
  /** Users whose index is kept in memory. @default 2000 */
  indexCacheUsers?: number;
  breakers?: {
    user?: { failures?: number; resetTimeoutMs?: number; maxLive?: number };
    provider?: { failures?: number; resetTimeoutMs?: number };
  };
  fallback?: 'store-exact' | 'defer';
  retry?: {
    maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number;
    /** How long a store that stays read-only is waited for before the engine stops deciding. @default 60000 */
    readOnlyStopAfterMs?: number;
  };
  /** Log level for pino. @default 'info' */
  logLevel?: string;
  /** A pino logger to log through (a child is made); otherwise one is made at `logLevel` on stdout. */
  logger?: Logger;
  /** The prom-client Registry the engine's metrics go on. @default a new Registry per engine */
  registry?: Registry;
  /** Alert thresholds, evaluated in process and rendered as Prometheus rules. @default the seed's */
  alerts?: AlertsOptions;
  /**
   * Cascade tuning; thresholds default to the values calibrated on the dev data. `policies` are named
   * profiles over those thresholds (the `default` policy is `thresholds` itself); the
   * `memory.dedup-policy` flag's variant names a user's policy (see src/policies/).
   */
  dedup?: { thresholds?: Partial<DedupThresholds>; policies?: Record<string, PolicyProfile> };
  /**
   * How long an erased user's tombstone is kept (every commit in every process checks it). Must outlast the longest
   * a candidate can wait between accept and commit (a store outage, a dead letter). @default 86400000 (24 h)
   */
  tombstoneTtlMs?: number;
}

/** A named dedup policy: thresholds it changes; the rest come from `dedup.thresholds` and the defaults. */
export interface PolicyProfile { thresholds?: Partial<DedupThresholds> }

/**
 * Policy thresholds, flat (see src/dedup/policy.ts for what each one gates, docs/decisions.md for the measured
 * effect). The frame guards (subject, relation, roles, names) have no threshold: they are structural vetoes.
 */
export interface DedupThresholds {
  /** Alignment score (Dice over content words, 0..1) at or above which a guard-free pair is the same fact. Default 0.6. */
  duplicate: number;
  /** Share of the memory the candidate must cover for a conflict signal to mean "same attribute, new value". Default 0.65. */
  conflict: number;
  /** Share of the memory the candidate must cover to refine it ("contains more"). Default 1. */
  update: number;
}

export interface ResolvedOptions {
  thread: 'worker' | 'inline';
  workers: number;
  store: StoreOptions;
  flags: FlagsOptions;
  embedder: EmbedderOptions;
  judge: JudgeOptions | undefined;
  concurrency: number;
  batchSize: number;
  journalLimit: number;
  groupCommitRows: number;
  topK: number;
  indexCacheUsers: number;
  breakers: {
    user: { failures: number; resetTimeoutMs: number; maxLive: number };
    provider: { failures: number; resetTimeoutMs: number };
  };
  fallback: 'store-exact' | 'defer';
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; readOnlyStopAfterMs: number };
  logLevel: string;
  logger: Logger | undefined;
  registry: Registry | undefined;
  alerts: ResolvedAlerts;
  dedup: { thresholds: Partial<DedupThresholds>; policies: Record<string, { thresholds: Partial<DedupThresholds> }> };
  tombstoneTtlMs: number;
}

const DEFAULTS: ResolvedOptions = {
  thread: 'worker',
  workers: Math.max(1, availableParallelism() - 1),
  store: { kind: 'sqlite', path: './data/memdedup.db' },
  flags: { kind: 'embedded' },
  embedder: { kind: 'lexical' },
  judge: undefined,
  concurrency: 15,
  batchSize: 100,
  journalLimit: 100_000,
  groupCommitRows: 500,
  topK: 8,
  indexCacheUsers: 2000,
  breakers: {
    user: { failures: 5, resetTimeoutMs: 60_000, maxLive: 10_000 },
    provider: { failures: 5, resetTimeoutMs: 60_000 },
  },
  fallback: 'store-exact',
  retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 30_000, readOnlyStopAfterMs: 60_000 },
  logLevel: 'info',
  logger: undefined,
  registry: undefined,
  alerts: resolveAlerts(),
  dedup: { thresholds: {}, policies: {} },
  tombstoneTtlMs: DEFAULT_TOMBSTONE_TTL_MS,
};
export const DEFAULT_OPTIONS: Readonly<ResolvedOptions> = Object.freeze(DEFAULTS);

function positiveInt(name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw invalidInput(`options.${name}`, 'must be a positive integer');
  return v;
}

export function resolveOptions(o: EngineOptions = {}): ResolvedOptions {
  const d = DEFAULT_OPTIONS;
  if (o === null || typeof o !== 'object') throw invalidInput('options', 'must be an object');
  if (o.fallback !== undefined && o.fallback !== 'store-exact' && o.fallback !== 'defer') {
    throw invalidInput('options.fallback', "must be 'store-exact' or 'defer'");
  }
  const bu = o.breakers?.user ?? {};
  const bp = o.breakers?.provider ?? {};
  const r = o.retry ?? {};
  if (o.logLevel !== undefined) checkLogLevel(o.logLevel);
  const thread = o.thread ?? threadFromEnv() ?? d.thread;
  if (thread !== 'worker' && thread !== 'inline') throw invalidInput('options.thread', "must be 'worker' or 'inline'");
  return {
    thread,
    workers: positiveInt('workers', o.workers, d.workers),
    store: o.store ? { ...o.store } : { ...d.store },
    flags: o.flags ? { ...o.flags } : { ...d.flags },
    embedder: o.embedder ? { ...o.embedder } : { ...d.embedder },
    judge: o.judge ? { ...o.judge } : undefined,
    concurrency: positiveInt('concurrency', o.concurrency, d.concurrency),
    batchSize: positiveInt('batchSize', o.batchSize, d.batchSize),
    journalLimit: positiveInt('journalLimit', o.journalLimit, d.journalLimit),
    groupCommitRows: positiveInt('groupCommitRows', o.groupCommitRows, d.groupCommitRows),
    topK: positiveInt('topK', o.topK, d.topK),
    indexCacheUsers: positiveInt('indexCacheUsers', o.indexCacheUsers, d.indexCacheUsers),
    breakers: {
      user: {
        failures: positiveInt('breakers.user.failures', bu.failures, d.breakers.user.failures),
        resetTimeoutMs: positiveInt('breakers.user.resetTimeoutMs', bu.resetTimeoutMs, d.breakers.user.resetTimeoutMs),
        maxLive: positiveInt('breakers.user.maxLive', bu.maxLive, d.breakers.user.maxLive),
      },
      provider: {
        failures: positiveInt('breakers.provider.failures', bp.failures, d.breakers.provider.failures),
        resetTimeoutMs: positiveInt('breakers.provider.resetTimeoutMs', bp.resetTimeoutMs, d.breakers.provider.resetTimeoutMs),
      },
    },
    fallback: o.fallback ?? d.fallback,
    retry: {
      maxAttempts: positiveInt('retry.maxAttempts', r.maxAttempts, d.retry.maxAttempts),
      baseDelayMs: positiveInt('retry.baseDelayMs', r.baseDelayMs, d.retry.baseDelayMs),
      maxDelayMs: positiveInt('retry.maxDelayMs', r.maxDelayMs, d.retry.maxDelayMs),
      readOnlyStopAfterMs: positiveInt('retry.readOnlyStopAfterMs', r.readOnlyStopAfterMs, d.retry.readOnlyStopAfterMs),
    },
    logLevel: o.logLevel ?? d.logLevel,
    logger: o.logger,
    registry: o.registry,
    alerts: resolveAlerts(o.alerts),
    dedup: { thresholds: thresholds(o.dedup?.thresholds), policies: resolvePolicies(o.dedup?.policies, thresholds) },
    tombstoneTtlMs: positiveInt('tombstoneTtlMs', o.tombstoneTtlMs, d.tombstoneTtlMs),
  };
}

/** MEMDEDUP_THREAD=inline|worker: the default thread mode for engines that do not set one (tests run both). */
function threadFromEnv(): 'worker' | 'inline' | undefined {
  const v = process.env.MEMDEDUP_THREAD;
  if (v === undefined || v === '') return undefined;
  if (v !== 'worker' && v !== 'inline') throw invalidInput('MEMDEDUP_THREAD', "must be 'worker' or 'inline'");
  return v;
}

function thresholds(t: Partial<DedupThresholds> | undefined, field = 'options.dedup.thresholds'): Partial<DedupThresholds> {
  const out: Partial<DedupThresholds> = {};
  for (const k of ['duplicate', 'conflict', 'update'] as const) {
    const v = t?.[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw invalidInput(`${field}.${k}`, 'must be a number in [0, 1]');
    out[k] = v;
  }
  return out;
}
