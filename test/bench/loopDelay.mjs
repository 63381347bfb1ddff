// loop_delay_ms: the host's event-loop delay (perf_hooks.monitorEventLoopDelay) with a synthetic chat handler
// doing 1 ms of work every 5 ms: first with the engine idle, then with the engine working flat out on a backlog.
import { monitorEventLoopDelay } from 'node:perf_hooks';
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

main(async () => {
  const dir = tempDir();
  const store = await openSqlite(join(dir, 'bench.db'));
  const users = await seedUsers(store, { users: USERS, perUser: 200, label: 'seeding' });
  await store.close();
  const { candidates } = candidateStream(users, BACKLOG, 4);
  const { createEngine } = await dist();
  const engine = await createEngine(engineOptions(dir));
  const chat = startChatHandler();
  await sleep(200);

  const idle = await measure(WINDOW_MS, 'idle engine');
  // The backlog goes in before the loaded window, in bursts, so the window measures the engine's work.
  for (let i = 0; i < candidates.length; i += 1000) {
    for (const c of candidates.slice(i, i + 1000)) engine.submit(c);
    await tick();
  }
  const depth0 = engine.status().journal.inflight;
  const loaded = await measure(WINDOW_MS, 'engine flat out', () => engine.status().journal.inflight === 0);
  const decidedInWindow = depth0 - engine.status().journal.inflight;
  chat.stop();
  await engine.close();
  return {
    loop_delay_ms: { idle_p99: round(idle.p99, 2), loaded_p99: round(loaded.p99, 2), ratio: round(loaded.p99 / idle.p99, 2) },
    loop_delay_detail: { idle_p50: round(idle.p50, 2), loaded_p50: round(loaded.p50, 2), delta_p99: round(loaded.p99 - idle.p99, 2),
      loaded_window_ms: loaded.ms, decided_in_window: decidedInWindow, chat_ticks: chat.handled },
  };
});
