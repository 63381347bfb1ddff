import { MemdedupError } from '../errors.js';
import type { StoreOptions } from '../options.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './types.js';

/**
 * Opens the configured store and brings its schema up to date. `shared`: another connection of an engine that
 * already opened this store (a worker thread's); see SqliteStore.
 */
export async function openStore(o: StoreOptions, opts: { shared?: boolean } = {}): Promise<Store> {
  if (o.kind === 'sqlite') {
    const s = new SqliteStore(o.path, opts);
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
