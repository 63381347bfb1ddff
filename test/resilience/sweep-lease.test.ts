// One sweeper across processes: three engine processes (real children on dist/) on one real PostgreSQL, each
// asked for a full sweep at the same moment. The sweep cursor is leased, so each flagged memory is decided
// exactly once across all of them; when the holder is SIGKILLed mid-pass, another takes over once the lease
// ran out and finishes, without deciding again what the dead one committed.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine.js';
import type { StoreOptions } from '../../src/options.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';
import { hasPostgres, startPostgres, type RunningPostgres } from '../helpers/postgres.js';

const DIST = pathToFileURL(resolve('dist/index.js')).href;
const available = hasPostgres();
if (!available) console.warn('SKIP test/resilience/sweep-lease.test.ts: PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql');

const FACTS = ['Loves hiking in the mountains', 'Works as a software engineer at Google', 'Has two cats',
  'Loves mountain hiking', 'Is a software engineer working at Google', 'Speaks fluent Spanish', 'Has three cats'];

// Prints 'ready', sweeps on 'go', prints every recheck attempt and the pass's result as JSON lines.
const CHILD = `
  const mod = await import(process.env.DIST);
  const engine = await mod.createEngine({ store: JSON.parse(process.env.STORE), flags: { kind: 'embedded', file: process.env.FLAGS }, logLevel: 'silent' });
  engine.emitter.on('recheck', (e) => process.stdout.write(JSON.stringify(e) + '\\n'));
  let go = false;
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d) => { if (d.includes('go')) go = true; });
  process.stdout.write('ready\\n');
  while (!go) await new Promise((r) => setTimeout(r, 10));
  const result = await engine.sweep();
  process.stdout.write(JSON.stringify({ result }) + '\\n');
  await engine.close();
  process.stdin.destroy();
`;

interface Kid { p: ChildProcess; out: string; err: string; done: Promise<number | null> }
interface Recheck { userId: string; ids: string[]; committed: boolean }

let pg: RunningPostgres | undefined;
let dir: string;
let flags: string;
let childFile: string;

function spawnKid(store: StoreOptions): Kid {
  const p = spawn(process.execPath, [childFile], { stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, DIST, STORE: JSON.stringify(store), FLAGS: flags } });
  const k: Kid = { p, out: '', err: '', done: new Promise((r) => p.on('exit', (code) => r(code))) };
  p.stdout!.on('data', (d) => { k.out += d; });
  p.stderr!.on('data', (d) => { k.err += d; });
  return k;
}

async function until(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const lines = (k: Kid) => k.out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Recheck & { result?: { checked: number } });
const rechecks = (k: Kid) => lines(k).filter((l) => l.ids);
const decidedIds = (k: Kid) => rechecks(k).flatMap((r) => r.ids);
const committedIds = (k: Kid) => rechecks(k).filter((r) => r.committed).flatMap((r) => r.ids);

/** A fresh schema holding USERS x FACTS memories, all flagged needsRecheck (memory.realtime-dedup off). */
async function seed(users: number, leaseMs: number): Promise<{ store: StoreOptions; flagged: string[] }> {
  const store: StoreOptions = { kind: 'postgres', connectionString: pg!.url, schema: `sl_${randomUUID().replaceAll('-', '').slice(0, 12)}`, leaseMs };
  const e = await createEngine({ store, flags: { kind: 'embedded', file: flags }, logLevel: 'silent' });
  const subs = [];
  for (let u = 0; u < users; u++) for (const text of FACTS) subs.push(e.submit({ userId: `u${u}`, text }));
  await Promise.all(subs.map((s) => s.decided));
  const flagged: string[] = [];
  for (let u = 0; u < users; u++) for (const m of await e.memories(`u${u}`)) if (m.needsRecheck) flagged.push(m.id);
  await e.close();
  expect(flagged.length).toBe(users * FACTS.length);
  return { store, flagged };
}

async function backlog(store: StoreOptions): Promise<number> {
  const e = await createEngine({ store, flags: { kind: 'embedded', file: flags }, logLevel: 'silent' });
  try { return await e.recheckBacklog(); } finally { await e.close(); }
}

describe.skipIf(!available)('one sweeper across processes', () => {
  beforeAll(async () => {
    pg = await startPostgres();
    dir = tempDir('memdedup-sweep-lease-');
    flags = writeFlagsFile(dir, { 'memory.realtime-dedup': { name: 'memory.realtime-dedup', enabled: false, strategies: [] } });
    childFile = join(dir, 'child.mjs');
    writeFileSync(childFile, CHILD);
  });
  afterAll(() => pg?.stop());

  it('three processes asked to sweep at once decide each flagged memory exactly once', async () => {
    const { store, flagged } = await seed(60, 20_000);
    const kids = [0, 1, 2].map(() => spawnKid(store));
    await until(() => kids.every((k) => k.out.includes('ready\n')), 'children ready');
    for (const k of kids) k.p.stdin!.write('go\n');
    const codes = await Promise.all(kids.map((k) => k.done));
    expect(codes, kids.map((k) => k.err.slice(-300)).join(' | ')).toEqual([0, 0, 0]);
    const all = kids.flatMap(decidedIds);
    expect(all.length).toBe(flagged.length);
    expect(new Set(all)).toEqual(new Set(flagged));
    // One process did the pass; the others found nothing left once they got the lease.
    const checked = kids.map((k) => lines(k).find((l) => l.result)!.result!.checked);
    expect(checked.reduce((a, b) => a + b)).toBe(flagged.length);
    expect(checked.filter((n) => n > 0)).toHaveLength(1);
    expect(await backlog(store)).toBe(0);
  }, 180_000);

  it('another process takes over when the sweeping one dies, and finishes the pass', async () => {
    const { store, flagged } = await seed(400, 3000);
    const victim = spawnKid(store);
    const survivors = [spawnKid(store), spawnKid(store)];
    await until(() => [victim, ...survivors].every((k) => k.out.includes('ready\n')), 'children ready');
    victim.p.stdin!.write('go\n');
    await until(() => committedIds(victim).length > 0, 'the victim committing a first slice');
    for (const k of survivors) k.p.stdin!.write('go\n');
    victim.p.kill('SIGKILL');
    await victim.done;
    const byVictim = new Set(committedIds(victim));
    // Killed mid-pass, or this test would prove nothing.
    expect(byVictim.size).toBeGreaterThan(0);
    expect(byVictim.size).toBeLessThan(flagged.length);
    const codes = await Promise.all(survivors.map((k) => k.done));
    expect(codes, survivors.map((k) => k.err.slice(-300)).join(' | ')).toEqual([0, 0]);
    const bySurvivors = survivors.flatMap(decidedIds);
    expect(new Set(bySurvivors).size).toBe(bySurvivors.length);
    expect(bySurvivors.filter((id) => byVictim.has(id))).toEqual([]);
    expect(new Set([...byVictim, ...bySurvivors])).toEqual(new Set(flagged));
    expect(await backlog(store)).toBe(0);
  }, 240_000);
});
