// Time-ordered ids (UUID version 7 layout): rows inserted together land on the same B-tree leaf pages,
// so a batch commit dirties a few index pages instead of one random page per row (random v4 ids made
// each SQLite commit write several hundred KB of WAL).
import { randomUUID } from 'node:crypto';

/** A UUIDv7: 48-bit Unix milliseconds, then randomness (randomUUID's cached entropy keeps it cheap). */
export function newId(now: number = Date.now()): string {
  const ts = now.toString(16).padStart(12, '0');
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
