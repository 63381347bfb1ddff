// One opossum breaker per provider, shared by every user, plus a small in-flight cap.
//
// "Open after N failures" maps onto opossum as: volumeThreshold = N (no opening before N calls in the rolling
// window) and errorThresholdPercentage = 50 (then open when at least half of the window's calls failed). During
// an outage every call fails, so the breaker opens on the N-th failure; after resetTimeoutMs one trial call is let
// through (half-open) and closes it again on success. The in-flight cap keeps a burst of batches from sending
// more than a handful of requests before the first failures come back.
import CircuitBreaker from 'opossum';
import PQueue from 'p-queue';

import type { BreakerState } from './types.js';

export type { BreakerState } from './types.js';

export interface ProviderBreakerOptions {
  name: string;
  failures: number;
  resetTimeoutMs: number;
  maxInFlight?: number;
  onState?: (name: string, state: BreakerState) => void;
  /** Each call's outcome and latency (ms; 0 when rejected without a request), for memdedup_provider_* metrics. */
  onCall?: (name: string, durationMs: number, outcome: ProviderCallOutcome) => void;
}

/** ok / error: the request answered or failed; rejected: the open breaker refused it. */
export type ProviderCallOutcome = 'ok' | 'error' | 'rejected';

export class ProviderBreaker {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  private readonly queue: PQueue;

  constructor(readonly o: ProviderBreakerOptions) {
    this.queue = new PQueue({ concurrency: o.maxInFlight ?? 4 });
    this.breaker = new CircuitBreaker((f: () => Promise<unknown>) => f(), {
      name: o.name,
      timeout: false, // the HTTP call has its own timeout
      resetTimeout: o.resetTimeoutMs,
      volumeThreshold: o.failures,
      errorThresholdPercentage: 50,
      rollingCountTimeout: 10_000,
    });
    this.breaker.on('open', () => o.onState?.(o.name, 'open'));
    this.breaker.on('halfOpen', () => o.onState?.(o.name, 'halfOpen'));
    this.breaker.on('close', () => o.onState?.(o.name, 'closed'));
  }

  get state(): BreakerState {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'halfOpen' : 'closed';
  }

  /** Runs `f` through the breaker; rejects at once while it is open. */
  async fire<T>(f: () => Promise<T>): Promise<T> {
    if (this.breaker.opened) {
      this.o.onCall?.(this.o.name, 0, 'rejected');
      throw new Error(`${this.o.name} breaker is open`);
    }
    return this.queue.add(() => this.timed(f)) as Promise<T>;
  }

  /** Times the call itself, not the wait for an in-flight slot. */
  private async timed<T>(f: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      const v = (await this.breaker.fire(f)) as T;
      this.o.onCall?.(this.o.name, performance.now() - t0, 'ok');
      return v;
    } catch (e) {
      this.o.onCall?.(this.o.name, performance.now() - t0, CircuitBreaker.isOurError(e as Error) ? 'rejected' : 'error');
      throw e;
    }
  }

  shutdown(): void {
    this.queue.clear();
    this.breaker.shutdown();
  }
}
