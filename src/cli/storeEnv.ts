// DATABASE_URL (and friends) -> the postgres store options, for `serve` and `migrate-store`.
import { invalidInput } from '../errors.js';
import type { StoreOptions } from '../options.js';

function envInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw invalidInput(name, 'must be a positive integer');
  return n;
}

/** MEMDEDUP_PG_SCHEMA, MEMDEDUP_PG_POOL_MAX and MEMDEDUP_PG_LEASE_MS tune the store; the URL says where it is. */
export function postgresStoreFromEnv(url: string, env: NodeJS.ProcessEnv): Extract<StoreOptions, { kind: 'postgres' }> {
  const o: Extract<StoreOptions, { kind: 'postgres' }> = { kind: 'postgres', connectionString: url };
  if (env.MEMDEDUP_PG_SCHEMA) o.schema = env.MEMDEDUP_PG_SCHEMA;
  const max = envInt(env, 'MEMDEDUP_PG_POOL_MAX');
  if (max !== undefined) o.pool = { max };
  const lease = envInt(env, 'MEMDEDUP_PG_LEASE_MS');
  if (lease !== undefined) o.leaseMs = lease;
  return o;
}
