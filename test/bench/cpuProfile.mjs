// CPU µs per decided candidate, inline engine: seeds USERS x PER_USER memories straight into SQLite (no analysis,
// as the throughput bench does), then decides CANDIDATES from candidateStream and divides the process CPU spent
// in the engine phase by the candidates. `--profile FILE` writes a CPU profile of that phase
// (test/bench/summariseProfile.mjs prints its top self-time entries). Not part of `npm run bench`.
//   node test/bench/cpuProfile.mjs [--users 200] [--per-user 200] [--candidates 10000] [--prewarm] [--profile FILE] [--dump FILE]
import { join } from 'node:path';
import { dist, engineOptions, tempDir, tick } from './lib/common.mjs';
import { candidateStream, openSqlite, seedUsers } from './lib/seed.mjs';

const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
const USERS = arg('--users', 200);
const PER_USER = arg('--per-user', 200);
const CANDIDATES = arg('--candidates', 10_000);
const CHUNK = 1000;

const dir = tempDir('memdedup-cpu-');
const seedStore = await openSqlite(join(dir, 'bench.db'));
const users = await seedUsers(seedStore, { users: USERS, perUser: PER_USER, label: `seeding ${USERS} x ${PER_USER}` });
// --prewarm: one cold load of every user before the engine phase, which persists their prepared features
// (as a restarted engine, or a worker taking users over, finds them); without it every load computes them.
if (process.argv.includes('--prewarm')) {
  const { indexSnapshot } = await dist('dedup/indexCache.js');
  const { Cascade } = await dist('dedup/cascade.js');
  const deduper = new Cascade({ topK: 8 });
  for (const u of users) await indexSnapshot(seedStore, deduper, await seedStore.loadUser(u.userId));
}
await seedStore.close();
const { candidates } = candidateStream(users, CANDIDATES);

const { createEngine } = await dist();
const engine = await createEngine(engineOptions(dir));
// --profile FILE: a CPU profile of the engine phase only (seeding left out), via the inspector.
const profileFile = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1] : undefined;
const session = profileFile ? new (await import('node:inspector/promises')).Session() : undefined;
if (session) { session.connect(); await session.post('Profiler.enable'); await session.post('Profiler.start'); }
const actions = {};
const decisions = new Array(CANDIDATES);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const all = [];
for (let i = 0; i < CANDIDATES; i += CHUNK) {
  for (let j = i; j < Math.min(CANDIDATES, i + CHUNK); j++) {
    let s = engine.submit(candidates[j]);
    while (s.status === 'overloaded') { await tick(); s = engine.submit(candidates[j]); }
    all.push(s.decided.then((d) => {
      actions[d.action] = (actions[d.action] ?? 0) + 1;
      decisions[j] = `${d.action} ${d.method ?? ''} ${d.score ?? ''} ${(d.reasons ?? []).join(',')} ${d.comparedText ?? ''}`;
    }));
  }
  await tick();
}
await Promise.all(all);
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
if (session) {
  const { profile } = await session.post('Profiler.stop');
  (await import('node:fs')).writeFileSync(profileFile, JSON.stringify(profile));
}
await engine.close();
const us = cpu.user + cpu.system;
// A digest of every decision (action, method, score, reasons, compared text), to check a change decides the same.
const digest = (await import('node:crypto')).createHash('sha1').update(decisions.join('\n')).digest('hex').slice(0, 12);
if (process.argv.includes('--dump')) (await import('node:fs')).writeFileSync(process.argv[process.argv.indexOf('--dump') + 1], decisions.join('\n'));
process.stdout.write(JSON.stringify({ digest, users: USERS, perUser: PER_USER, candidates: CANDIDATES,
  cpu_us_per_candidate: Math.round(us / CANDIDATES), user_us: cpu.user, system_us: cpu.system,
  wall_ms: Math.round(wall), cps: Math.round(CANDIDATES / (wall / 1000)), actions }) + '\n');
process.exit(0);
