// Retry policy as data (graphile-worker's table of retryable codes) and one jittered backoff function.

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
