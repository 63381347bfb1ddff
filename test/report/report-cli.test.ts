// `memdedup report` end to end through the built bin (build first), next to a live engine that keeps its
// store open: exact per-policy counts on SQLite and on PostgreSQL, --since, --html, progress, clear errors.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { Report } from '../../src/report/aggregate.js';
import { policySplit, tempDir, testEngine } from '../helpers/engine.js';
import { hasPostgres, startPostgres, type RunningPostgres } from '../helpers/postgres.js';

const BIN = join(__dirname, '..', '..', 'bin', 'memdedup.js');

function report(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const { DATABASE_URL: _u, MEMDEDUP_DB: _d, ...base } = process.env;
    const child = spawn(process.execPath, [BIN, 'report', ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

interface Done { decided: Record<string, number>; undone: Record<string, number>; merges: Record<string, number> }

/**
 * 30 users split strict/default; each adds a fact, repeats it (an exact duplicate) and adds another fact;
 * a third of the duplicates are undone, and one merged memory is forgotten right after its merge.
 */
async function workload(engine: Engine): Promise<Done> {
  const done: Done = { decided: {}, undone: {}, merges: {} };
  const inc = (m: Record<string, number>, k: string) => { m[k] = (m[k] ?? 0) + 1; };
  for (let u = 0; u < 30; u++) {
    const userId = `r-${u}`;
    const ds = [];
    for (const text of ['Plays the cello in an orchestra', 'plays the cello in an orchestra.', 'Writes poems about the sea']) {
      ds.push(await engine.submit({ userId, text }).decided);
    }
    for (const d of ds) { inc(done.decided, d.policy!); if (d.action === 'duplicate' || d.action === 'updated') inc(done.merges, d.policy!); }
    const dup = ds[1]!;
    expect(dup.action).toBe('duplicate');
    if (u % 3 === 0) { await engine.undo(dup.eventId!); inc(done.undone, dup.policy!); }
    if (u === 1) await engine.forget(userId, dup.memoryId!);
  }
  return done;
}

function checkCounts(j: Report, done: Done): void {
  const total = (m: Record<string, number>) => Object.values(m).reduce((s, n) => s + n, 0);
  expect(j.decisions.total).toBe(total(done.decided));
  expect(j.reversals.total).toBe(total(done.undone));
  expect(j.reversals.undoEvents).toBe(total(done.undone));
  expect(j.reversals.forgetsAfterMerge).toBe(1);
  expect(j.reversals.byAction.duplicate).toMatchObject({ decisions: 30, reversals: total(done.undone) });
  expect(j.reversals.topReasons[0]).toMatchObject({ reason: 'exact-match', reversals: total(done.undone), decisions: 30 });
  expect(Object.keys(j.policies).sort()).toEqual(Object.keys(done.decided).sort());
  for (const [name, n] of Object.entries(done.decided)) {
    expect(j.policies[name]).toMatchObject({ decisions: n, reversals: done.undone[name] ?? 0 });
    expect(j.policies[name]!.merges).toMatchObject({ decisions: done.merges[name] ?? 0, reversals: done.undone[name] ?? 0 });
  }
  expect(j.daily.reduce((s, d) => s + d.decisions, 0)).toBe(j.decisions.total);
}

const POLICIES = { policies: { strict: { thresholds: { duplicate: 0.9 } } } };

describe('on SQLite, next to a live engine', () => {
  let engine: Engine;
  let dbPath: string;
  let done: Done;
  beforeAll(async () => {
    ({ engine, dbPath } = await testEngine({ dedup: POLICIES, flagOverrides: policySplit({ strict: 500, default: 500 }) }));
    done = await workload(engine);
  }, 60_000);
  afterAll(async () => { await engine.close(); });

  it('reports per-policy decisions and reversals exactly, while the engine holds the store', async () => {
    expect(done.decided.strict).toBeGreaterThan(0);
    expect(done.decided.default).toBeGreaterThan(0);
    const r = await report(['--db', dbPath, '--json', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    checkCounts(JSON.parse(r.out) as Report, done);
    // The engine still decides while the report reads.
    expect((await engine.submit({ userId: 'after', text: 'Knits scarves' }).decided).action).toBe('added');
  });

  it('reads MEMDEDUP_DB without --db, and --since leaves out decisions before it', async () => {
    const all = JSON.parse((await report(['--json'], { MEMDEDUP_DB: dbPath })).out) as Report;
    expect(all.decisions.total).toBeGreaterThanOrEqual(90);
    const later = JSON.parse((await report(['--json', '--since', new Date(Date.now() + 60_000).toISOString()], { MEMDEDUP_DB: dbPath })).out) as Report;
    expect(later).toMatchObject({ decisions: { total: 0 }, reversals: { total: 0 }, policies: {} });
  });

  it('writes one self-contained HTML page with SVG charts, and prints tables without --json', async () => {
    const file = join(tempDir(), 'report.html');
    const r = await report(['--db', dbPath, '--html', file]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/policies side by side\n\s+policy\s+decisions/);
    const html = readFileSync(file, 'utf8');
    expect(html.match(/<svg /g)?.length).toBe(5);
    expect(html).toContain('Reversal rate by action and policy');
    // Nothing to fetch: no scripts, no links, no external sources (xmlns is a name, not a request).
    expect(html).not.toMatch(/<script|<link|src=|href=|url\(/i);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
  });

  it('draws progress on stderr when asked, and not on a small store by default', async () => {
    const forced = await report(['--db', dbPath, '--json', '--progress']);
    expect(forced.err).toMatch(/events \[#+\]\s+100% \d+\/\d+/);
    const quiet = await report(['--db', dbPath, '--json']);
    expect(quiet.err).toBe('');
  });

  it('answers bad input with a message and exit code 2', async () => {
    const missing = await report(['--db', join(tempDir(), 'nope.db'), '--json']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot open the SQLite store .*nope\.db/);
    const since = await report(['--db', dbPath, '--since', 'yesterday']);
    expect(since.code).toBe(2);
    expect(since.err).toMatch(/--since must be a duration \(24h, 7d\) or an ISO date/);
    const unknown = await report(['--db', dbPath, '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(existsSync(dbPath)).toBe(true);
  });
});

const pgAvailable = hasPostgres();
describe.skipIf(!pgAvailable)('on PostgreSQL, next to a live engine', () => {
  let server: RunningPostgres | undefined;
  let engine: Engine | undefined;
  beforeAll(async () => { server = await startPostgres(); }, 60_000);
  afterAll(async () => { await engine?.close(); server?.stop(); });

  it('reports the same counts through DATABASE_URL and MEMDEDUP_PG_SCHEMA', async () => {
    const schema = 'report_test';
    ({ engine } = await testEngine({ store: { kind: 'postgres', connectionString: server!.url, schema }, dedup: POLICIES,
      flagOverrides: policySplit({ strict: 500, default: 500 }) }));
    const done = await workload(engine);
    const r = await report(['--json'], { DATABASE_URL: server!.url, MEMDEDUP_PG_SCHEMA: schema });
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as Report;
    expect(j.store).toBe('postgres');
    checkCounts(j, done);
  }, 120_000);
});
