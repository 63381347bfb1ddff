// Retry policy as data (graphile-worker's table of retryable codes) and one jittered backoff function.
import CircuitBreaker from 'opossum';

/** Errors worth retrying: transient contention or an unreachable dependency, never bad data. */
export const RETRYABLE: Readonly<Record<string, { reason: string }>> = Object.freeze({
  SQLITE_BUSY: { reason: 'database is locked by another connection' },
  SQLITE_LOCKED: { reason: 'table is locked' },
  SQLITE_BUSY_SNAPSHOT: { reason: 'WAL snapshot is stale' },
  '40001': { reason: 'PostgreSQL serialization failure' },
  '40P01': { reason: 'PostgreSQL deadlock detected' },
  ECONNRESET: { reason: 'connection reset' },
  ECONNREFUSED: { reason: 'connection refused' },
  ETIMEDOUT: { reason: 'timed out' },
  EPIPE: { reason: 'broken pipe' },
  VERSION_CONFLICT: { reason: 'another writer moved the user version' },
  HTTP_429: { reason: 'provider rate limit' },
  HTTP_5XX: { reason: 'provider server error' },
});

/** The table key for an error: its code, or HTTP_429 / HTTP_5XX for provider answers. */
export function retryKey(e: unknown): string | undefined {
  const err = e as { code?: unknown; status?: unknown } | null;
  if (!err || typeof err !== 'object') return undefined;
  const status = typeof err.status === 'number' ? err.status : undefined;
  if (status === 429) return 'HTTP_429';
  if (status !== undefined && status >= 500 && status < 600 && typeof err.code !== 'string') return 'HTTP_5XX';
  return typeof err.code === 'string' ? err.code : undefined;
}

export function isRetryable(e: unknown): boolean {
  const k = retryKey(e);
  return k !== undefined && k in RETRYABLE;
}

/** Full-jitter exponential backoff: uniform in [base/2, min(max, base * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const floor = Math.min(cap, baseMs / 2);
  return Math.round(floor + random() * (cap - floor));
}

/** What a store fault is about: the label of memdedup_store_faults_total{kind}, a small fixed set. */
export const STORE_FAULT_KINDS = ['disk-full', 'io', 'read-only', 'cant-open', 'corrupt', 'out-of-memory', 'shutdown', 'connection', 'pool'] as const;
export type StoreFaultKind = (typeof STORE_FAULT_KINDS)[number];

export interface StoreFaultRule {
  kind: StoreFaultKind;
  reason: string;
  /** The store-wide backoff between tries while the fault lasts: jittered, doubling from min to max. */
  minDelayMs: number;
  maxDelayMs: number;
  /** Faults of this kind that last this long (0: at once) stop the engine deciding until an operator restarts it. */
  stopAfterMs?: number;
}

const DISK = { minDelayMs: 100, maxDelayMs: 2000 } as const;
const CONN = { minDelayMs: 100, maxDelayMs: 5000 } as const;

/**
 * Faults of the store itself, never of the candidates in hand: they never burn attempts and never count toward a
 * user's breaker; every stage waits on one store-wide backoff instead (src/resilience/storeHealth.ts).
 * Keys: an exact code; a SQLite primary code also covers its extended codes (SQLITE_IOERR covers SQLITE_IOERR_WRITE);
 * `NN*` covers a whole PostgreSQL class (08* is every connection exception).
 */
