// throughput_cps, decision_ms and throughput_naive_cps: the same seeded store and candidate stream,
// processed by the engine (lanes, batches, index cache) and by the seed's one-at-a-time pattern.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dist, engineOptions, main, percentile, progress, QUICK, round, tempDir, tick } from './lib/common.mjs';
import { candidateStream, openSqlite, seedUsers } from './lib/seed.mjs';
import { naiveProcessor } from './naive.mjs';

const USERS = QUICK ? 200 : 1000;
const PER_USER = 200;
/** Per engine run; the workload runs the engine four times at most (defaults, inline, 1 and 2 workers). */
const CANDIDATES = QUICK ? 10_000 : 50_000;
/** The naive run stops at this many candidates or this many seconds: it is the slow one. */
const NAIVE_MAX = QUICK ? 3000 : 20_000;
const NAIVE_SECONDS = QUICK ? 5 : 60;
const CHUNK = 1000;

/** Submits the stream to an engine on a fresh copy of the seeded store and waits for every decision. */
async function engineRun(dir, seedPath, name, candidates, extra) {
  const sub = join(dir, name.replace(/\W+/g, '-'));
  mkdirSync(sub);
  copyFileSync(seedPath, join(sub, 'bench.db'));
  const { createEngine } = await dist();
  const engine = await createEngine(engineOptions(sub, extra));
  const n = candidates.length;
  const submittedAt = new Float64Array(n);
  const decidedAt = new Float64Array(n);
  const actions = {};
  let decided = 0;
  let overloaded = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const all = [];
  for (let i = 0; i < n; i += CHUNK) {
    for (let j = i; j < Math.min(n, i + CHUNK); j++) {
      let s = engine.submit(candidates[j]);
      while (s.status === 'overloaded') { overloaded++; await tick(); s = engine.submit(candidates[j]); }
      submittedAt[j] = performance.now();
      all.push(s.decided.then((d) => {
        decidedAt[j] = performance.now();
        actions[d.action] = (actions[d.action] ?? 0) + 1;
        if (++decided % 1000 === 0) progress(decided / n, `${name}: ${decided}/${n} decided`);
      }));
    }
    await tick();
  }
  await Promise.all(all);
  const elapsed = (Math.max(...decidedAt) - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const { thread, workers } = engine.options;
  await engine.close();
  return { cps: n / elapsed, elapsed, actions, overloaded, latency: Array.from(decidedAt, (t, i) => t - submittedAt[i]),
    cpuUs: cpu.user + cpu.system, thread, workers };
}

main(async () => {
  const dir = tempDir();
  const seedPath = join(dir, 'seed.db');
  const seedStore = await openSqlite(seedPath);
  const users = await seedUsers(seedStore, { users: USERS, perUser: PER_USER, label: `seeding ${USERS} users x ${PER_USER} memories` });
  await seedStore.close();
  copyFileSync(seedPath, join(dir, 'naive.db'));
  const { candidates, kinds } = candidateStream(users, CANDIDATES);

  // ---- the engine: the defaults, then inline, then by worker count; each on its own copy of the seed ----------
  const defaults = await engineRun(dir, seedPath, 'defaults', candidates, {});
  const inline = await engineRun(dir, seedPath, 'inline', candidates, { thread: 'inline' });
  const byWorkers = [];
  for (const workers of [1, 2]) {
    // The defaults already ran with this many workers: the same figure, not a second run.
    const r = defaults.thread === 'worker' && defaults.workers === workers ? defaults : await engineRun(dir, seedPath, `${workers} worker(s)`, candidates, { thread: 'worker', workers });
    byWorkers.push({ workers, cps: Math.round(r.cps) });
  }
  const { latency, elapsed, actions, overloaded } = defaults;
  const byPriority = { high: [], normal: [], low: [] };
  candidates.forEach((c, i) => byPriority[c.priority].push(latency[i]));
  const p99 = (xs) => round(percentile(xs, 99), 1);

  // ---- the naive baseline, same seeded store (a copy), same stream ----------------------------
  const naiveStore = await openSqlite(join(dir, 'naive.db'));
  const processOne = await naiveProcessor(naiveStore);
  const naiveActions = {};
  const n0 = performance.now();
  let n = 0;
  while (n < Math.min(NAIVE_MAX, CANDIDATES) && performance.now() - n0 < NAIVE_SECONDS * 1000) {
    const d = await processOne(candidates[n]);
    naiveActions[d.action] = (naiveActions[d.action] ?? 0) + 1;
    n++;
    if (n % 100 === 0) progress(Math.max(n / NAIVE_MAX, (performance.now() - n0) / (NAIVE_SECONDS * 1000)), `naive: ${n} decided`);
  }
  const naiveElapsed = (performance.now() - n0) / 1000;
  await naiveStore.close();

  const cps = defaults.cps;
  const naiveCps = n / naiveElapsed;
  return {
    throughput_cps: Math.round(cps),
    throughput_inline_cps: Math.round(inline.cps),
    throughput_by_workers: byWorkers,
    // Process CPU (every thread: host, workers, SQLite) during the engine phase, per decided candidate, defaults.
    cpu_us_per_candidate: Math.round(defaults.cpuUs / CANDIDATES),
    decision_ms: {
      p50: round(percentile(latency, 50), 1), p99: p99(latency),
      by_priority: { high: p99(byPriority.high), normal: p99(byPriority.normal), low: p99(byPriority.low) },
    },
    throughput_naive_cps: round(naiveCps, 1),
    throughput_ratio: round(cps / naiveCps, 1),
    throughput_detail: {
      users: USERS, memories_per_user: PER_USER, candidates: CANDIDATES, kinds, actions, overloaded_retries: overloaded,
      defaults: `thread ${defaults.thread}, ${defaults.workers} worker(s)`, inline_cpu_us_per_candidate: Math.round(inline.cpuUs / CANDIDATES),
      workers_2_over_1: round(byWorkers[1].cps / byWorkers[0].cps, 2), defaults_over_inline: round(defaults.cps / inline.cps, 2),
      wall_s: round(elapsed, 2), decision_p50_ms_by_priority: Object.fromEntries(Object.entries(byPriority).map(([k, xs]) => [k, round(percentile(xs, 50), 1)])), naive_candidates: n, naive_wall_s: round(naiveElapsed, 2), naive_actions: naiveActions,
    },
  };
});
