// Metrics live on a per-engine (or injected) Registry, follow Prometheus naming, and never carry a userId.
import { collectDefaultMetrics, Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { testEngine } from '../helpers/engine.js';
import { hasPromtool, promtool } from '../helpers/prometheus.js';

const engines: Engine[] = [];
afterAll(async () => { await Promise.all(engines.map((e) => e.close())); });

async function engineWith(o: Parameters<typeof testEngine>[0] = {}): Promise<Engine> {
  const { engine } = await testEngine(o);
  engines.push(engine);
  return engine;
}

async function load(engine: Engine, users: number, n: number, tag: string): Promise<void> {
  const subs = [];
  for (let i = 0; i < n; i++) {
    subs.push(engine.submit({ userId: `${tag}-user-${i % users}`, text: i % 3 ? `Likes hiking trail ${tag} ${i}` : 'Is a vegetarian',
      priority: i % 5 ? 'normal' : 'high' }));
  }
  await Promise.all(subs.map((s) => s.decided));
}

function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ').pop()) : NaN;
}

describe('metrics registry', () => {
  it('gives two engines in one process separate registries that count separately', async () => {
    const a = await engineWith();
    const b = await engineWith();
    expect(a.registry).not.toBe(b.registry);
    await load(a, 3, 30, 'a');
    await load(b, 2, 12, 'b');
    const ta = await a.registry.metrics();
    const tb = await b.registry.metrics();
    expect(value(ta, 'memdedup_candidates_total{outcome="accepted",priority="normal"}')
      + value(ta, 'memdedup_candidates_total{outcome="accepted",priority="high"}')).toBe(30);
    expect(value(tb, 'memdedup_candidates_total{outcome="accepted",priority="normal"}')
      + value(tb, 'memdedup_candidates_total{outcome="accepted",priority="high"}')).toBe(12);
    expect(value(ta, 'memdedup_flag_evaluations_total{flag="memory.enabled",result="on"}')).toBe(30);
    expect(value(tb, 'memdedup_flag_evaluations_total{flag="memory.enabled",result="on"}')).toBe(12);
  });

  it('puts its families on an injected registry', async () => {
    const registry = new Registry();
    // A host registry that already collects the default Node metrics.
    collectDefaultMetrics({ register: registry });
    const e = await engineWith({ registry });
    expect(e.registry).toBe(registry);
    await load(e, 2, 10, 'inj');
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toContain('memdedup_decisions_total');
    expect(names).toContain('nodejs_eventloop_lag_seconds');
    const decided = (await registry.getSingleMetric('memdedup_decisions_total')!.get()).values.reduce((s, v) => s + v.value, 0);
    expect(decided).toBe(10);
  });

  it('exports gauges from status() and counters from events, with no userId in any label', async () => {
    const e = await engineWith();
    await load(e, 4, 40, 'gauge');
    // A second round on the same users: their indexes come from the cache.
    await load(e, 4, 8, 'gauge');
    const text = await e.registry.metrics();
    expect(text).not.toMatch(/gauge-user-/);
    expect(value(text, 'memdedup_journal_depth')).toBe(0);
    expect(value(text, 'memdedup_journal_limit')).toBe(e.options.journalLimit);
    expect(value(text, 'memdedup_index_cache_hits_total')).toBeGreaterThan(0);
    expect(value(text, 'memdedup_index_cache_misses_total')).toBe(4);
    expect(value(text, 'memdedup_batch_size_sum{mode="full"}')).toBe(48);
    expect(value(text, 'memdedup_decision_latency_seconds_count{priority="normal"}')
      + value(text, 'memdedup_decision_latency_seconds_count{priority="high"}')).toBe(48);
  });

  it('follows a real per-user breaker: opened by failures, closed by a good trial batch', async () => {
    const e = await engineWith({ breakers: { user: { failures: 2, resetTimeoutMs: 100 } }, retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } });
    const prepare = e.deduper.prepare;
    e.deduper.prepare = async () => { throw new Error('cannot featurize'); };
    // Scrape at the moment it opens (collect() reads status() synchronously, before the scrape's first await).
    const atOpen = new Promise<string>((r) => e.emitter.on('breaker', (ev) => { if (ev.state === 'open') r(e.registry.metrics()); }));
    await Promise.all(Array.from({ length: 4 }, (_, i) => e.submit({ userId: 'brk-user', text: `Sails dinghies ${i}` })).map((s) => s.decided));
    let text = await atOpen;
    expect(text).not.toMatch(/brk-user/);
    expect(value(text, 'memdedup_breakers{scope="user",state="open"}')).toBe(1);
    // It may have re-opened after a failed half-open trial while the retries ran.
    expect(value(text, 'memdedup_breaker_transitions_total{scope="user",to="open"}')).toBeGreaterThanOrEqual(1);
    text = await e.registry.metrics();
    expect(value(text, 'memdedup_errors_total{stage="batch"}')).toBeGreaterThanOrEqual(2);
    e.deduper.prepare = prepare;
    const closed = () => value(text, 'memdedup_breaker_transitions_total{scope="user",to="closed"}');
    for (let i = 0; i < 40 && closed() === 0; i++) {
      await new Promise((r) => setTimeout(r, 150));
      await e.submit({ userId: 'brk-user', text: `Sails catamarans ${i}` }).decided;
      text = await e.registry.metrics();
    }
    expect(closed()).toBe(1);
    expect(value(text, 'memdedup_breakers{scope="user",state="open"}')).toBe(0);
    expect(value(text, 'memdedup_breakers{scope="user",state="halfOpen"}')).toBe(0);
  });

  it('counts refused submissions by outcome and failures by stage', async () => {
    const e = await engineWith({ journalLimit: 1 });
    e.submit({ userId: 'ov', text: 'first one is accepted' });
    const refused = e.submit({ userId: 'ov', text: 'second one finds the journal full' });
    expect(refused.status).toBe('overloaded');
    e.emitter.safeEmit('error', { stage: 'journal-claim', error: new Error('disk on fire') });
    await e.drain();
    const text = await e.registry.metrics();
    expect(value(text, 'memdedup_candidates_total{outcome="overloaded",priority="normal"}')).toBe(1);
    expect(value(text, 'memdedup_errors_total{stage="journal-claim"}')).toBe(1);
  });

  it.skipIf(!hasPromtool())('passes `promtool check metrics` for every memdedup_ series scraped under load', async () => {
    const e = await engineWith();
    await load(e, 7, 50, 'warm');
    // Scrape while batches are in flight, then again once they are done.
    const busy = new Promise<void>((r) => e.emitter.once('batch', () => r()));
    const loading = load(e, 7, 500, 'lint');
    await busy;
    e.emitter.safeEmit('provider', { provider: 'embedder', durationMs: 12, outcome: 'ok' });
    const during = await e.registry.metrics();
    await loading;
    expect(value(during, 'memdedup_journal_depth')).toBeGreaterThan(0);
    for (const text of [during, await e.registry.metrics()]) lint(text);
  });
});

/** promtool's linter on the memdedup_ part of a scrape (default Node metrics have a known `_total`-on-gauge complaint). */
function lint(scrape: string): void {
  const ours = scrape.split('\n').filter((l) => /^(# (HELP|TYPE) )?memdedup_/.test(l)).join('\n') + '\n';
  expect(ours.split('\n').filter((l) => l.startsWith('# TYPE')).length).toBeGreaterThanOrEqual(20);
  const r = promtool(['check', 'metrics'], ours);
  expect(r.out).toBe('');
  expect(r.code).toBe(0);
}

if (!hasPromtool()) console.log('skipping promtool check metrics: promtool is not installed (apt-get install -y prometheus)');
