// The memdedup_* metric families, all on one injected Registry (never prom-client's global one).
// Naming follows Prometheus: base units (seconds), `_total` on counters, label values from small
// code-defined sets only (never a userId: a user's series would multiply without bound).
import { Counter, Gauge, type Registry } from 'prom-client';
import { BoundCounter, BoundHistogram } from './bound.js';
import { STORE_FAULT_KINDS } from '../resilience/retry.js';
import { PRIORITIES } from '../types.js';

/** Seconds; batches of the lexical cascade take milliseconds, provider calls up to seconds. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Submit-to-decision includes group commit and lane waits, so it reaches further. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500];
/** Excess event-loop delay in seconds; the sampler's resolution is 10 ms, so finer buckets say nothing. */
const LOOP_DELAY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** rejected: the store refused the candidate on its own at group commit (isolated, never retried). */
export const SUBMIT_OUTCOMES = ['accepted', 'disabled', 'overloaded', 'rejected'] as const;
export const DECISION_ACTIONS = ['added', 'duplicate', 'updated', 'superseded', 'fallback', 'deferred', 'dead-letter'] as const;
export const BREAKER_SCOPES = ['user', 'provider'] as const;
export const BREAKER_STATES = ['open', 'halfOpen', 'closed'] as const;
export const PROVIDERS = ['embedder', 'judge'] as const;
export const ERROR_STAGES = ['batch', 'group-commit', 'journal-claim', 'journal-fail'] as const;

export function createFamilies(registry: Registry) {
  const r = [registry];
  return {
    candidates: new BoundCounter({ name: 'memdedup_candidates_total', help: 'Candidates submitted, by submit outcome (accepted, disabled, overloaded, rejected by the store) and priority.',
      labelNames: ['outcome', 'priority'] as const, registers: r }),
    decisions: new BoundCounter({ name: 'memdedup_decisions_total', help: 'Decisions reached, by action and by the cascade stage that decided.',
      labelNames: ['action', 'method'] as const, registers: r }),
    decisionLatency: new BoundHistogram({ name: 'memdedup_decision_latency_seconds', help: 'Time from acceptance (durable in the journal) to decision.',
      labelNames: ['priority'] as const, buckets: LATENCY_BUCKETS, registers: r }),
    batchDuration: new BoundHistogram({ name: 'memdedup_batch_duration_seconds', help: 'Time to decide one lane batch, by mode.',
      labelNames: ['mode'] as const, buckets: DURATION_BUCKETS, registers: r }),
    batchSize: new BoundHistogram({ name: 'memdedup_batch_size', help: 'Candidates per decided lane batch, by mode.',
      labelNames: ['mode'] as const, buckets: SIZE_BUCKETS, registers: r }),
    retries: new BoundCounter({ name: 'memdedup_retries_total', help: 'Candidates put back in the journal for another attempt.', registers: r }),
    deadLetters: new BoundCounter({ name: 'memdedup_dead_letters_total', help: 'Candidates that exhausted their attempts.', registers: r }),
    fallbacks: new BoundCounter({ name: 'memdedup_fallbacks_total', help: 'Candidates decided by a fallback instead of the cascade, by fallback.',
      labelNames: ['fallback'] as const, registers: r }),
    errors: new BoundCounter({ name: 'memdedup_errors_total', help: 'Failures, by the stage where they happened (each failed batch attempt counts per candidate).',
      labelNames: ['stage'] as const, registers: r }),
    storeFaults: new BoundCounter({ name: 'memdedup_store_faults_total',
      help: 'Failures of the store itself (disk full, read-only, corrupt, connection lost), by kind; never blamed on candidates.',
      labelNames: ['kind'] as const, registers: r }),
    breakerTransitions: new BoundCounter({ name: 'memdedup_breaker_transitions_total', help: 'Circuit breaker state changes, by scope and new state.',
      labelNames: ['scope', 'to'] as const, registers: r }),
    breakers: new Gauge({ name: 'memdedup_breakers', help: 'Circuit breakers not closed, by scope and state.',
      labelNames: ['scope', 'state'] as const, registers: r }),
    providerCalls: new BoundCounter({ name: 'memdedup_provider_calls_total', help: 'Calls to the embedder and judge providers, by outcome (rejected: refused by the open breaker).',
      labelNames: ['provider', 'outcome'] as const, registers: r }),
    providerDuration: new BoundHistogram({ name: 'memdedup_provider_duration_seconds', help: 'Provider call latency.',
      labelNames: ['provider'] as const, buckets: DURATION_BUCKETS, registers: r }),
    flagEvaluations: new Counter({ name: 'memdedup_flag_evaluations_total', help: 'Feature flag evaluations by the engine, by flag and result.',
      labelNames: ['flag', 'result'] as const, registers: r }),
    cacheHits: new Counter({ name: 'memdedup_index_cache_hits_total', help: 'User index loads served from the cache.', registers: r }),
    cacheMisses: new Counter({ name: 'memdedup_index_cache_misses_total', help: 'User index loads that read the store.', registers: r }),
    cacheUsers: new Gauge({ name: 'memdedup_index_cache_users', help: 'Users whose index is held in memory.', registers: r }),
    journalDepth: new Gauge({ name: 'memdedup_journal_depth', help: 'Candidates accepted and not yet decided (the queue).', registers: r }),
    journalRetrying: new Gauge({ name: 'memdedup_journal_retrying', help: 'Accepted candidates waiting for their next attempt.', registers: r }),
    journalLimit: new Gauge({ name: 'memdedup_journal_limit', help: 'Undecided candidates held at most before submit answers overloaded.', registers: r }),
    lanes: new Gauge({ name: 'memdedup_lanes', help: 'User lanes waiting for a slot (queued) or deciding a batch (running).',
      labelNames: ['state'] as const, registers: r }),
    laneCandidates: new Gauge({ name: 'memdedup_lane_candidates', help: 'Candidates waiting in lanes or in a batch in flight.', registers: r }),
    loopDelay: new BoundHistogram({ name: 'memdedup_event_loop_delay_seconds',
      help: 'Event-loop delay beyond the sampler resolution, recorded while the engine works (the chat response impact).',
      buckets: LOOP_DELAY_BUCKETS, registers: r }),
    alertsFiring: new Gauge({ name: 'memdedup_alerts_firing', help: 'In-process alert state: 1 while the alert fires.',
      labelNames: ['alertname', 'severity'] as const, registers: r }),
  };
}

export type Families = ReturnType<typeof createFamilies>;

/**
 * Series of bounded label sets start at zero, so `increase()` sees their first event
 * (a series born at 1 shows no increase) and dashboards show 0 rather than "no data".
 */
export function zeroSeries(f: Families): void {
  for (const outcome of SUBMIT_OUTCOMES) for (const priority of PRIORITIES) f.candidates.labels(outcome, priority);
  for (const scope of BREAKER_SCOPES) {
    for (const to of BREAKER_STATES) f.breakerTransitions.labels(scope, to);
    for (const state of ['open', 'halfOpen'] as const) f.breakers.set({ scope, state }, 0);
  }
  for (const stage of ERROR_STAGES) f.errors.labels(stage);
  for (const kind of STORE_FAULT_KINDS) f.storeFaults.labels(kind);
  for (const provider of PROVIDERS) for (const outcome of ['ok', 'error', 'rejected'] as const) f.providerCalls.labels(provider, outcome);
  for (const fallback of ['store-exact', 'defer'] as const) f.fallbacks.labels(fallback);
  for (const state of ['queued', 'running'] as const) f.lanes.set({ state }, 0);
}
