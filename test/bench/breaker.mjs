// breaker_fastfail_us: what a batch pays when its user's breaker is open: the engine's own per-user breakers
// (src/resilience/userBreakers.ts, opossum underneath), configured with the engine's default options.
import { dist, main, progress, QUICK, round, summary } from './lib/common.mjs';

const CALLS = QUICK ? 50_000 : 200_000;

main(async () => {
  const { DEFAULT_OPTIONS } = await dist();
  const { UserBreakers, UserBreakerOpenError } = await dist('resilience/userBreakers.js');
  const { failures, resetTimeoutMs, maxLive } = DEFAULT_OPTIONS.breakers.user;
  const breakers = new UserBreakers({ failures, resetTimeoutMs, maxLive, countsAsFailure: () => true });
  const userId = 'user-poison';
  let ran = 0;
  const failing = async () => { ran++; throw new Error('poison batch'); };
  for (let i = 0; i < failures; i++) await breakers.guard(userId, failing).catch(() => {});
  if (breakers.state(userId) !== 'open') throw new Error(`the breaker is ${breakers.state(userId)} after ${failures} failures`);
  for (let i = 0; i < 5000; i++) await breakers.guard(userId, failing).catch(() => {}); // warm-up
  const ranBefore = ran;
  let rejected = 0;
  const us = new Float64Array(CALLS);
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    try { await breakers.guard(userId, failing); } catch (e) { if (e instanceof UserBreakerOpenError) rejected++; }
    us[i] = (performance.now() - t) * 1000;
    if (i % 10_000 === 0) progress(i / CALLS, 'open breaker');
  }
  breakers.shutdown();
  if (rejected !== CALLS || ran !== ranBefore) throw new Error(`${rejected}/${CALLS} fast-failed, the batch ran ${ran - ranBefore} times`);
  const s = summary(us);
  return { breaker_fastfail_us: { p50: round(s.p50, 2), p99: round(s.p99, 2) },
    breaker_detail: { calls: CALLS, source: "the engine's UserBreakers (src/resilience/userBreakers.ts) with DEFAULT_OPTIONS.breakers.user" } };
});
