// users_1m: 1,000,000 distinct users (quick: 20,000) each submitting one candidate, 1 % of them failing.
// Peak RSS shows whether per-user state is bounded; idle CPU afterwards shows nothing keeps spinning.
//
// Failure injection through the engine's test seam (EngineInternals.workerHooks, test/bench/lib/failingHooks.mjs): the deduper
// rejects the candidates of the failing users as a poison candidate would, so they take the engine's real path:
// retries, the user's breaker, dead letters.
import { dist, engineOptions, main, progress, QUICK, round, sleep, tempDir, tick } from './lib/common.mjs';
import { canon, randomFact } from './lib/facts.mjs';
import { rng } from './lib/rng.mjs';
import { MARK } from './lib/failingHooks.mjs';

const USERS = QUICK ? 20_000 : 1_000_000;
const FAILING_EVERY = 100; // 1 %
const IDLE_MS = QUICK ? 2000 : 5000;

main(async () => {
  const dir = tempDir();
  const { Engine } = await dist();
  // The fault goes in through a hooks module, so the engine runs with its defaults (worker threads).
  const engine = await Engine.create(engineOptions(dir), { workerHooks: new URL('./lib/failingHooks.mjs', import.meta.url).href });

  const r = rng(7);
  const outcomes = {};
  let settled = 0;
  let peakLanes = 0;
  const limit = Math.floor(engine.options.journalLimit * 0.8);
  const t0 = performance.now();
  for (let u = 0; u < USERS; u += 1000) {
    while (engine.status().journal.inflight > limit) await sleep(1);
    for (let i = u; i < Math.min(USERS, u + 1000); i++) {
      const s = engine.submit({ userId: `u-${i}`, text: canon(randomFact(r)) + (i % FAILING_EVERY === 0 ? MARK : '') });
      s.decided.then((d) => { outcomes[d.action] = (outcomes[d.action] ?? 0) + 1; settled++; });
    }
    peakLanes = Math.max(peakLanes, engine.status().lanes.users);
    progress(settled / USERS, `${u + 1000} users submitted, ${settled} settled`);
    await tick();
  }
  while (settled < USERS) { await sleep(100); progress(settled / USERS, `${settled}/${USERS} settled`); }
  const wall = (performance.now() - t0) / 1000;
  const status = engine.status();
  const peakRss = process.resourceUsage().maxRSS / 1024;

  await sleep(500);
  const c0 = process.cpuUsage();
  const i0 = performance.now();
  await sleep(IDLE_MS);
  const c1 = process.cpuUsage(c0);
  const idleCpu = ((c1.user + c1.system) / 1000 / (performance.now() - i0)) * 100;
  const breakers = status.breakers?.user;
  await engine.close();
  return {
    users_1m: {
      users: USERS, rss_mb: Math.round(peakRss),
      live_breakers: typeof breakers?.live === 'number' ? breakers.live : null,
      idle_cpu_pct: round(idleCpu, 2), wall_s: round(wall, 1),
    },
    users_1m_detail: { outcomes, peak_lane_users: peakLanes, cache_users: status.cache.users, failing_users: USERS / FAILING_EVERY,
      injection: 'EngineInternals.workerHooks rejects the candidates of 1 % of users', thread: engine.options.thread, workers: engine.options.workers, breakers: status.breakers,
      breaker_cap: engine.options.breakers.user.maxLive },
  };
});
