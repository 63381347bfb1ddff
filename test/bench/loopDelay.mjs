// loop_delay_ms: the host's event-loop delay (perf_hooks.monitorEventLoopDelay) with a synthetic chat handler
// doing 1 ms of work every 5 ms: first with the engine idle, then with the engine working flat out on a backlog;
// with the defaults (worker threads), then again with thread 'inline' on a fresh copy of the same store.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dist, engineOptions, main, progress, QUICK, round, sleep, tempDir, tick } from './lib/common.mjs';
import { candidateStream, openSqlite, seedUsers } from './lib/seed.mjs';

const WINDOW_MS = QUICK ? 2000 : 10_000;
const USERS = QUICK ? 200 : 1000;
const BACKLOG = QUICK ? 15_000 : 60_000;

/** The chat handler: 1 ms of synchronous work every 5 ms, as a request handler on the host would. */
function startChatHandler() {
  let handled = 0;
  const timer = setInterval(() => {
    const end = performance.now() + 1;
    let x = 0;
    while (performance.now() < end) x += Math.sqrt(x + 1);
    handled++;
  }, 5);
  return { stop: () => clearInterval(timer), get handled() { return handled; } };
}

async function measure(ms, label, until = () => false) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const t0 = Date.now();
  while (Date.now() - t0 < ms && !until()) {
    await sleep(100);
    progress(Math.min(1, (Date.now() - t0) / ms), label);
  }
  h.disable();
  return { p99: h.percentile(99) / 1e6, p50: h.percentile(50) / 1e6, ms: Date.now() - t0 };
}

/** One engine on its own copy of the seeded store: idle window (first run only), then flat out on the backlog. */
async function run(dir, name, seedPath, candidates, extra, withIdle) {
  const sub = join(dir, name);
  mkdirSync(sub);
  copyFileSync(seedPath, join(sub, 'bench.db'));
  const { createEngine } = await dist();
  const engine = await createEngine(engineOptions(sub, extra));
  const chat = startChatHandler();
  await sleep(200);
  const idle = withIdle ? await measure(WINDOW_MS, `${name}: idle engine`) : undefined;
  // The backlog goes in before the loaded window, in bursts, so the window measures the engine's work.
  for (let i = 0; i < candidates.length; i += 1000) {
    for (const c of candidates.slice(i, i + 1000)) engine.submit(c);
    await tick();
  }
  const depth0 = engine.status().journal.inflight;
  const loaded = await measure(WINDOW_MS, `${name}: engine flat out`, () => engine.status().journal.inflight === 0);
  const decided = depth0 - engine.status().journal.inflight;
  chat.stop();
  await engine.close();
  return { idle, loaded, decided, chatTicks: chat.handled, thread: engine.options.thread, workers: engine.options.workers };
}

main(async () => {
  const dir = tempDir();
  const seedPath = join(dir, 'seed.db');
  const store = await openSqlite(seedPath);
  const users = await seedUsers(store, { users: USERS, perUser: 200, label: 'seeding' });
  await store.close();
  const { candidates } = candidateStream(users, BACKLOG, 4);
  // The defaults (worker threads), then the same on the host's thread.
  const d = await run(dir, 'defaults', seedPath, candidates, {}, true);
  const inline = await run(dir, 'inline', seedPath, candidates, { thread: 'inline' }, false);
  return {
    loop_delay_ms: { idle_p99: round(d.idle.p99, 2), loaded_p99: round(d.loaded.p99, 2), inline_loaded_p99: round(inline.loaded.p99, 2),
      ratio: round(d.loaded.p99 / d.idle.p99, 2) },
    loop_delay_detail: { defaults: `thread ${d.thread}, ${d.workers} worker(s)`, idle_p50: round(d.idle.p50, 2), loaded_p50: round(d.loaded.p50, 2),
      delta_p99: round(d.loaded.p99 - d.idle.p99, 2), loaded_window_ms: d.loaded.ms, decided_in_window: d.decided, chat_ticks: d.chatTicks,
      inline_loaded_p50: round(inline.loaded.p50, 2), inline_window_ms: inline.loaded.ms, inline_decided_in_window: inline.decided },
  };
});
