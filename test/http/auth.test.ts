// Bearer-token auth on /api/, open operational routes, and protectOps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

const TOKEN = 's3cret-token';
let t: TestServer;
beforeAll(async () => { t = await startTestServer({ token: TOKEN, diagnostics: true }); });
afterAll(async () => { await t.close(); });

describe('bearer auth', () => {
  it('refuses /api/ routes without the right token, with 401 UNAUTHORIZED', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, { authorization: 'Bearer' }]) {
      const r = await t.call('GET', '/api/memory/flags', undefined, headers);
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('UNAUTHORIZED');
      expect(r.headers.get('www-authenticate')).toContain('Bearer');
    }
    // Unknown /api/ paths too: auth comes before routing, so nothing about the API leaks.
    expect((await t.call('GET', '/api/memory/nope')).status).toBe(401);
    expect((await t.call('POST', '/api/memory/rollout-test', {})).status).toBe(401);
  });

  it('does not read an unauthenticated body', async () => {
    const r = await t.call('POST', '/api/memory/candidates', { userId: 'x', text: 'y' });
    expect(r.status).toBe(401);
    await t.engine.drain(5000);
    expect(await t.engine.events('x')).toHaveLength(0);
  });

  it('accepts the right token', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await t.call('GET', '/api/memory/flags', undefined, auth)).status).toBe(200);
    expect((await t.call('GET', '/api/memory/flags', undefined, { authorization: `bearer   ${TOKEN}` })).status).toBe(200);
    expect((await t.call('POST', '/api/memory/candidates', { userId: 'x', text: 'y' }, auth)).status).toBe(202);
  });

  it('leaves /metrics, /healthz and /readyz open', async () => {
    for (const p of ['/metrics', '/healthz', '/readyz']) expect((await t.call('GET', p)).status).toBe(200);
  });

  it('protects /metrics, /healthz and /readyz too when protectOps is set', async () => {
    const p = await startTestServer({ token: TOKEN, protectOps: true });
    try {
      for (const path of ['/metrics', '/healthz', '/readyz']) {
        expect((await p.call('GET', path)).status).toBe(401);
        expect((await p.call('GET', path, undefined, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
      }
    } finally { await p.close(); }
  });
});
