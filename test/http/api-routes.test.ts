// Every /api/memory route answers the exact shape the README and the acceptance checks promise.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => { t = await startTestServer(); });
afterAll(async () => { await t.close(); });

describe('the /api/memory routes', () => {
  it('paginates memories with status, limit and cursor', async () => {
    const r = await t.call('POST', '/api/memory/candidates?wait=1', { candidates: [
      { userId: 'p1', text: 'Speaks Portuguese and Italian' }, { userId: 'p1', text: 'Is training for a triathlon' },
      { userId: 'p1', text: 'Grows tomatoes on the balcony' }] });
    expect(r.status).toBe(200);
    const first = await t.call('GET', '/api/memory/users/p1/memories?limit=2');
    expect(first.json.memories).toHaveLength(2);
    expect(typeof first.json.cursor).toBe('string');
    const second = await t.call('GET', `/api/memory/users/p1/memories?limit=2&cursor=${encodeURIComponent(first.json.cursor)}`);
    expect(second.json.memories).toHaveLength(1);
    expect(second.json.cursor).toBeUndefined();
    expect(new Set([...first.json.memories, ...second.json.memories].map((m: { id: string }) => m.id)).size).toBe(3);
    const ev = await t.call('GET', '/api/memory/users/p1/events?limit=2');
    expect(ev.json.events).toHaveLength(2);
    expect(ev.json.cursor).toBeTruthy();
  });

  it('forgets a memory as an event, and status=forgotten lists it', async () => {
    const [m] = (await t.call('GET', '/api/memory/users/p1/memories')).json.memories;
    const del = await t.call('DELETE', `/api/memory/users/p1/memories/${m.id}`);
    expect(del.status).toBe(200);
    expect(del.json.event).toMatchObject({ action: 'forget', memoryId: m.id });
    expect((await t.call('GET', '/api/memory/users/p1/memories')).json.memories).toHaveLength(2);
    const forgotten = await t.call('GET', '/api/memory/users/p1/memories?status=forgotten');
    expect(forgotten.json.memories.map((x: { id: string }) => x.id)).toEqual([m.id]);
    const undo = await t.call('POST', `/api/memory/events/${del.json.event.id}/undo`);
    expect(undo.json.event).toMatchObject({ action: 'undo', undoes: del.json.event.id });
    expect((await t.call('GET', '/api/memory/users/p1/memories')).json.memories).toHaveLength(3);
    expect((await t.call('DELETE', '/api/memory/users/p1/memories/no-such-memory')).status).toBe(404);
  });

  it('recalls by query and honours memory.enhanced-prompts', async () => {
    const r = await t.call('GET', '/api/memory/users/p1/recall?query=triathlon&limit=1');
    expect(r.status).toBe(200);
    expect(r.json.memories).toHaveLength(1);
    expect(r.json.memories[0].text).toContain('triathlon');
    await t.call('PUT', '/api/memory/flags/memory.enhanced-prompts', { enabled: false });
    expect((await t.call('GET', '/api/memory/users/p1/recall?query=triathlon')).json.memories).toEqual([]);
    await t.call('PUT', '/api/memory/flags/memory.enhanced-prompts', { enabled: true });
    expect((await t.call('GET', '/api/memory/users/p1/recall?query=triathlon')).json.memories.length).toBeGreaterThan(0);
  });

  it('lists flags and changes them in embedded mode', async () => {
    const g = await t.call('GET', '/api/memory/flags');
    expect(g.json).toMatchObject({ mode: 'embedded', synchronized: true });
    expect(g.json.flags.map((f: { name: string }) => f.name)).toContain('memory.batch-processing');
    const p = await t.call('PUT', '/api/memory/flags/memory.batch-processing', { rollout: 30 });
    expect(p.status).toBe(200);
    expect(p.json.flag).toMatchObject({ name: 'memory.batch-processing', enabled: true, rollout: 30 });
    const again = (await t.call('GET', '/api/memory/flags')).json.flags.find((f: { name: string }) => f.name === 'memory.batch-processing');
    expect(again.rollout).toBe(30);
    await t.call('PUT', '/api/memory/flags/memory.batch-processing', { rollout: 100 });
    const bad = await t.call('PUT', '/api/memory/flags/memory.batch-processing', { rollout: 101, enabled: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['enabled', 'rollout']);
    expect((await t.call('PUT', '/api/memory/flags/not.a.flag', { enabled: true })).status).toBe(404);
  });

  it('lists and redrives dead letters', async () => {
    expect((await t.call('GET', '/api/memory/dead-letters')).json).toEqual({ deadLetters: [] });
    expect((await t.call('POST', '/api/memory/dead-letters/redrive', {})).json).toEqual({ redriven: 0 });
    expect((await t.call('POST', '/api/memory/dead-letters/redrive', { ids: 'x' })).status).toBe(400);
    // A row that failed its last attempt, as the batch runner leaves it.
    const db = new Database(t.dbPath);
    db.prepare(`INSERT INTO journal (id, user_id, text, priority, accepted_at, attempts, last_error, dead) VALUES (?,?,?,?,?,?,?,1)`)
      .run('dl-1', 'dl-user', 'Collects antique maps', 'normal', Date.now(), 5, 'store unavailable');
    db.close();
    const dl = await t.call('GET', '/api/memory/dead-letters');
    expect(dl.json.deadLetters).toMatchObject([{ id: 'dl-1', userId: 'dl-user', attempts: 5, lastError: 'store unavailable' }]);
    expect((await t.call('POST', '/api/memory/dead-letters/redrive', { ids: ['dl-1'] })).json).toEqual({ redriven: 1 });
    await t.engine.drain(10_000);
    expect((await t.call('GET', '/api/memory/dead-letters')).json.deadLetters).toEqual([]);
    const ev = await t.call('GET', '/api/memory/users/dl-user/events');
    expect(ev.json.events).toMatchObject([{ candidateId: 'dl-1', action: 'added' }]);
  });

  it('reports status with every section a dashboard needs', async () => {
    const s = await t.call('GET', '/api/memory/status');
    for (const k of ['queue', 'journal', 'lanes', 'breakers', 'cache', 'flags', 'alerts', 'readiness']) expect(s.json).toHaveProperty(k);
    expect(s.json.cache.hitRate).toBeGreaterThanOrEqual(0);
    expect(s.json.readiness).toMatchObject({ ready: true, score: 100 });
  });

  it('answers 503 OVERLOADED with Retry-After when the journal is full', async () => {
    const small = await startTestServer({}, { journalLimit: 1 });
    try {
      // Fill the journal: the first request is accepted and stays undecided only briefly, so hold many at once.
      const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => small.call('POST', '/api/memory/candidates', { userId: `o${i}`, text: `fact ${i}` })));
      const over = replies.filter((r) => r.status === 503);
      expect(over.length).toBeGreaterThan(0);
      expect(over[0]!.json.error.code).toBe('OVERLOADED');
      expect(over[0]!.headers.get('retry-after')).toBe('1');
      expect(replies.every((r) => r.status === 202 || r.status === 503)).toBe(true);
    } finally { await small.close(); }
  });
});
