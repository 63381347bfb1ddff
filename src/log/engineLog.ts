// Engine events as log lines: a line per batch at debug, one summary line a minute at info (see
// batchSummary.ts), warnings for failures and breaker changes. Nothing is formatted unless the level is enabled.
import type { EngineEventMap, EngineEvents } from '../engineEvents.js';
import { BatchSummary } from './batchSummary.js';
import type { Logger } from './logger.js';

export interface EngineLogOptions {
  /** Accepted candidates not yet decided, for the summary line. */
  journalDepth: () => number;
  /** @default 60 000 */
  summaryIntervalMs?: number;
}

export function logEngineEvents(emitter: EngineEvents, log: Logger, o: EngineLogOptions): () => void {
  const summary = new BatchSummary(log, o.journalDepth, o.summaryIntervalMs);
  if (log.isLevelEnabled('info')) summary.start();
  const handlers: { [K in keyof EngineEventMap]?: (...args: EngineEventMap[K]) => void } = {
    batch: ({ userId, size, durationMs, mode, counts }) => {
      if (log.isLevelEnabled('info')) summary.record({ size, durationMs, counts });
      if (!log.isLevelEnabled('debug')) return;
      log.debug({
        user: userId, candidates: size, added: counts.added ?? 0, duplicate: counts.duplicate ?? 0, updated: counts.updated ?? 0,
        superseded: counts.superseded ?? 0, fallback: counts.fallback ?? 0, mode, durationMs: Math.round(durationMs * 100) / 100,
      }, 'batch decided');
    },
    retry: ({ candidate, attempt, delayMs, error }) => {
      log.warn({ user: candidate.userId, candidate: candidate.id, attempt, delayMs, err: error }, 'batch attempt failed; retrying');
    },
    'dead-letter': ({ candidate, error }) => {
      log.error({ user: candidate.userId, candidate: candidate.id, attempts: candidate.attempts, err: error }, 'candidate dead-lettered');
    },
    submitted: ({ candidate, status, error }) => {
      if (status === 'rejected') log.error({ user: candidate.userId, candidate: candidate.id, err: error }, 'candidate refused by the store; isolated and rejected');
    },
    fallback: ({ userId, size, fallback }) => { log.warn({ user: userId, candidates: size, fallback }, 'cascade fell back'); },
    breaker: ({ scope, name, state }) => { log.warn({ scope, breaker: name, state }, `circuit breaker ${state}`); },
    error: ({ stage, error, count }) => { log.error({ stage, err: error, ...(count !== undefined ? { count } : {}) }, 'engine error'); },
    store: ({ state, kind, reason, faults }) => {
      if (state === 'healthy') log.warn({ store: state }, 'store healthy again');
      else log.error({ store: state, kind, reason, faults }, state === 'stopped' ? 'store stopped: the engine decides nothing more' : 'store failing');
    },
  };
  const e = emitter as unknown as { on(n: string, f: unknown): void; off(n: string, f: unknown): void };
  for (const [name, fn] of Object.entries(handlers)) e.on(name, fn);
  return () => {
    for (const [name, fn] of Object.entries(handlers)) e.off(name, fn);
    summary.stop();
  };
}
