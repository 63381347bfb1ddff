// The in-process alert state: same definitions as the rules, pending before firing, and /readyz
// answering 503 while a critical alert fires.
import { afterEach, describe, expect, it } from 'vitest';
import { quantile } from '../../src/alerts/evaluator.js';
import type { Engine } from '../../src/engine.js';
import { createApp, listen, type RunningServer } from '../../src/http/server.js';
import { testEngine } from '../helpers/engine.js';

const open: Array<{ engine: Engine; srv?: RunningServer }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) { await o.srv?.close(); await o.engine.close(); }
});

async function served(o: Parameters<typeof testEngine>[0]) {
  const { engine } = await testEngine(o);
  const srv = await listen(createApp(engine), '127.0.0.1', 0);
  open.push({ engine, srv });
  const get = async (path: string) => { const r = await fetch(srv.url + path); return { status: r.status, json: await r.json() as any }; };
  return { engine, get };
}

const stateOf = (engine: Engine, name: string) => engine.alerts.states().find((a) => a.alertname === name)!;

describe('in-process alert state', () => {
  it('is inactive on a healthy engine; /readyz answers 200 and the status route carries the alerts', async () => {
    const { engine, get } = await served({});
    const subs = Array.from({ length: 20 }, (_, i) => engine.submit({ userId: `h${i % 3}`, text: `Enjoys jazz number ${i}` }));
    await Promise.all(subs.map((s) => s.decided));
    await engine.alerts.evaluate();
    // Timing alerts may be pending on a loaded machine (their `for` is minutes); none fires, and the
    // count-based ones are quiet.
    expect(engine.alerts.firing()).toEqual([]);
    for (const name of ['MemdedupQueueBacklog', 'MemdedupErrorRate', 'MemdedupBreakerOpen']) expect(stateOf(engine, name).state).toBe('inactive');
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ ready: true, closed: false, firing: [] });
    const status = await get('/api/memory/status');
    expect(status.status).toBe(200);
    expect(status.json.journal).toMatchObject({ inflight: 0 });
    expect(status.json.alerts.map((a: { alertname: string }) => a.alertname)).toContain('MemdedupQueueBacklog');
    expect(status.json.alerts[2]).toMatchObject({ severity: 'critical', threshold: 1000, for: '5m', runbook: 'docs/operations.md#memdedupqueuebacklog' });
  });

  it('fires a critical queue alert after `for`, takes /readyz to 503, and clears when the queue empties', async () => {
    const { engine, get } = await served({
      alerts: { queueSize: { threshold: 5, for: '2s' } }, retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 },
      breakers: { user: { failures: 1000 } } }); // no breaker: every candidate waits for its retry
    // The injected failure: the embedder is down, so every batch fails and waits a minute for its retry.
    const prepare = engine.deduper.prepare;
    engine.deduper.prepare = async () => { throw new Error('embedder down'); };
    const t0 = Date.now();
    const subs = Array.from({ length: 40 }, (_, i) => engine.submit({ userId: `q${i % 2}`, text: `Collects stamps series ${i}` }));
    await Promise.all(subs.map((s) => s.accepted));
    await engine.alerts.evaluate(t0);
    expect(stateOf(engine, 'MemdedupQueueBacklog')).toMatchObject({ state: 'pending', value: 40 });
    expect((await get('/readyz')).status).toBe(200);
    await engine.alerts.evaluate(t0 + 2500);
    expect(stateOf(engine, 'MemdedupQueueBacklog')).toMatchObject({ state: 'firing', activeSince: new Date(t0).toISOString() });
    const notReady = await get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.json.firing).toEqual(['MemdedupQueueBacklog']);
    const scrape = await engine.registry.metrics();
    expect(scrape).toContain('memdedup_alerts_firing{alertname="MemdedupQueueBacklog",severity="critical"} 1');
    // Wait until every candidate failed once (they are then retrying), then erase the users: the queue empties.
    for (let i = 0; i < 100 && engine.status().journal.retrying < 40; i++) await new Promise((r) => setTimeout(r, 20));
    expect(engine.status().journal.retrying).toBe(40);
    expect(await engine.registry.metrics()).toMatch(/memdedup_errors_total\{stage="batch"\} [1-9]/);
    engine.deduper.prepare = prepare;
    await engine.erase('q0');
    await engine.erase('q1');
    await engine.alerts.evaluate(t0 + 3000);
    expect(stateOf(engine, 'MemdedupQueueBacklog').state).toBe('inactive');
    expect((await get('/readyz')).status).toBe(200);
  });

  it('fires the breaker alert (a warning: still ready) when a breaker opens, even if it closed again', async () => {
    const { engine, get } = await served({ alerts: { breakerOpen: { for: '0s' }, window: '1m' } });
    const t0 = Date.now();
    await engine.alerts.evaluate(t0);
    engine.emitter.safeEmit('breaker', { scope: 'provider', name: 'embedder', state: 'open' });
    engine.emitter.safeEmit('breaker', { scope: 'provider', name: 'embedder', state: 'closed' });
    await engine.alerts.evaluate(t0 + 1000);
    expect(stateOf(engine, 'MemdedupBreakerOpen')).toMatchObject({ state: 'firing', value: 1 });
    expect((await get('/readyz')).status).toBe(200);
    // Once the opening is older than the window, and nothing is open, it clears.
    await engine.alerts.evaluate(t0 + 62_000);
    await engine.alerts.evaluate(t0 + 63_000);
    expect(stateOf(engine, 'MemdedupBreakerOpen').state).toBe('inactive');
  });

  it('computes the error ratio over the window from failed attempts and decisions', async () => {
    const { engine } = await served({ alerts: { errorRate: { for: '0s' } } });
    const t0 = Date.now();
    await engine.alerts.evaluate(t0);
    const subs = Array.from({ length: 9 }, (_, i) => engine.submit({ userId: 'er', text: `Speaks language ${i}` }));
    await Promise.all(subs.map((s) => s.decided));
    const c = { id: 'x', userId: 'er', text: 't', priority: 'normal' as const, acceptedAt: t0, attempts: 1 };
    engine.emitter.safeEmit('retry', { candidate: c, attempt: 1, delayMs: 10, error: 'boom' });
    await engine.alerts.evaluate(t0 + 1000);
    expect(stateOf(engine, 'MemdedupErrorRate')).toMatchObject({ state: 'firing', value: 0.1 });
  });

  it('refuses to close and reports not ready once closing', async () => {
    const { engine, get } = await served({});
    void engine.close();
    const r = await get('/readyz');
    expect(r.status).toBe(503);
    expect(r.json.closed).toBe(true);
  });
});

describe('quantile over bucket increases', () => {
  const m = (o: Record<string, number>) => new Map(Object.entries(o).map(([k, v]) => [k === 'inf' ? Infinity : Number(k), v]));
  it('interpolates inside the bucket like histogram_quantile', () => {
    // 100 new observations: 50 under 0.1, 50 between 0.1 and 0.5.
    expect(quantile(0.95, m({ 0.1: 60, 0.5: 110, inf: 110 }), m({ 0.1: 10, 0.5: 10, inf: 10 }))).toBeCloseTo(0.1 + 0.4 * (45 / 50));
    expect(quantile(0.5, m({ 0.1: 50, 0.5: 100, inf: 100 }), m({}))).toBeCloseTo(0.1);
    expect(quantile(0.99, m({ 0.1: 1, 0.5: 1, inf: 10 }), m({}))).toBe(0.5);
    expect(quantile(0.95, m({ 0.1: 5, inf: 5 }), m({ 0.1: 5, inf: 5 }))).toBeNull();
  });
});
