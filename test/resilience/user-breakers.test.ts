// The per-user breaker registry: consecutive-failure opening, half-open trial, LRU eviction of closed idle breakers.
import { describe, expect, it } from 'vitest';
import { UserBreakerOpenError, UserBreakers } from '../../src/resilience/userBreakers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ok = async () => 'ok';
const bad = async () => { throw new Error('bad data'); };
const busy = async () => { throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }); };

describe('user breakers', () => {
  it('opens after N consecutive counted failures; a success resets the count; other errors do not count', async () => {
    const states: string[] = [];
    const b = new UserBreakers({ failures: 3, resetTimeoutMs: 100, maxLive: 10, countsAsFailure: (e) => (e as { code?: string }).code !== 'SQLITE_BUSY',
      onTransition: (u, s) => states.push(`${u}:${s}`) });
    for (const f of [bad, bad, ok, bad, bad, busy, busy]) await b.guard('u', f).catch(() => undefined);
    expect(b.state('u')).toBe('closed');
    await b.guard('u', bad).catch(() => undefined);
    expect(b.state('u')).toBe('open');
    expect(b.open).toBe(1);
    let ran = false;
    const err = await b.guard('u', async () => { ran = true; }).catch((e) => e);
    expect(ran).toBe(false);
    expect(err).toBeInstanceOf(UserBreakerOpenError);
    expect(err.retryAt).toBe(b.retryAt('u'));
    await sleep(150);
    expect(b.state('u')).toBe('halfOpen');
    await b.guard('u', bad).catch(() => undefined);
    expect(b.state('u')).toBe('open');
    await sleep(150);
    expect(await b.guard('u', ok)).toBe('ok');
    expect(states).toEqual(['u:open', 'u:halfOpen', 'u:open', 'u:halfOpen', 'u:closed']);
    b.shutdown();
  });

  it('keeps at most maxLive breakers, never evicting open or busy ones', async () => {
    const b = new UserBreakers({ failures: 1, resetTimeoutMs: 60_000, maxLive: 3, countsAsFailure: () => true });
    await b.guard('open1', bad).catch(() => undefined);
    await b.guard('open2', bad).catch(() => undefined);
    let release!: () => void;
    const inflight = b.guard('busy', () => new Promise<void>((r) => { release = r; }));
    expect(b.live).toBe(3);
    // Nothing evictable: a new user runs unguarded instead of growing the map.
    expect(await b.guard('newcomer', ok)).toBe('ok');
    expect(b.live).toBe(3);
    expect(b.state('newcomer')).toBeUndefined();
    release();
    await inflight;
    await b.guard('newcomer', ok);
    expect(b.live).toBe(3);
    expect(b.state('busy')).toBeUndefined();
    expect([b.state('open1'), b.state('open2'), b.state('newcomer')]).toEqual(['open', 'open', 'closed']);
    expect(b.evicted).toBe(1);
    b.shutdown();
    expect(b.live).toBe(0);
    expect(b.open).toBe(0);
  });
});
