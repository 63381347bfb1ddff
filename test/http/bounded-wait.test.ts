// POST /api/memory/candidates waits for durability at most durableTimeoutMs: with the PostgreSQL server down it
// answers 503 STORE_UNAVAILABLE with Retry-After, keeps the candidates buffered (bounded by the journal limit)
// and writes them once the server is back; a client retrying with the same ids gets exactly one event per id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres, startPostgres, type RunningPostgres } from '../helpers/postgres.js';
import { startTestServer, type TestServer } from './helpers.js';

const available = hasPostgres();
if (!available) console.warn('SKIP test/http/bounded-wait.test.ts: PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql');

const LIMIT = 200;
let pg: RunningPostgres | undefined;
let t: TestServer;

const batch = (prefix: string, n: number) => ({ candidates: Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, userId: 'bw', text: `Fact ${prefix} ${'abcdefghij'[i % 10]} ${i}` })) });

describe.skipIf(!available)('bounded wait for durability', () => {
  beforeAll(async () => {
    pg = await startPostgres();
    t = await startTestServer({ durableTimeoutMs: 300 }, {
      store: { kind: 'postgres', connectionString: pg.url, schema: 'bounded', pool: { connectionTimeoutMs: 1000 } }, journalLimit: LIMIT });
  });
  afterAll(async () => { pg?.resume(); await t?.close(); pg?.stop(); });

  it('answers 503 STORE_UNAVAILABLE while the store is down, buffers within the journal limit, writes once it is back', async () => {
    expect((await t.call('POST', '/api/memory/candidates', batch('up', 3))).status).toBe(202);
    pg!.pause();
    const down = await t.call('POST', '/api/memory/candidates', batch('r', 10));
    expect(down.status).toBe(503);
    expect(down.json.error.code).toBe('STORE_UNAVAILABLE');
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(t.engine.status().journal.buffered).toBeGreaterThanOrEqual(10);

    // A store down for good does not grow memory without bound: past the journal limit, submissions are refused.
    const room = LIMIT - t.engine.status().journal.inflight;
    const flood = await t.call('POST', '/api/memory/candidates', batch('flood', 300));
    expect(flood.status).toBe(503);
    expect(t.engine.status().journal.inflight).toBeLessThanOrEqual(LIMIT);
    const full = await t.call('POST', '/api/memory/candidates', batch('more', 5));
    expect(full.status).toBe(503);
    expect(full.json.error.code).toBe('OVERLOADED');

    pg!.resume();
    // The client retries the same ids as Retry-After says, until they are durable.
    let retry = await t.call('POST', '/api/memory/candidates', batch('r', 10));
    for (let i = 0; i < 100 && retry.status !== 202; i++) {
      await new Promise((r) => setTimeout(r, 100));
      retry = await t.call('POST', '/api/memory/candidates', batch('r', 10));
    }
    expect(retry.status).toBe(202);
    expect(await t.engine.drain(60_000)).toBe(true);
    // And once more after they were decided: a replay, no second event.
    expect((await t.call('POST', '/api/memory/candidates', batch('r', 10))).status).toBe(202);
    expect(await t.engine.drain(60_000)).toBe(true);

    const events = await t.engine.events('bw');
    const perId = new Map<string, number>();
    for (const e of events) perId.set(e.candidateId!, (perId.get(e.candidateId!) ?? 0) + 1);
    for (let i = 0; i < 10; i++) expect(perId.get(`r-${i}`), `r-${i}`).toBe(1);
    expect([...perId.values()].every((n) => n === 1)).toBe(true);
    // What was accepted into the buffer during the outage was written too, nothing more.
    const flooded = [...perId.keys()].filter((id) => id.startsWith('flood-')).length;
    expect(flooded).toBe(room);
    expect([...perId.keys()].some((id) => id.startsWith('more-'))).toBe(false);
  }, 120_000);
});
