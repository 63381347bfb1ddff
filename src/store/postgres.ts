// Placeholder until the PostgreSQL store lands (issue: scale-out). Fails loudly, never silently.
import { MemdedupError } from '../errors.js';
import type { StoreOptions } from '../options.js';

export class PostgresStore {
  constructor(_o: Extract<StoreOptions, { kind: 'postgres' }>) {
    throw new MemdedupError('INVALID_INPUT', 'the postgres store is not available in this build');
  }
  async init(): Promise<void> {}
}
