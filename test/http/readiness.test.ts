// /readyz and the status readiness follow the store, the flags and the alert state; a broken store
// gives 500 INTERNAL without a stack, and /healthz stays up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
const logged: Record<string, unknown>[] = [];
beforeAll(async () => { t = await startTestServer({ log: (l) => logged.push(l) }); });
afterAll(async () => { await t.srv.close(); await t.engine.close().catch(() => undefined); });

describe('readiness', () => {
  it('is ready with a reachable store and synchronized flags', async () => {
    const r = await t.call('GET', '/readyz');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ready: true, closed: false, firing: [] });
  });

  it('is not ready while a critical alert fires, and says which', async () => {
    // The alert state as the observability part exposes it (engine.alerts.states()).
    const states = [{ alertname: 'MemdedupQueueBacklog', severity: 'critical', state: 'firing' }, { alertname: 'MemdedupErrorRate', severity: 'warning', state: 'pending' }];
    Object.defineProperty(t.engine, 'alerts', { configurable: true, value: { states: () => states } });
    try {
      const r = await t.call('GET', '/readyz');
      expect(r.status).toBe(503);
      expect(r.json).toEqual({ ready: false, closed: false, firing: ['MemdedupQueueBacklog'], failing: ['no-critical-alert'],
        reasons: { 'no-critical-alert': 'MemdedupQueueBacklog' } });
      const s = await t.call('GET', '/api/memory/status');
      expect(s.json.readiness.checks.find((c: { name: string }) => c.name === 'no-critical-alert')).toMatchObject({ ok: false, detail: 'MemdedupQueueBacklog' });
      expect(s.json.alerts).toEqual(states);
      expect(s.json.firingAlerts).toBe(1);
      expect(s.json.readiness.ready).toBe(false);
      expect(s.json.readiness.score).toBeLessThan(100);
    } finally {
      delete (t.engine as unknown as { alerts?: unknown }).alerts;
    }
    expect((await t.call('GET', '/readyz')).status).toBe(200);
  });

  it('is not ready when the store is gone; routes answer 500 INTERNAL without a stack; /healthz stays up', async () => {
    await t.engine.store.close();
    const r = await t.call('GET', '/readyz');
    expect(r.status).toBe(503);
    expect(r.json.failing).toEqual(['store-reachable']);
    const m = await t.call('GET', '/api/memory/users/u/events');
    expect(m.status).toBe(500);
    expect(m.json).toEqual({ error: { code: 'INTERNAL', message: 'internal error', details: null } });
    expect(m.text).not.toMatch(/\.(js|ts):\d+/);
    expect(logged.some((l) => l.level === 'error' && l.msg === 'internal error')).toBe(true);
    expect((await t.call('GET', '/healthz')).status).toBe(200);
  });
});
