// End to end with a real Prometheus on loopback: it scrapes a real server's /metrics, evaluates the
// rules rendered from the same definitions (short window and `for`), and reports the alerts that a real
// injected failure (the embedder down for some users) causes: their per-user breakers open, errors rise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAlerts } from '../../src/alerts/definitions.js';
import { rulesYaml } from '../../src/alerts/rules.js';
import type { Engine } from '../../src/engine.js';
import { createApp, listen, type RunningServer } from '../../src/http/server.js';
import { testEngine } from '../helpers/engine.js';
import { hasPrometheus, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';

const skip = !hasPrometheus();
if (skip) console.log('skipping the Prometheus alerting test: prometheus is not installed (apt-get install -y prometheus)');

let engine: Engine;
let srv: RunningServer;
let prom: RunningPrometheus | undefined;

beforeAll(async () => {
  if (skip) return;
  ({ engine } = await testEngine({ retry: { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 200 }, breakers: { user: { failures: 2 } } }));
  srv = await listen(createApp(engine), '127.0.0.1', 0);
  const target = new URL(srv.url).host;
  const rules = rulesYaml(resolveAlerts({ window: '30s', breakerOpen: { for: '2s' }, errorRate: { for: '2s' } }));
  prom = await startPrometheus((dir) => [
    'global:', '  scrape_interval: 1s', '  evaluation_interval: 1s',
    'rule_files:', `  - ${dir}/alerts.yml`,
    'scrape_configs:', '  - job_name: memdedup', '    static_configs:', `      - targets: ['${target}']`, '',
  ].join('\n'), { 'alerts.yml': rules });
});
afterAll(async () => {
  await prom?.stop();
  await srv?.close();
  await engine?.close();
});

async function api(path: string): Promise<any> {
  const r = await fetch(prom!.url + path);
  return ((await r.json()) as { data: unknown }).data;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; prometheus log: ${prom!.log().slice(-600)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe.skipIf(skip)('Prometheus alerting on a live engine', () => {
  it('scrapes the engine; failures under load make the breaker and error-rate alerts fire', async () => {
    const post = (body: unknown) => fetch(`${srv.url}/api/memory/candidates?wait=1`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (let b = 0; b < 5; b++) {
      const r = await post({ candidates: Array.from({ length: 40 }, (_, i) => ({ userId: `pl-${i % 5}`, text: `Grows tomatoes bed ${b}-${i}` })) });
      expect(r.status).toBe(200);
    }
    await until('the target to be up', async () => {
      const r = await api('/api/v1/query?query=up%7Bjob%3D%22memdedup%22%7D');
      return r.result[0]?.value[1] === '1' ? true : undefined;
    });
    const decided = await until('decisions in Prometheus', async () => {
      const r = await api('/api/v1/query?query=sum(memdedup_decisions_total)');
      return Number(r.result[0]?.value[1]) >= 200 ? Number(r.result[0].value[1]) : undefined;
    });
    expect(decided).toBe(200);
    // Nothing fires on a healthy engine.
    expect((await api('/api/v1/alerts')).alerts.filter((a: any) => a.state === 'firing')).toEqual([]);

    // The injected failure: the embedder fails, so four users' candidates fail attempt after attempt.
    const opened: string[] = [];
    engine.emitter.on('breaker', (e) => { if (e.state === 'open') opened.push(e.name); });
    const prepare = engine.deduper.prepare;
    engine.deduper.prepare = async () => { throw new Error('embedder down'); };
    const failing = await post({ candidates: Array.from({ length: 20 }, (_, i) => ({ userId: `pl-fail-${i % 4}`, text: `Owns boat ${i}` })) });
    expect(failing.status).toBe(200);
    // Once a user's breaker opens, the fallback decides the rest of that user's candidates.
    const actions = new Set((await failing.json() as any).results.map((r: any) => r.decision.action));
    expect([...actions].every((a) => a === 'dead-letter' || a === 'fallback'), [...actions].join()).toBe(true);
    engine.deduper.prepare = prepare;
    // The failures opened those users' breakers (two counted failures each); no stand-in event.
    expect(opened.length).toBeGreaterThan(0);

    const firing = async (name: string) => until(`${name} to fire`, async () => {
      const { alerts } = await api('/api/v1/alerts');
      return alerts.find((a: any) => a.labels.alertname === name && a.state === 'firing');
    });
    const breaker = await firing('MemdedupBreakerOpen');
    expect(breaker.labels).toMatchObject({ severity: 'warning', scope: 'user', job: 'memdedup' });
    expect(breaker.labels).not.toHaveProperty('name');
    expect(breaker.annotations.runbook_url).toBe('docs/operations.md#memdedupbreakeropen');
    const errors = await firing('MemdedupErrorRate');
    expect(errors.labels).toMatchObject({ severity: 'warning', job: 'memdedup' });
    expect(Number(errors.value)).toBeGreaterThan(0.01);
  });
});
