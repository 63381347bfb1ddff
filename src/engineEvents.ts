// Typed events the engine emits; adapters (metrics, logs) subscribe. A throwing listener never breaks the engine.
import { EventEmitter } from 'node:events';
import type { StoreFaultKind } from './resilience/retry.js';
import type { StoreHealthSnapshot } from './resilience/storeHealth.js';
import type { Candidate, Decision } from './types.js';

export interface EngineEventMap {
  /** A candidate was accepted (durable), refused at submit, or refused by the store on its own (rejected). */
  submitted: [{ candidate: Candidate; status: 'accepted' | 'disabled' | 'overloaded' | 'rejected'; error?: string }];
  decided: [{ candidate: Candidate; decision: Decision; latencyMs: number }];
  batch: [{ userId: string; size: number; durationMs: number; mode: string; counts: Record<string, number> }];
  retry: [{ candidate: Candidate; attempt: number; delayMs: number; error: string }];
  'dead-letter': [{ candidate: Candidate; error: string }];
  /** `reason`: 'user-breaker-open' or 'provider-unavailable'. */
  fallback: [{ userId: string; size: number; fallback: 'store-exact' | 'defer'; reason?: string }];
  breaker: [{ scope: 'user' | 'provider'; name: string; state: 'open' | 'halfOpen' | 'closed' }];
  /** `count`: how many failures this event stands for (store faults are coalesced to one event per stage per second). */
  error: [{ stage: string; error: Error; count?: number }];
  /** Every store fault, uncoalesced (memdedup_store_faults_total{kind}). */
  'store-fault': [{ kind: StoreFaultKind; stage: string }];
  /** The store's health changed (healthy / faulty / stopped). */
  store: [StoreHealthSnapshot];
  /** One call to an embedder or judge provider (counted by memdedup_provider_calls_total). */
  provider: [{ provider: 'embedder' | 'judge'; durationMs: number; outcome: 'ok' | 'error' | 'rejected' }];
}

export class EngineEvents extends EventEmitter<EngineEventMap> {
  /** Emits, swallowing listener errors so one bad subscriber cannot stop processing. */
  safeEmit<K extends keyof EngineEventMap>(name: K, ...args: EngineEventMap[K]): void {
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (this.emit as any)(name, ...args);
    } catch { /* a listener threw; the engine goes on */ }
  }
}
