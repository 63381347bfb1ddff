// The Store contract on PostgreSQL (one throwaway cluster for this file, each test in its own schema),
// plus what only a shared store has: concurrent migrations, wake-ups across connections.
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { PG_MIGRATIONS } from '../../src/store/postgresSchema.js';
import { hasPostgres, startPostgres, type RunningPostgres } from '../helpers/postgres.js';
import { cand, storeContract } from './contract.js';

const available = hasPostgres();
if (!available) console.warn('SKIP test/store/postgres.test.ts: PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql');

let server: RunningPostgres | undefined;
const schemaName = () => `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
const openPg = async (schema = schemaName(), extra: Partial<ConstructorParameters<typeof PostgresStore>[0]> = {}) => {
  const s = new PostgresStore({ kind: 'postgres', connectionString: server!.url, schema, pool: { max: 4 }, ...extra });
  await s.init();
  return s;
};

describe.skipIf(!available)('postgres store', () => {
  beforeAll(async () => { server = await startPostgres(); });
  afterAll(() => server?.stop());

  storeContract('postgres', () => openPg());

  it('migrates once when many processes start at the same time', async () => {
    const schema = schemaName();
    const stores = await Promise.all(Array.from({ length: 6 }, () => openPg(schema)));
    expect(await stores[0]!.schemaVersion()).toBe(PG_MIGRATIONS.length);
    const c = new pg.Client({ connectionString: server!.url });
    await c.connect();
    const r = await c.query(`SELECT version FROM "${schema}".migrations ORDER BY version`);
    expect(r.rows.map((x) => x.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
    await c.end();
    await Promise.all(stores.map((s) => s.close()));
  });

  it('keeps tombstones as the SHA-256 of the user id, never the id', async () => {
    const schema = schemaName();
    const s = await openPg(schema);
    await s.erase('alice@example.com', 1234);
    await s.close();
    const c = new pg.Client({ connectionString: server!.url });
    await c.connect();
    const r = await c.query(`SELECT user_hash, erased_at::int AS erased_at FROM "${schema}".tombstones`);
    await c.end();
    expect(r.rows).toEqual([{ user_hash: createHash('sha256').update('alice@example.com').digest('hex'), erased_at: 1234 }]);
  });

  it('keeps tenants apart by schema', async () => {
    const [a, b] = [await openPg(), await openPg()];
    await a.appendJournal([cand('u1')], { owner: 'x', until: 0 });
    expect(await a.journalDepth()).toBe(1);
    expect(await b.journalDepth()).toBe(0);
    await a.close(); await b.close();
  });

  it('wakes other processes when leases are released or dead letters re-driven', async () => {
    const schema = schemaName();
    const [leaving, peer] = [await openPg(schema), await openPg(schema)];
    let wakes = 0;
    const woke = () => new Promise<void>((resolve) => peer.onWork(() => { wakes++; resolve(); }));
    const first = woke();
    await leaving.appendJournal([cand('u1')], { owner: 'leaving', until: Date.now() + 60_000 });
    expect(await leaving.releaseLeases('leaving')).toBe(1);
    await first;
    expect((await peer.claimJournal('peer', 10, 60_000)).length).toBe(1);
    expect(wakes).toBe(1);
    await leaving.close(); await peer.close();
  });

  it('opens through openStore with the configured schema and pool, and rejects a bad schema name', async () => {
    const s = await openStore({ kind: 'postgres', connectionString: server!.url, schema: schemaName(), pool: { max: 2 }, leaseMs: 5000 });
    expect(s.kind).toBe('postgres');
    expect(s.timing).toEqual({ leaseMs: 5000, pollMs: 500 });
    await s.close();
    expect(() => new PostgresStore({ kind: 'postgres', connectionString: server!.url, schema: 'x"; DROP TABLE y; --' })).toThrow(/schema/);
  });

  it('reports an unreachable database as STORE_UNAVAILABLE', async () => {
    await expect(openStore({ kind: 'postgres', connectionString: 'postgres://postgres@127.0.0.1:1/postgres', pool: { connectionTimeoutMs: 2000 } }))
      .rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
