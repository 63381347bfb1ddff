// The engine's side of erasure: erase() resolves only once the clock passed the erase time, and the periodic
// job deletes tombstones older than the ttl (and only those), on a real SQLite store.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Erasures } from '../../src/queue/erasures.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDir } from '../helpers/engine.js';

const open = () => new SqliteStore(join(tempDir('memdedup-erasures-'), 'e.db'));

describe('Erasures', () => {
  it('erases with a tombstone at the given time and returns only after it', async () => {
    const store = open();
    const errors: unknown[] = [];
    const e = new Erasures({ store, ttlMs: 60_000, onError: (_s, err) => errors.push(err) });
    const at = Date.now() + 20;
    await e.erase('someone', at);
    expect(Date.now()).toBeGreaterThan(at);
    expect(await store.erasedAt('someone')).toBe(at);
    expect(errors).toEqual([]);
    await store.close();
  });

  it('deletes expired tombstones only', async () => {
    const store = open();
    const e = new Erasures({ store, ttlMs: 1000, onError: () => undefined });
    await store.erase('old', 10_000);
    await store.erase('fresh', 10_500);
    expect(await e.reap(11_200)).toBe(1);
    expect(await store.erasedAt('old')).toBeUndefined();
    expect(await store.erasedAt('fresh')).toBe(10_500);
    expect(await e.reap(11_200)).toBe(0);
    await store.close();
  });

  it('reports a store error instead of throwing', async () => {
    const store = open();
    await store.close();
    const stages: string[] = [];
    const e = new Erasures({ store, ttlMs: 1000, onError: (stage) => stages.push(stage) });
    expect(await e.reap()).toBe(0);
    expect(stages).toEqual(['tombstone-expiry']);
  });
});
