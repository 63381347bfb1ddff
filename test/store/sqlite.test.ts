// The Store contract on SQLite: a fresh file per test.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDir } from '../helpers/engine.js';
import { storeContract } from './contract.js';

storeContract('sqlite', async () => {
  const s = new SqliteStore(join(tempDir('memdedup-store-'), 'store.db'));
  await s.init();
  return s;
});

describe('sqlite tombstones', () => {
  it('hold the SHA-256 of the user id, never the id', async () => {
    const path = join(tempDir('memdedup-store-'), 'store.db');
    const s = new SqliteStore(path);
    await s.erase('alice@example.com', 1234);
    await s.close();
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT * FROM tombstones').all();
    db.close();
    expect(rows).toEqual([{ user_hash: createHash('sha256').update('alice@example.com').digest('hex'), erased_at: 1234 }]);
  });
});
