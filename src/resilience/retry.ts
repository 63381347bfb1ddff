// Retry policy as data (graphile-worker's table of retryable codes) and one jittered backoff function.
import CircuitBreaker from 'opossum';

/** Errors worth retrying: transient contention or an unreachable dependency, never bad data. */
export const RETRYABLE: Readonly<Record<string, { reason: string }>> = Object.freeze({
  SQLITE_BUSY: { reason: 'database is locked by another connection' },
  SQLITE_LOCKED: { reason: 'table is locked' },
  SQLITE_BUSY_SNAPSHOT: { reason: 'WAL snapshot is stale' },
  '40001': { reason: 'PostgreSQL serialization failure' },
  '40P01': { reason: 'PostgreSQL deadlock detected' },
  '57P01': { reason: 'PostgreSQL admin shutdown' },
  '08006': { reason: 'PostgreSQL connection failure' },
  '08003': { reason: 'PostgreSQL connection does not exist' },
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

/**
 * What a failure of a batch says about whom to blame, which decides what happens next:
 *   provider  – an embedder/judge is down or its breaker is open: fall back now, nobody's attempts burn;
 *   transient – the store is busy or unreachable (the table above): back off and retry, no attempt burns;
 *   candidate – anything else (bad data, a bug): the candidate's attempt burns, the user's breaker counts it.
 */
export type FailureKind = 'provider' | 'transient' | 'candidate';

export function failureKind(e: unknown): FailureKind {
  const err = e as { code?: unknown; status?: unknown; scope?: unknown } | null;
  if (!err || typeof err !== 'object') return 'candidate';
  // opossum's own errors (EOPENBREAKER, ETIMEDOUT, ESEMLOCKED) can only come from a provider breaker here:
  // a user breaker's own rejection is caught before it gets classified.
  const code = typeof err.code === 'string' ? err.code : undefined;
  if (err.scope === 'provider' || code === 'PROVIDER_ERROR' || code === 'EOPENBREAKER' || (e instanceof Error && CircuitBreaker.isOurError(e))) return 'provider';
  if (typeof err.status === 'number' && (err.status === 429 || err.status >= 500)) return 'provider';
  if (isRetryable(e)) return 'transient';
  return 'candidate';
}
