// The seed's diagnostic endpoints: each one passes against a healthy engine, cleans up its scratch users,
// and the set is off (404) unless diagnostics are on.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSTICS } from '../../src/http/diagnostics/index.js';
import { startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => { t = await startTestServer({ diagnostics: true }); });
afterAll(async () => { await t.close(); });

describe('diagnostic endpoints', () => {
  it.each(DIAGNOSTICS.map((d) => [d.method.toUpperCase(), d.name] as const))('%s %s answers ok with timings and cleans up', async (method, name) => {
    const r = await t.call(method, `/api/memory/${name}`, method === 'POST' ? {} : undefined);
    expect(r.status).toBe(200);
    expect(r.json.ok, JSON.stringify(r.json.details)).toBe(true);
    expect(r.json.timings.totalMs).toBeGreaterThan(0);
    for (const v of Object.values(r.json.timings)) expect(Number.isFinite(v)).toBe(true);
    const prefix = r.json.details.scratch.prefix as string;
    expect(prefix).toMatch(/^__memdedup-diagnostic__:/);
    const db = new Database(t.dbPath, { readonly: true });
    try {
      for (const table of ['memories', 'events', 'journal', 'users']) {
        const n = (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE user_id LIKE ?`).get(`${prefix}%`) as { n: number }).n;
        expect(n, `${table} rows left by ${name}`).toBe(0);
      }
    } finally { db.close(); }
  });

  it('reports a failing engine honestly: background-processing-test with memory.enabled off is not ok', async () => {
    await t.call('PUT', '/api/memory/flags/memory.enabled', { enabled: false });
    try {
      const r = await t.call('POST', '/api/memory/background-processing-test', {});
      expect(r.status).toBe(200);
      expect(r.json.ok).toBe(false);
      expect(r.json.details.submitted_status).toEqual({ disabled: 20 });
    } finally {
      await t.call('PUT', '/api/memory/flags/memory.enabled', { enabled: true });
    }
  });

  it('measures the rollout share of a flag set to a percentage', async () => {
    await t.call('PUT', '/api/memory/flags/memory.realtime-dedup', { rollout: 40 });
    try {
      const r = await t.call('POST', '/api/memory/rollout-test', {});
      const f = r.json.details.engineFlags['memory.realtime-dedup'];
      expect(f.expected).toBe(0.4);
      expect(Math.abs(f.share - 0.4)).toBeLessThanOrEqual(0.05);
      expect(r.json.ok).toBe(true);
    } finally {
      await t.call('PUT', '/api/memory/flags/memory.realtime-dedup', { rollout: 100 });
    }
  });

  it('answers 404 for every diagnostic when diagnostics are off', async () => {
    const off = await startTestServer({ diagnostics: false });
    try {
      for (const d of DIAGNOSTICS) {
        const r = await off.call(d.method.toUpperCase(), `/api/memory/${d.name}`, d.method === 'post' ? {} : undefined);
        expect(r.status).toBe(404);
        expect(r.json.error.code).toBe('NOT_FOUND');
      }
      const doc = (await off.call('GET', '/api/memory/openapi.json')).json;
      expect(Object.keys(doc.paths).some((p) => p.endsWith('-test'))).toBe(false);
    } finally { await off.close(); }
  });
});
