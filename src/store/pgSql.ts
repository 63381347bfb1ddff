// SQL text helpers and table names shared by the PostgreSQL store's files.

/** Schema-qualified table names of one store. */
export interface PgTables {
  meta: string; users: string; journal: string; memories: string; events: string; migrations: string; instances: string;
  tombstones: string; leases: string;
}

/** Rows per multi-row INSERT (PostgreSQL binds at most 65535 parameters). */
export const CHUNK = 1000;

/** `($1,$2,..),($k,..)` for `rows` rows of `cols` parameters each. */
export function values(rows: number, cols: number): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) out.push(`(${Array.from({ length: cols }, (_, c) => `$${r * cols + c + 1}`).join(',')})`);
  return out.join(',');
}

export function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

