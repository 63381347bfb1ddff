// Turns engine events into metrics (components emit, adapters count) and reads gauges from
// engine.status() at scrape time. Event handlers only touch counters and histograms: a few
// hundred nanoseconds each, measured by test/bench/metrics-overhead.mjs.
import type { Counter, Gauge } from 'prom-client';
import type { EngineStatus } from '../engine.js';
import type { EngineEventMap, EngineEvents } from '../engineEvents.js';
import type { Families } from './families.js';
import type { FlagCounts } from './flagCounts.js';

export interface MetricsSource {
  emitter: EngineEvents;
  status(): EngineStatus;
}

/** Several gauges read status() during one scrape; one call serves them all. */
const STATUS_TTL_MS = 50;

export class MetricsAdapter {
  /** Breakers not closed, by `${scope}\0${name}`; a closed breaker is forgotten, so this stays bounded. */
  private readonly breakerStates = new Map<string, { scope: string; state: string }>();
  private batchesSinceAsked = 0;
  private status: { at: number; value: EngineStatus } | null = null;
  private lastCache = { hits: 0, misses: 0 };
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly source: MetricsSource, private readonly f: Families, flagCounts: FlagCounts) {
    this.subscribe();
    onCollect(f.journalDepth, (g) => g.set(this.current().journal.inflight));
    onCollect(f.journalRetrying, (g) => g.set(this.current().journal.retrying));
    onCollect(f.journalLimit, (g) => g.set(this.current().journal.limit));
    onCollect(f.laneCandidates, (g) => g.set(this.current().lanes.candidates));
    onCollect(f.lanes, (g) => {
      const l = this.current().lanes;
      g.set({ state: 'queued' }, l.queued);
      g.set({ state: 'running' }, l.running);
    });
    onCollect(f.cacheUsers, (g) => g.set(this.current().cache.users));
    onCollect(f.cacheHits, () => this.syncCache());
    onCollect(f.cacheMisses, () => this.syncCache());
    onCollect(f.flagEvaluations, (c) => flagCounts.exportTo(c));
    onCollect(f.breakers, () => this.syncBreakers());
  }

  /** True if a batch was decided (or one is running) since the last call; for the event-loop sampler. */
  busySinceAsked(): boolean {
    const busy = this.batchesSinceAsked > 0 || this.source.status().lanes.running > 0;
    this.batchesSinceAsked = 0;
    return busy;
  }

  /**
   * Breakers currently not closed, by scope and state. Open user breakers and provider states come
   * from engine.status() (the breaker registry knows about evictions); half-open user breakers,
   * which status() does not count, from the transitions seen.
   */
  breakerCounts(): Array<{ scope: string; state: string; count: number }> {
    const counts = new Map<string, { scope: string; state: string; count: number }>();
    const add = (scope: string, state: string, n: number) => {
      const key = `${scope}\0${state}`;
      const c = counts.get(key) ?? { scope, state, count: 0 };
      c.count += n;
      counts.set(key, c);
    };
    const b = this.source.status().breakers;
    for (const e of this.breakerStates.values()) if (!b || (e.scope === 'user' && e.state === 'halfOpen')) add(e.scope, e.state, 1);
    if (b) {
      add('user', 'open', b.user.open);
      for (const state of Object.values(b.provider)) if (state && state !== 'closed') add('provider', state, 1);
    }
    return [...counts.values()];
  }

  close(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  private current(): EngineStatus {
    const now = Date.now();
    if (!this.status || now - this.status.at > STATUS_TTL_MS) this.status = { at: now, value: this.source.status() };
    return this.status.value;
  }

  private syncCache(): void {
    const c = this.current().cache;
    // A counter never goes down: a cache rebuilt from zero (a new engine) starts a new baseline.
    if (c.hits >= this.lastCache.hits) this.f.cacheHits.inc(c.hits - this.lastCache.hits);
    if (c.misses >= this.lastCache.misses) this.f.cacheMisses.inc(c.misses - this.lastCache.misses);
    this.lastCache = { hits: c.hits, misses: c.misses };
  }

  private syncBreakers(): void {
    for (const scope of ['user', 'provider']) for (const state of ['open', 'halfOpen']) this.f.breakers.set({ scope, state }, 0);
    for (const b of this.breakerCounts()) this.f.breakers.set({ scope: b.scope, state: b.state }, b.count);
  }

  private on<K extends keyof EngineEventMap>(name: K, fn: (...args: EngineEventMap[K]) => void): void {
    const e = this.source.emitter as unknown as { on(n: K, f: typeof fn): void; off(n: K, f: typeof fn): void };
    e.on(name, fn);
    this.unsubscribe.push(() => e.off(name, fn));
  }

  private subscribe(): void {
    const f = this.f;
    this.on('submitted', ({ candidate, status }) => { f.candidates.labels(status, candidate.priority).inc(); });
    this.on('decided', ({ candidate, decision, latencyMs }) => {
      f.decisions.labels(decision.action, decision.method ?? 'none').inc();
      f.decisionLatency.labels(candidate.priority).observe(latencyMs / 1000);
    });
    this.on('batch', ({ size, durationMs, mode }) => {
      this.batchesSinceAsked++;
      f.batchDuration.labels(mode).observe(durationMs / 1000);
      f.batchSize.labels(mode).observe(size);
    });
    // Each failed attempt is an error of the batch stage, whether it is retried or dead-lettered.
    this.on('retry', () => { f.retries.inc(); f.errors.labels('batch').inc(); });
    this.on('dead-letter', () => { f.deadLetters.inc(); f.errors.labels('batch').inc(); });
    this.on('fallback', ({ size, fallback }) => { f.fallbacks.labels(fallback).inc(size); });
    this.on('error', ({ stage, count }) => { f.errors.labels(stage).inc(count ?? 1); });
    this.on('store-fault', ({ kind }) => { f.storeFaults.labels(kind).inc(); });
    this.on('provider', ({ provider, durationMs, outcome }) => {
      f.providerCalls.labels(provider, outcome).inc();
      // A call refused by the open breaker sent no request: it has no latency.
      if (outcome !== 'rejected') f.providerDuration.labels(provider).observe(durationMs / 1000);
    });
    this.on('breaker', ({ scope, name, state }) => {
      f.breakerTransitions.labels(scope, state).inc();
      const key = `${scope}\0${name}`;
      if (state === 'closed') this.breakerStates.delete(key);
      else this.breakerStates.set(key, { scope, state });
    });
  }
}

/** prom-client calls a metric's `collect` at scrape time; its typings only allow it in the constructor config. */
function onCollect<M extends Gauge<string> | Counter<string>>(metric: M, fn: (metric: M) => void): void {
  (metric as unknown as { collect?: () => void }).collect = () => fn(metric);
}
