// Where the embedded flags come from when the host configured no flags file.
//
// The package ships config/flags.json (the five seed flags on). It is read, never written: the package
// folder may be read-only, and an upgrade replaces it. A toggle through `set` writes flags.json next to
// the SQLite database instead, and later starts read that file when it exists. With no database file
// to sit next to (PostgreSQL, ':memory:'), toggles last for the life of the process.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoreOptions } from '../options.js';

/** The package's own flags file (dist/flags/ or src/flags/ -> ../../config/flags.json). */
export const SHIPPED_FLAGS_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'config', 'flags.json');

export interface DefaultFlagsFiles {
  /** The file read at start. */
  read: string;
  /** Where `set` writes; undefined: in memory only. */
  write: string | undefined;
}

/** The flags file kept beside the store's database file, or undefined when the store has none. */
export function flagsFileBesideStore(store: StoreOptions): string | undefined {
  if (store.kind !== 'sqlite' || store.path === ':memory:' || store.path.startsWith('file:')) return undefined;
  return join(dirname(resolve(store.path)), 'flags.json');
}

export function defaultFlagsFiles(store: StoreOptions): DefaultFlagsFiles {
  const beside = flagsFileBesideStore(store);
  return { read: beside && existsSync(beside) ? beside : SHIPPED_FLAGS_FILE, write: beside };
}
