// Retries as data: real errors from the real dependencies land in the right kind.
import Database from 'better-sqlite3';
import CircuitBreaker from 'opossum';
import { describe, expect, it } from 'vitest';
import { MemdedupError } from '../../src/errors.js';
import { backoffDelay, failureKind, isRetryable } from '../../src/resilience/retry.js';
import { tempDir } from '../helpers/engine.js';

describe('failure kinds', () => {
  it('classifies store, provider and candidate errors', async () => {
    const path = `${tempDir()}/k.db`;
    const a = new Database(path);
    const b = new Database(path);
    b.pragma('busy_timeout = 0');
    a.exec('CREATE TABLE t (x)');
    a.exec('BEGIN IMMEDIATE');
    let busy: unknown;
    try { b.exec('BEGIN IMMEDIATE'); } catch (e) { busy = e; }
    a.exec('COMMIT');
    a.close(); b.close();
    expect((busy as { code: string }).code).toBe('SQLITE_BUSY');
    expect(failureKind(busy)).toBe('transient');
    expect(failureKind(Object.assign(new Error('could not serialize access'), { code: '40001' }))).toBe('transient');
    expect(failureKind(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe('transient');
    expect(failureKind(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('transient');

    const breaker = new CircuitBreaker(async () => 1);
    breaker.open();
    const open = await breaker.fire().catch((e) => e);
    breaker.shutdown();
    expect(failureKind(open)).toBe('provider');
    expect(failureKind(Object.assign(new Error('rate limited'), { status: 429 }))).toBe('provider');
    expect(failureKind(Object.assign(new Error('bad gateway'), { status: 502 }))).toBe('provider');
    expect(failureKind(new MemdedupError('PROVIDER_ERROR', 'embedder down'))).toBe('provider');

    expect(failureKind(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe('candidate');
    expect(failureKind(Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT' }))).toBe('candidate');
    expect(isRetryable(Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT' }))).toBe(false);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffDelay(1, 100, 30_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 30_000, () => 1)).toBe(100);
    expect(backoffDelay(4, 100, 30_000, () => 1)).toBe(800);
    expect(backoffDelay(30, 100, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(30, 100, 30_000, () => 0)).toBe(50);
  });
});
