// Store faults are the store's: real errors from real SQLite files (read-only, not a database, cannot open) and
// PostgreSQL's documented codes land in 'store-fault' with the right kind, while bad data stays 'candidate'.
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { failureKind, storeFault, storeFaultRules } from '../../src/resilience/retry.js';
import { tempDir } from '../helpers/engine.js';

function thrown(fn: () => unknown): unknown {
  try { fn(); } catch (e) { return e; }
  throw new Error('expected a throw');
}

describe('store fault kinds', () => {
  it('classifies real SQLite failures of the database file as store faults', () => {
    const dir = tempDir();
    const path = `${dir}/ro.db`;
    const rw = new Database(path);
    rw.exec('CREATE TABLE t (x)');
    rw.close();
    const ro = new Database(path, { readonly: true });
    const readOnly = thrown(() => ro.exec('INSERT INTO t VALUES (1)'));
    ro.close();
    expect((readOnly as { code: string }).code).toMatch(/^SQLITE_READONLY/);
    expect(failureKind(readOnly)).toBe('store-fault');
    expect(storeFault(readOnly)).toMatchObject({ kind: 'read-only', stopAfterMs: 60_000 });

    writeFileSync(`${dir}/garbage.db`, Buffer.alloc(8192, 0x5a));
    const notADb = thrown(() => new Database(`${dir}/garbage.db`).exec('SELECT * FROM sqlite_master'));
    expect((notADb as { code: string }).code).toBe('SQLITE_NOTADB');
    expect(storeFault(notADb)).toMatchObject({ kind: 'corrupt', stopAfterMs: 0 });

    // A directory where the database file should be.
    const cantOpen = thrown(() => new Database(dir).exec('CREATE TABLE t (x)'));
    expect((cantOpen as { code: string }).code).toBe('SQLITE_CANTOPEN');
    expect(storeFault(cantOpen)?.kind).toBe('cant-open');
  });

  it('covers extended SQLite codes, PostgreSQL classes and pool failures through the table', () => {
    const e = (code: string) => Object.assign(new Error(code), { code });
    expect(storeFault(e('SQLITE_FULL'))?.kind).toBe('disk-full');
    expect(storeFault(e('SQLITE_IOERR_WRITE'))).toMatchObject({ kind: 'io', code: 'SQLITE_IOERR_WRITE' });
    expect(storeFault(e('SQLITE_READONLY_DBMOVED'))?.kind).toBe('read-only');
    expect(storeFault(e('SQLITE_CORRUPT_INDEX'))?.kind).toBe('corrupt');
    expect(storeFault(e('SQLITE_CANTOPEN_ISDIR'))?.kind).toBe('cant-open');
    expect(storeFault(e('ENOSPC'))?.kind).toBe('disk-full');
    expect(storeFault(e('EIO'))?.kind).toBe('io');
    expect(storeFault(e('EROFS'))?.kind).toBe('read-only');
    expect(storeFault(e('53100'))?.kind).toBe('disk-full');
    expect(storeFault(e('53200'))?.kind).toBe('out-of-memory');
    for (const c of ['57P01', '57P02', '57P03']) expect(storeFault(e(c))?.kind).toBe('shutdown');
    for (const c of ['08000', '08003', '08006', '08P01']) expect(storeFault(e(c))?.kind).toBe('connection');
    expect(storeFault(e('STORE_POOL'))?.kind).toBe('pool');
    for (const c of ['SQLITE_FULL', '57P01', '08006', 'STORE_POOL']) expect(failureKind(e(c))).toBe('store-fault');
    // Still the candidate's (or contention): never a store fault.
    expect(storeFault(e('SQLITE_CONSTRAINT_UNIQUE'))).toBeUndefined();
    expect(storeFault(e('23505'))).toBeUndefined();
    expect(storeFault(e('SQLITE_BUSY'))).toBeUndefined();
    expect(failureKind(e('SQLITE_BUSY'))).toBe('transient');
    expect(failureKind(e('22P02'))).toBe('candidate');
    expect(storeFault(new Error('no code'))).toBeUndefined();
  });

  it('lets the operator set how long a read-only store is waited for', () => {
    const rules = storeFaultRules(500);
    const ro = Object.assign(new Error('ro'), { code: 'EROFS' });
    expect(storeFault(ro, rules)?.stopAfterMs).toBe(500);
    expect(storeFault(Object.assign(new Error('c'), { code: 'SQLITE_CORRUPT' }), rules)?.stopAfterMs).toBe(0);
  });
});
