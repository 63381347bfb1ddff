// Seeds users with memories straight through the engine's Store seam (setup, not measured),
// and builds candidate streams in the mix.
import { randomUUID } from 'node:crypto';
import { dist, progress } from './common.mjs';
import { candidateText, canon, distinctFacts, kind } from './facts.mjs';
import { priority, rng, zipf } from './rng.mjs';

/** Opens the SQLite store of the build at `path`. */
export async function openSqlite(path) {
  const { openStore } = await dist('store/index.js');
  return openStore({ kind: 'sqlite', path });
}

/** Writes `perUser` memories for each of `users` users; returns [{ userId, facts }]. */
export async function seedUsers(store, { users, perUser, seed = 1, label = 'seeding' }) {
  const r = rng(seed);
  const out = [];
  const now = Date.now();
  for (let u = 0; u < users; u++) {
    const userId = `user-${u}`;
    const facts = distinctFacts(perUser, r);
    const memories = facts.map((f) => ({ id: randomUUID(), userId, text: canon(f), status: 'active', version: 1, seenCount: 1,
      needsRecheck: false, sources: [], createdAt: now, updatedAt: now }));
    if (!(await store.commit({ userId, expectedVersion: 0, memories, events: [], journalIds: [] }))) throw new Error(`seed of ${userId} did not commit`);
    out.push({ userId, facts });
    if (u % 50 === 0) progress(u / users, label);
  }
  return out;
}

/** `n` candidates: users by Zipf (s = 1), kinds 40/20/10/5/25, priorities 10/70/20. */
export function candidateStream(users, n, seed = 2) {
  const r = rng(seed);
  const user = zipf(users.length, 1, r);
  const out = new Array(n);
  const kinds = {};
  for (let i = 0; i < n; i++) {
    const u = users[user()];
    const k = kind(r);
    kinds[k] = (kinds[k] ?? 0) + 1;
    out[i] = { userId: u.userId, text: candidateText(k, u.facts, r), priority: priority(r), id: `c-${seed}-${i}` };
  }
  return { candidates: out, kinds };
}
