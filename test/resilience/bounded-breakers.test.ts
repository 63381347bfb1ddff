// Bounded breakers: candidates for 200k distinct users (some of them poison) keep the live breakers at or
// below the cap, and the timers breakers create at or below the cap times what one opossum breaker creates.
// Also measures (and prints, never asserts) the open-breaker rejection latency and the heap per breaker.
import CircuitBreaker from 'opossum';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { UserBreakers } from '../../src/resilience/userBreakers.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';
import { faulty, poison } from './faults.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };

/** Counts the timers created from inside opossum, and which of them are still live. */
function watchTimers() {
  const real = { setInterval, setTimeout, clearInterval, clearTimeout };
  const stats = { intervals: 0, timeouts: 0, live: new Set<unknown>() };
  const fromOpossum = () => {
    // Only the nearest frames matter (opossum calls the timer directly); a short trace keeps this cheap.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 3;
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    return /[\\/]opossum[\\/]/.test(stack);
  };
  globalThis.setInterval = ((...a: Parameters<typeof setInterval>) => {
    const t = real.setInterval(...a);
    if (fromOpossum()) { stats.intervals++; stats.live.add(t); }
    return t;
  }) as typeof setInterval;
  globalThis.setTimeout = ((...a: Parameters<typeof setTimeout>) => {
    const t = real.setTimeout(...a);
    if (fromOpossum()) { stats.timeouts++; stats.live.add(t); }
    return t;
  }) as typeof setTimeout;
  globalThis.clearInterval = ((t: NodeJS.Timeout) => { stats.live.delete(t); real.clearInterval(t); }) as typeof clearInterval;
  globalThis.clearTimeout = ((t: NodeJS.Timeout) => { stats.live.delete(t); real.clearTimeout(t); }) as typeof clearTimeout;
  return { stats, restore: () => Object.assign(globalThis, real) };
}

const CAP = 1000;
const USERS = 200_000;
const POISON_USERS = 50;

describe('bounded breakers', () => {
  it(`keeps live breakers <= ${CAP} and their timers bounded over ${USERS} distinct users`, async () => {
    // What one opossum breaker on its defaults creates: the yardstick of the issue.
    const probe = watchTimers();
    const one = new CircuitBreaker(async () => 1);
    const perBreaker = probe.stats.intervals + probe.stats.timeouts;
    one.shutdown();
    probe.restore();
    expect(perBreaker).toBeGreaterThan(0);

    const dir = tempDir();
    const heap0 = heap();
    const watch = watchTimers();
    const engine = await Engine.create({ logLevel: 'silent',
      store: { kind: 'sqlite', path: ':memory:' }, flags: { kind: 'embedded', file: writeFlagsFile(dir) },
      breakers: { user: { failures: 5, resetTimeoutMs: 600_000, maxLive: CAP } }, retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    }, { deduper: faulty({ prepare: (texts) => { if (texts.some((t) => t.startsWith('BAD'))) throw poison(texts[0]!); } }) });
    try {
      let maxLive = 0;
      const poisoned = [];
      for (let u = 0; u < POISON_USERS; u++) for (let i = 0; i < 6; i++) poisoned.push(engine.submit({ userId: `bad${u}`, text: `BAD record ${u}-${i}` }));
      const CHUNK = 10_000;
      for (let start = 0; start < USERS; start += CHUNK) {
        const subs = [];
        for (let u = start; u < start + CHUNK; u++) subs.push(engine.submit({ userId: `user${u}`, text: `Likes item number ${u}` }));
        const ds = await Promise.all(subs.map((s) => s.decided));
        expect(ds.every((d) => d.action === 'added')).toBe(true);
        maxLive = Math.max(maxLive, (engine.status() as any).breakers.user.live);
      }
      const pd = await Promise.all(poisoned.map((s) => s.decided));
      expect(new Set(pd.map((d) => d.action))).toEqual(new Set(['fallback']));
      const st = (engine.status() as any).breakers.user;
      expect(st.open).toBe(POISON_USERS);
      expect(maxLive).toBeLessThanOrEqual(CAP);
      expect(st.live).toBeLessThanOrEqual(CAP);
      const created = watch.stats.intervals + watch.stats.timeouts;
      expect(created).toBeLessThanOrEqual(CAP * perBreaker);
      // Live: one reset timeout per open breaker, no interval per breaker.
      expect(watch.stats.live.size).toBeLessThanOrEqual(st.open);
      expect(watch.stats.intervals).toBe(0);
      const heapEnd = heap();
      console.log(JSON.stringify({ bounded: { users: USERS + POISON_USERS, cap: CAP, maxLive, liveAtEnd: st.live, open: st.open,
        opossumIntervalsCreated: watch.stats.intervals, opossumTimeoutsCreated: watch.stats.timeouts, opossumTimersLive: watch.stats.live.size,
        timersPerDefaultBreaker: perBreaker, heapUsedMB: +(heapEnd / 2 ** 20).toFixed(1), heapGrowthMB: +((heapEnd - heap0) / 2 ** 20).toFixed(1) } }));
    } finally {
      watch.restore();
      await engine.close();
    }
  // 200k users one batch each: minutes on a loaded 2-core machine, in either thread mode.
  }, 900_000);

  it('rejects in microseconds while open, and a breaker costs little heap', async () => {
    const breakers = new UserBreakers({ failures: 5, resetTimeoutMs: 60_000, maxLive: 20_000, countsAsFailure: () => true });
    const boom = () => Promise.reject(new Error('bad data'));
    for (let i = 0; i < 5; i++) await breakers.guard('u', boom).catch(() => undefined);
    expect(breakers.state('u')).toBe('open');
    let ran = 0;
    const action = async () => { ran++; };
    const samples: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const t0 = process.hrtime.bigint();
      await breakers.guard('u', action).catch(() => undefined);
      samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    expect(ran).toBe(0);
    samples.sort((a, b) => a - b);
    const p = (q: number) => +samples[Math.floor(q * samples.length)]!.toFixed(2);

    const N = 10_000;
    const h0 = heap();
    for (let i = 0; i < N; i++) await breakers.guard(`h${i}`, action);
    const perBreakerBytes = (heap() - h0) / N;
    expect(breakers.live).toBe(N + 1);
    breakers.shutdown();
    expect(breakers.live).toBe(0);
    console.log(JSON.stringify({ openBreakerRejectUs: { p50: p(0.5), p99: p(0.99) }, heapPerBreakerKB: +(perBreakerBytes / 1024).toFixed(2) }));
  });
});
