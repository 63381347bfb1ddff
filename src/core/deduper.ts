// The cascade a core decides with, built from the engine's options; provider breakers and calls become events.
import { Cascade } from '../dedup/cascade.js';
import type { Deduper } from '../dedup/types.js';
import type { EngineEvents } from '../engineEvents.js';
import type { ResolvedOptions } from '../options.js';

export function createDeduper(o: Pick<ResolvedOptions, 'topK' | 'dedup' | 'embedder' | 'judge' | 'breakers'>, events: EngineEvents): Deduper {
  return new Cascade({ topK: o.topK, thresholds: o.dedup.thresholds, embedder: o.embedder, judge: o.judge,
    breaker: o.breakers.provider,
    onBreaker: (name, state) => events.safeEmit('breaker', { scope: 'provider', name, state }),
    onProviderCall: (provider, durationMs, outcome) => events.safeEmit('provider', { provider, durationMs, outcome }) });
}
