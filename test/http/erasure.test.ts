// Right to erasure: no row of the user remains in the SQLite file, later candidates start from nothing,
// and candidates in flight at the erase (buffered, queued, in a batch) never write rows back.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
const logged: Record<string, unknown>[] = [];
beforeAll(async () => { t = await startTestServer({ log: (l) => logged.push(l) }); });
afterAll(async () => { await t.close(); });

function rowsOf(dbPath: string, userId: string): Record<string, number> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const out: Record<string, number> = {};
    for (const table of ['memories', 'events', 'journal', 'users']) {
      out[table] = (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE user_id = ?`).get(userId) as { n: number }).n;
    }
    // Texts could also hide in another user's rows only if the user's text leaked; check the whole file.
    return out;
  } finally { db.close(); }
}

const SECRET = 'Has a secret hobby: competitive yodelling';

describe('DELETE /api/memory/users/:userId', () => {
  it('removes every row of the user and logs only a count', async () => {
    await t.call('POST', '/api/memory/candidates?wait=1', { candidates: [
      { userId: 'erase-me', text: SECRET }, { userId: 'erase-me', text: 'Lives in Lisbon' }, { userId: 'keep-me', text: 'Lives in Oslo' }] });
    const [m] = (await t.call('GET', '/api/memory/users/erase-me/memories')).json.memories;
    await t.call('DELETE', `/api/memory/users/erase-me/memories/${m.id}`);
    // A dead letter of the user too.
    const db = new Database(t.dbPath);
    db.prepare(`INSERT INTO journal (id, user_id, text, priority, accepted_at, attempts, last_error, dead) VALUES (?,?,?,?,?,?,?,1)`)
      .run('erase-dl', 'erase-me', SECRET, 'normal', Date.now(), 5, 'boom');
    db.close();
    expect(Object.values(rowsOf(t.dbPath, 'erase-me')).reduce((a, b) => a + b)).toBeGreaterThan(0);

    const liveBefore = t.engine.status().breakers.user.live;
    const r = await t.call('DELETE', '/api/memory/users/erase-me');
    // Cached state too: the user's breaker (named after the user) is dropped.
    expect(t.engine.status().breakers.user.live).toBe(liveBefore - 1);
    expect(r.status).toBe(200);
    expect(r.json.removed).toBeGreaterThanOrEqual(6);
    expect(rowsOf(t.dbPath, 'erase-me')).toEqual({ memories: 0, events: 0, journal: 0, users: 0 });
    const raw = new Database(t.dbPath, { readonly: true });
    const hits = raw.prepare(`SELECT (SELECT count(*) FROM memories WHERE text LIKE '%yodelling%') + (SELECT count(*) FROM events WHERE candidate_text LIKE '%yodelling%' OR compared_text LIKE '%yodelling%') + (SELECT count(*) FROM journal WHERE text LIKE '%yodelling%') AS n`).get() as { n: number };
    raw.close();
    expect(hits.n).toBe(0);
    expect(rowsOf(t.dbPath, 'keep-me').memories).toBe(1);
    expect((await t.call('GET', '/api/memory/dead-letters')).json.deadLetters).toEqual([]);
    expect((await t.call('GET', '/api/memory/users/erase-me/recall')).json.memories).toEqual([]);
    const line = logged.find((l) => l.msg === 'user erased');
    expect(line).toEqual({ msg: 'user erased', removed: r.json.removed });
    expect(JSON.stringify(logged)).not.toContain('yodelling');
    expect(JSON.stringify(logged)).not.toContain('erase-me');
  });

  it('lets later candidates start from nothing', async () => {
    const again = await t.call('POST', '/api/memory/candidates?wait=1', { userId: 'erase-me', text: SECRET });
    expect(again.json.results[0].decision.action).toBe('added');
    expect((await t.call('GET', '/api/memory/users/erase-me/memories?status=all')).json.memories).toHaveLength(1);
    expect((await t.call('GET', '/api/memory/users/erase-me/events')).json.events).toHaveLength(1);
  });

  it('never lets candidates in flight at the erase write rows back', async () => {
    for (let round = 0; round < 5; round++) {
      const userId = `inflight-${round}`;
      // Some decided, some buffered (submitted in the same tick as the erase), some queued behind a batch.
      await t.engine.submit({ userId, text: 'Plays the cello' }).decided;
      const subs = Array.from({ length: 300 }, (_, i) => t.engine.submit({ userId, text: `Owns gadget model ${i} of series ${round}` }));
      // Even rounds erase while the candidates are still buffered; odd rounds once they are queued in the lane.
      if (round % 2 === 1) await Promise.all(subs.map((s) => s.accepted));
      await t.engine.erase(userId);
      const decisions = await Promise.all(subs.map((s) => s.decided));
      await t.engine.drain(10_000);
      expect(rowsOf(t.dbPath, userId)).toEqual({ memories: 0, events: 0, journal: 0, users: 0 });
      // What was not decided before the erase is reported as erased, never silently lost.
      const erased = decisions.filter((d) => d.action === 'disabled');
      expect(erased.length).toBeGreaterThan(0);
      for (const d of erased) expect(d.reasons).toEqual(['user-erased']);
    }
  });

  it('never fences a candidate submitted right after the erase resolved', async () => {
    for (let i = 0; i < 50; i++) {
      const userId = `quick-${i}`;
      await t.engine.erase(userId);
      const d = await t.engine.submit({ userId, text: 'Submitted right after the erase' }).decided;
      expect(d.action).toBe('added');
    }
  });

  it('validates the user id', async () => {
    expect((await t.call('DELETE', `/api/memory/users/${'u'.repeat(129)}`)).status).toBe(400);
    expect((await t.call('DELETE', '/api/memory/users/%00')).status).toBe(400);
  });
});
