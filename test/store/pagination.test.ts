// Pages of a user's rows under concurrent writers (real PostgreSQL, four stores with their own pools committing
// for one user while a reader follows the pages). The sequences are given a per-session CACHE, as an operator
// tuning insert throughput would: sequence values then commit out of order, and a reader paging by them skips
// rows that land behind its cursor. Pages follow the per-user position taken under the commit lock instead,
// monotonic at commit, so the reader sees every row exactly once.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres.js';
import type { Page } from '../../src/store/types.js';
import type { MemdedupEvent, Memory } from '../../src/types.js';
import { hasPostgres, startPostgres, type RunningPostgres } from '../helpers/postgres.js';
import { ev, mem } from './contract.js';

const available = hasPostgres();
if (!available) console.warn('SKIP test/store/pagination.test.ts: PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql');

let server: RunningPostgres | undefined;

/** Follows a user's pages from the start until `done()` and nothing new comes: every id, in page order. */
async function follow<T extends { id: string }>(page: (cursor?: string) => Promise<Page<T>>, done: () => boolean): Promise<string[]> {
  const seen: string[] = [];
  const have = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const finished = done();
    const p = await page(cursor);
    for (const x of p.items) if (!have.has(x.id)) { have.add(x.id); seen.push(x.id); }
    // Without a cursor this was the last page: read it again from the same place next time (new rows land after it).
    if (p.cursor) cursor = p.cursor;
    else if (finished) return seen;
    else await new Promise((r) => setTimeout(r, 2));
  }
}

describe.skipIf(!available)('pagination under concurrent writers', () => {
  beforeAll(async () => { server = await startPostgres(); });
  afterAll(() => server?.stop());

  it('a reader following the pages sees every committed row exactly once, in commit order', async () => {
    const schema = `pp_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const open = async () => { const s = new PostgresStore({ kind: 'postgres', connectionString: server!.url, schema, pool: { max: 2 } }); await s.init(); return s; };
    const reader = await open();
    const admin = new pg.Client({ connectionString: server!.url });
    await admin.connect();
    for (const t of ['memories', 'events']) await admin.query(`ALTER SEQUENCE "${schema}".${t}_seq_seq CACHE 50`);
    await admin.end();
    const writers = await Promise.all([0, 1, 2, 3].map(open));

    const user = 'paged';
    const committed: { memories: string[]; events: string[] } = { memories: [], events: [] };
    let running = writers.length;
    const write = async (s: PostgresStore) => {
      for (let i = 0; i < 30; i++) {
        for (;;) {
          const m: Memory = mem(user);
          const es: MemdedupEvent[] = [ev(user, randomUUID(), m.id), ev(user, randomUUID(), m.id)];
          if (await s.commit({ userId: user, expectedVersion: await s.userVersion(user), memories: [m], events: es, journalIds: [] })) {
            committed.memories.push(m.id);
            committed.events.push(...es.map((e) => e.id));
            break;
          }
        }
      }
      running--;
    };
    const [events, memories] = await Promise.all([
      follow((cursor) => reader.events(user, { cursor, limit: 7 }), () => running === 0),
      follow((cursor) => reader.memories(user, { cursor, limit: 5 }), () => running === 0),
      ...writers.map(write),
    ]);
    // Commits are serialised per user, so the order they were pushed in is the commit order.
    expect(events).toEqual(committed.events);
    expect(memories).toEqual(committed.memories);
    await Promise.all([reader, ...writers].map((s) => s.close()));
  }, 120_000);
});
