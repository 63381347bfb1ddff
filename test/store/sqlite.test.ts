// The Store contract on SQLite: a fresh file per test.
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDir } from '../helpers/engine.js';
import { storeContract } from './contract.js';

storeContract('sqlite', async () => {
  const s = new SqliteStore(join(tempDir('memdedup-store-'), 'store.db'));
  await s.init();
  return s;
});
