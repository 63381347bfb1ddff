import { MemdedupError } from '../errors.js';
import type { StoreOptions } from '../options.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './types.js';

/** Opens the configured store and brings its schema up to date. */
export async function openStore(o: StoreOptions): Promise<Store> {
  if (o.kind === 'sqlite') {
    const s = new SqliteStore(o.path);
    await s.init();
    return s;
  }
  if (o.kind === 'postgres') {
    const { PostgresStore } = await import('./postgres.js');
    const s: Store = new PostgresStore(o);
    await s.init();
    return s;
  }
  throw new MemdedupError('INVALID_INPUT', `options.store.kind must be 'sqlite' or 'postgres'`);
}
