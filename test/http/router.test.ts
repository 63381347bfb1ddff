// createRouter mounted in a host's own express app: the API relative to the mount point, the host's
// routes untouched, the catalogue's errors and limits, the token rules, and metricsHandler.
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { createRouter, metricsHandler } from '../../src/index.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { testEngine } from '../helpers/engine.js';

let engine: Engine;
let srv: RunningServer;
let locked: RunningServer;

beforeAll(async () => {
  ({ engine } = await testEngine({ file: false }));
  const host = express();
  host.get('/chat', (_q, r) => { r.json({ host: true }); });
  host.use('/memory', createRouter(engine));
  host.get('/metrics', metricsHandler(engine));
  host.use((_q, r) => { r.status(418).send('host 404'); });
  srv = await listen(host, '127.0.0.1', 0);
  const guarded = express();
  guarded.use('/a', createRouter(engine, { token: 's3cret' }));
  guarded.use('/b', createRouter(engine, { token: 's3cret', protectOps: true }));
  locked = await listen(guarded, '127.0.0.1', 0);
});
afterAll(async () => { await srv.close(); await locked.close(); await engine.close(); });

const call = async (base: string, method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
  const r = await fetch(base + path, { method, body, headers: body ? { 'content-type': 'application/json', ...headers } : headers });
  const text = await r.text();
  let json: any; try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, json, text, type: r.headers.get('content-type') ?? '' };
};

describe('createRouter in a host app', () => {
  it('serves the API relative to its mount point and leaves the host routes alone', async () => {
    const post = await call(srv.url, 'POST', '/memory/candidates?wait=1', JSON.stringify({ userId: 'h1', text: 'Plays chess' }));
    expect(post.status).toBe(200);
    expect(post.json.results[0].decision.action).toBe('added');
    const mems = await call(srv.url, 'GET', '/memory/users/h1/memories');
    expect(mems.json.memories.map((m: { text: string }) => m.text)).toEqual(['Plays chess']);
    expect((await call(srv.url, 'GET', '/memory/status')).status).toBe(200);
    expect((await call(srv.url, 'GET', '/memory/healthz')).json).toEqual({ ok: true });
    expect((await call(srv.url, 'GET', '/memory/readyz')).json.ready).toBe(true);
    expect((await call(srv.url, 'GET', '/chat')).json).toEqual({ host: true });
    // Not under the mount point: the host's own fallthrough, not the router's.
    expect((await call(srv.url, 'GET', '/elsewhere')).status).toBe(418);
  });

  it('answers errors from the catalogue, with the same limits', async () => {
    const missing = await call(srv.url, 'GET', '/memory/nope');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('NOT_FOUND');
    const bad = await call(srv.url, 'POST', '/memory/candidates', '{"userId":');
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID_INPUT');
    const big = await call(srv.url, 'POST', '/memory/candidates', JSON.stringify({ userId: 'h2', text: 'x'.repeat(1_100_000) }));
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    const notJson = await fetch(srv.url + '/memory/candidates', { method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(400);
  });

  it('metricsHandler answers the Prometheus text format with the engine series', async () => {
    const m = await call(srv.url, 'GET', '/metrics');
    expect(m.status).toBe(200);
    expect(m.type).toContain('text/plain');
    expect(m.text).toMatch(/^memdedup_journal_depth /m);
  });

  it('token guards the API; the probes only with protectOps', async () => {
    const auth = { authorization: 'Bearer s3cret' };
    expect((await call(locked.url, 'GET', '/a/status')).status).toBe(401);
    expect((await call(locked.url, 'GET', '/a/status', undefined, auth)).status).toBe(200);
    expect((await call(locked.url, 'GET', '/a/nope')).status).toBe(401);
    expect((await call(locked.url, 'GET', '/a/healthz')).status).toBe(200);
    expect((await call(locked.url, 'GET', '/b/healthz')).status).toBe(401);
    expect((await call(locked.url, 'GET', '/b/readyz', undefined, auth)).status).toBe(200);
  });
});
