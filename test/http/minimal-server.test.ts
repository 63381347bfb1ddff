// The HTTP server on a real loopback port, over a real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { createApp, listen, type RunningServer } from '../../src/http/server.js';
import { testEngine } from '../helpers/engine.js';

let engine: Engine;
let srv: RunningServer;
beforeAll(async () => {
  ({ engine } = await testEngine());
  srv = await listen(createApp(engine), '127.0.0.1', 0);
});
afterAll(async () => { await srv.close(); await engine.close(); });

async function call(method: string, path: string, body?: unknown, raw?: string) {
  const r = await fetch(srv.url + path, {
    method, headers: body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {},
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await r.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, json, text };
}

describe('minimal HTTP API', () => {
  it('answers /healthz', async () => {
    expect((await call('GET', '/healthz')).status).toBe(200);
  });

  it('decides with ?wait=1, accepts with 202, lists memories and events, undoes', async () => {
    const a = await call('POST', '/api/memory/candidates?wait=1', { userId: 'h1', text: 'Has two cats' });
    expect(a.status).toBe(200);
    expect(a.json.results[0].decision.action).toBe('added');
    const b = await call('POST', '/api/memory/candidates?wait=1', { candidates: [{ userId: 'h1', text: 'has 2 cats.' }] });
    expect(b.json.results[0].decision.action).toBe('duplicate');
    const c = await call('POST', '/api/memory/candidates', { userId: 'h1', text: 'Runs marathons' });
    expect(c.status).toBe(202);
    expect(c.json.results[0]).toMatchObject({ status: 'accepted' });
    await engine.drain();
    const m = await call('GET', '/api/memory/users/h1/memories');
    expect(m.json.memories).toHaveLength(2);
    const e = await call('GET', '/api/memory/users/h1/events');
    expect(e.json.events).toHaveLength(3);
    const dup = e.json.events.find((x: { action: string }) => x.action === 'duplicate');
    const u = await call('POST', `/api/memory/events/${dup.id}/undo`);
    expect(u.status).toBe(200);
    expect((await call('GET', '/api/memory/users/h1/memories')).json.memories).toHaveLength(3);
  });

  it('answers 400 INVALID_INPUT with details for bad candidates and malformed JSON', async () => {
    const bad = await call('POST', '/api/memory/candidates', { userId: '', text: 5 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID_INPUT');
    expect(JSON.stringify(bad.json.error.details)).toContain('userId');
    const mal = await call('POST', '/api/memory/candidates', undefined, '{"userId": ');
    expect(mal.status).toBe(400);
    expect(mal.json.error.code).toBe('INVALID_INPUT');
  });

  it('accepts a request whole or not at all', async () => {
    const r = await call('POST', '/api/memory/candidates', { candidates: [{ userId: 'whole', text: 'fine' }, { userId: 'whole', text: '' }] });
    expect(r.status).toBe(400);
    await engine.drain();
    expect((await call('GET', '/api/memory/users/whole/events')).json.events).toHaveLength(0);
  });

  it('answers unknown routes and unknown events with 404 JSON', async () => {
    expect((await call('GET', '/api/memory/nope')).json.error.code).toBe('NOT_FOUND');
    expect((await call('POST', '/api/memory/events/nope/undo')).status).toBe(404);
  });
});
