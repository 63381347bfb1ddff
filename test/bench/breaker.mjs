// breaker_fastfail_us: what a caller pays when an open breaker rejects.
// The engine has no per-user breaker yet (src/resilience has retry and batch splitting only), so this is a plain
// opossum breaker configured as the engine's options describe a user breaker: opens after `failures` errors,
// half-opens after `resetTimeoutMs`.
import CircuitBreaker from 'opossum';
import { dist, main, progress, QUICK, round, summary } from './lib/common.mjs';

const CALLS = QUICK ? 50_000 : 200_000;

main(async () => {
  const { DEFAULT_OPTIONS } = await dist();
  const { failures, resetTimeoutMs } = DEFAULT_OPTIONS.breakers.user;
  const breaker = new CircuitBreaker(async () => { throw new Error('store down'); }, {
    timeout: false, resetTimeout: resetTimeoutMs, volumeThreshold: failures, errorThresholdPercentage: 50 });
  for (let i = 0; i < failures && !breaker.opened; i++) await breaker.fire().catch(() => {});
  if (!breaker.opened) throw new Error(`the breaker did not open after ${failures} failures`);
  let rejected = 0;
  for (let i = 0; i < 5000; i++) await breaker.fire().catch(() => {}); // warm-up
  const us = new Float64Array(CALLS);
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    try { await breaker.fire(); } catch (e) { if (e.code === 'EOPENBREAKER') rejected++; }
    us[i] = (performance.now() - t) * 1000;
    if (i % 10_000 === 0) progress(i / CALLS, 'open breaker');
  }
  breaker.shutdown();
  if (rejected !== CALLS) throw new Error(`only ${rejected}/${CALLS} calls were fast-failed`);
  const s = summary(us);
  return { breaker_fastfail_us: { p50: round(s.p50, 2), p99: round(s.p99, 2) },
    breaker_detail: { calls: CALLS, source: 'plain opossum breaker configured like options.breakers.user (the engine has no per-user breaker yet)' } };
});
