// submit_us: the chat-path cost of engine.submit(), timed call by call while the engine processes what came before.
import { dist, engineOptions, main, progress, QUICK, round, summary, tempDir, tick } from './lib/common.mjs';
import { candidateStream, openSqlite, seedUsers } from './lib/seed.mjs';
import { join } from 'node:path';

const SUBMISSIONS = QUICK ? 30_000 : 200_000;
const USERS = QUICK ? 200 : 1000;
/** Submissions per macrotask: a burst of chat traffic between two turns of the event loop. */
const CHUNK = 500;

main(async () => {
  const dir = tempDir();
  const store = await openSqlite(join(dir, 'bench.db'));
  const users = await seedUsers(store, { users: USERS, perUser: 20, label: 'seeding' });
  await store.close();
  // Built before timing starts, so the figures hold submit() alone.
  const { candidates } = candidateStream(users, SUBMISSIONS, 3);
  for (const c of candidates) delete c.id; // the engine makes the idempotency key, as for a chat server that sends none

  const { createEngine } = await dist();
  const engine = await createEngine(engineOptions(dir));
  const us = new Float64Array(SUBMISSIONS);
  const statuses = {};
  // Let the engine fall behind by at most this much, so every call is a real acceptance, not an `overloaded` answer.
  const backlog = Math.floor(engine.options.journalLimit * 0.8);
  for (let i = 0; i < SUBMISSIONS; i += CHUNK) {
    while (engine.status().journal.inflight > backlog) await tick();
    const end = Math.min(SUBMISSIONS, i + CHUNK);
    for (let j = i; j < end; j++) {
      const t = performance.now();
      const s = engine.submit(candidates[j]);
      us[j] = (performance.now() - t) * 1000;
      statuses[s.status] = (statuses[s.status] ?? 0) + 1;
    }
    progress(end / SUBMISSIONS, `${end}/${SUBMISSIONS} submitted, ${engine.status().journal.inflight} in flight`);
    await tick();
  }
  const processing = engine.status().journal.inflight;
  await engine.close();
  const s = summary(us);
  return { submit_us: { p50: round(s.p50, 2), p99: round(s.p99, 2), max: round(s.max, 1) },
    submit_detail: { submissions: SUBMISSIONS, statuses, inflight_at_end: processing } };
});
