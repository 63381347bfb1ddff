// Each hardening rule, one explicit case each (the fuzz test throws thousands more at the same rules).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => { t = await startTestServer(); });
afterAll(async () => { await t.close(); });

const fields = (r: { json: { error: { details: { field: string }[] } } }) => r.json.error.details.map((d) => d.field);

describe('input hardening', () => {
  it('names every bad field of every candidate', async () => {
    const r = await t.call('POST', '/api/memory/candidates', { candidates: [
      { userId: 'ok', text: 'fine' }, { userId: 'x'.repeat(129), text: '' }, { userId: 'a\u0007', text: 'y', priority: 'urgent' }] });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('INVALID_INPUT');
    expect(fields(r)).toEqual(['candidates[1].userId', 'candidates[1].text', 'candidates[2].userId', 'candidates[2].priority']);
  });

  it('limits: 500 candidates, 2000 characters, 1 MB', async () => {
    const many = await t.call('POST', '/api/memory/candidates', { candidates: Array.from({ length: 501 }, (_, i) => ({ userId: 'l', text: `t${i}` })) });
    expect(many.status).toBe(400);
    expect(fields(many)).toEqual(['candidates']);
    const ok500 = await t.call('POST', '/api/memory/candidates', { candidates: Array.from({ length: 500 }, (_, i) => ({ userId: 'l', text: `Fact ${i}` })) });
    expect(ok500.status).toBe(202);
    expect((await t.call('POST', '/api/memory/candidates', { userId: 'l', text: 'y'.repeat(2000) })).status).toBe(202);
    expect((await t.call('POST', '/api/memory/candidates', { userId: 'l', text: 'y'.repeat(2001) })).status).toBe(400);
    const big = await t.call('POST', '/api/memory/candidates', { userId: 'l', text: 'z'.repeat(1_100_000) });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses malformed JSON, deep nesting and non-objects with 400', async () => {
    for (const raw of ['{"userId": "x", "text": ', '[' .repeat(100_000) + ']'.repeat(100_000), '{' + '"a":{'.repeat(50_000) + '}'.repeat(50_001), 'null', '7', '"s"', '']) {
      const r = await t.call('POST', '/api/memory/candidates', raw, { 'content-type': 'application/json' });
      expect(r.status, raw.slice(0, 20)).toBe(400);
      expect(r.json.error.code).toBe('INVALID_INPUT');
    }
  });

  it('wants JSON bodies: other content types and charsets are 400, +json types are fine', async () => {
    const body = JSON.stringify({ userId: 'ct', text: 'Fine text' });
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1']) {
      const r = await t.call('POST', '/api/memory/candidates', body, { 'content-type': ct });
      expect(r.status, ct).toBe(400);
    }
    expect((await t.call('POST', '/api/memory/candidates', body, { 'content-type': 'application/vnd.memdedup+json' })).status).toBe(202);
    expect((await t.call('POST', '/api/memory/candidates', body, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(202);
  });

  it('answers bad percent-encoding, traversal and absurd query values with 4xx, never 5xx', async () => {
    const bad = await t.call('POST', '/api/memory/events/%E0%A4%A/undo');
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['path']);
    expect((await t.call('GET', '/api/memory/users/%2e%2e%2f%2e%2e/memories')).status).toBe(200); // an opaque id like any other
    expect((await t.call('GET', '/api/memory/users/../../etc/passwd')).status).toBe(404);
    for (const q of ['limit=-1', 'limit=1e9', 'limit=0', 'limit=1001', 'limit=abc', 'limit=1&limit=2', 'status=deleted', 'cursor=%00%ff', 'cursor=zz']) {
      const r = await t.call('GET', `/api/memory/users/a/memories?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json.error.details.length, q).toBeGreaterThan(0);
    }
    expect((await t.call('GET', '/api/memory/users/a/recall?limit=101')).status).toBe(400);
  });

  it('answers unknown routes and methods with 404 JSON', async () => {
    for (const [m, p] of [['GET', '/api/memory/nope'], ['PATCH', '/api/memory/candidates'], ['GET', '/nope'], ['DELETE', '/api/memory/flags']]) {
      const r = await t.call(m!, p!);
      expect(r.status, `${m} ${p}`).toBe(404);
      expect(r.json.error.code).toBe('NOT_FOUND');
    }
  });
});