export const STORE_FAULTS: Readonly<Record<string, StoreFaultRule>> = Object.freeze({
  SQLITE_FULL: { kind: 'disk-full', reason: 'database or disk is full', ...DISK },
  ENOSPC: { kind: 'disk-full', reason: 'no space left on device', ...DISK },
  '53100': { kind: 'disk-full', reason: 'PostgreSQL disk full', ...DISK },
  SQLITE_IOERR: { kind: 'io', reason: 'disk I/O error', ...DISK },
  EIO: { kind: 'io', reason: 'I/O error', ...DISK },
  // A read-only database may be a remount in progress; one that stays read-only needs an operator.
  SQLITE_READONLY: { kind: 'read-only', reason: 'database is read-only', ...DISK, stopAfterMs: 60_000 },
  EROFS: { kind: 'read-only', reason: 'read-only file system', ...DISK, stopAfterMs: 60_000 },
  SQLITE_CANTOPEN: { kind: 'cant-open', reason: 'unable to open the database file', ...DISK },
  // Retrying a corrupt database only writes more into it.
  SQLITE_CORRUPT: { kind: 'corrupt', reason: 'database disk image is malformed', ...DISK, stopAfterMs: 0 },
  SQLITE_NOTADB: { kind: 'corrupt', reason: 'file is not a database', ...DISK, stopAfterMs: 0 },
  '53200': { kind: 'out-of-memory', reason: 'PostgreSQL out of memory', ...CONN },
  '57P01': { kind: 'shutdown', reason: 'PostgreSQL admin shutdown', ...CONN },
  '57P02': { kind: 'shutdown', reason: 'PostgreSQL crash shutdown', ...CONN },
  '57P03': { kind: 'shutdown', reason: 'PostgreSQL cannot connect now (starting up)', ...CONN },
  '08*': { kind: 'connection', reason: 'PostgreSQL connection exception', ...CONN },
  STORE_POOL: { kind: 'pool', reason: 'the store connection pool failed', ...CONN },
});

/** STORE_FAULTS with the operator's patience for a read-only store (options.retry.readOnlyStopAfterMs). */
export function storeFaultRules(readOnlyStopAfterMs: number): Readonly<Record<string, StoreFaultRule>> {
  const out: Record<string, StoreFaultRule> = {};
  for (const [code, rule] of Object.entries(STORE_FAULTS)) out[code] = rule.kind === 'read-only' ? { ...rule, stopAfterMs: readOnlyStopAfterMs } : rule;
  return Object.freeze(out);
}

/** The STORE_FAULTS rule an error falls under, with the code that matched it; undefined if it is no store fault. */
export function storeFault(e: unknown, rules: Readonly<Record<string, StoreFaultRule>> = STORE_FAULTS): (StoreFaultRule & { code: string }) | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const primary = code.startsWith('SQLITE_') ? code.split('_').slice(0, 2).join('_') : undefined;
  const pgClass = /^[0-9A-Z]{5}$/.test(code) ? `${code.slice(0, 2)}*` : undefined;
  const rule = rules[code] ?? (primary ? rules[primary] : undefined) ?? (pgClass ? rules[pgClass] : undefined);
  return rule ? { ...rule, code } : undefined;
}

/**
 * What a failure of a batch says about whom to blame, which decides what happens next:
 *   provider  – an embedder/judge is down or its breaker is open: fall back now, nobody's attempts burn;
 *   transient – the store is busy (RETRYABLE above): back off and retry, no attempt burns;
 *   store-fault – the store itself is failing (STORE_FAULTS: disk full, read-only, corrupt, connection lost):
 *               wait on the store-wide backoff, no attempt burns, no breaker counts it;
 *   candidate – anything else (bad data, a bug): the candidate's attempt burns, the user's breaker counts it.
 */
export type FailureKind = 'provider' | 'transient' | 'store-fault' | 'candidate';

export function failureKind(e: unknown): FailureKind {
  const err = e as { code?: unknown; status?: unknown; scope?: unknown } | null;
  if (!err || typeof err !== 'object') return 'candidate';
  // opossum's own errors (EOPENBREAKER, ETIMEDOUT, ESEMLOCKED) can only come from a provider breaker here:
  // a user breaker's own rejection is caught before it gets classified.
  const code = typeof err.code === 'string' ? err.code : undefined;
  if (err.scope === 'provider' || code === 'PROVIDER_ERROR' || code === 'EOPENBREAKER' || (e instanceof Error && CircuitBreaker.isOurError(e))) return 'provider';
  if (typeof err.status === 'number' && (err.status === 429 || err.status >= 500)) return 'provider';
  if (isRetryable(e)) return 'transient';
  if (storeFault(e)) return 'store-fault';
  return 'candidate';
}
