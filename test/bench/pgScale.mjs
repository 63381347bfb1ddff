// Throughput of three engine processes sharing one PostgreSQL vs one process on SQLite, same workload:
// `total` distinct candidates across `users` users, submitted at once, timed until every one is decided.
// Usage: node test/bench/pgScale.mjs [total] [users]   (build first: npm run build; needs the postgresql package)
// Exported for the bench runner: pgScale({ total, users }) -> { pg3_cps, sqlite1_cps, total, users, pg3_s, sqlite1_s }
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = pathToFileURL(join(root, 'dist', 'index.js')).href;

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer(); s.unref(); s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

/** A throwaway cluster (initdb in a temp dir, free port), as the tests start theirs. */
async function startPostgres() {
  const base = '/usr/lib/postgresql';
  const v = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  const bin = v ? join(base, v, 'bin') : '';
  if (!bin || !existsSync(join(bin, 'initdb'))) throw new Error('PostgreSQL binaries not found (apt-get install -y postgresql)');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'memdedup-bench-pg-'));
  const data = join(dir, 'data');
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  const run = (cmd, args) => (asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' }) : execFileSync(join(bin, cmd), args, { stdio: 'pipe' }));
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  // Durable settings (fsync on): the comparison is against SQLite with synchronous=NORMAL in WAL mode.
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100`, 'start']);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop() { try { run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']); } catch { /* down */ } rmSync(dir, { recursive: true, force: true }); } };
}

const CHILD = `
  const mod = await import(process.env.DIST);
  const [tag, n, users] = process.argv.slice(2);
  const engine = await mod.createEngine({ store: JSON.parse(process.env.STORE), flags: { kind: 'embedded', file: process.env.FLAGS } });
  process.stdout.write('ready\\n');
  await new Promise((r) => process.stdin.once('data', r));
  const subs = Array.from({ length: Number(n) }, (_, i) => engine.submit({ userId: 'u' + (i % Number(users)), text: 'Bench fact ' + tag + ' number ' + i + ' about topic ' + (i % 97), id: tag + '-' + i }));
  await Promise.all(subs.map((s) => s.decided));
  process.stdout.write('done\\n');
  await engine.close();
  process.stdin.destroy();
`;

/** Starts `procs` children on `store`, releases them together, resolves with the seconds until all decided. */
async function runProcs(dir, store, procs, perProc, users) {
  const file = join(dir, 'bench-child.mjs');
  writeFileSync(file, CHILD);
  const flags = join(dir, 'flags.json');
  writeFileSync(flags, JSON.stringify({ version: 1, features: ['memory.enabled', 'memory.realtime-dedup', 'memory.enhanced-prompts', 'memory.batch-processing', 'memory.circuit-breakers']
    .map((name) => ({ name, enabled: true, strategies: [{ name: 'default', parameters: {} }] })) }));
  const kids = Array.from({ length: procs }, (_, i) => {
    const p = spawn(process.execPath, [file, `p${i}`, String(perProc), String(users)], { stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, DIST, STORE: JSON.stringify(store), FLAGS: flags } });
    p.out = ''; p.err = '';
    p.stdout.on('data', (d) => { p.out += d; }); p.stderr.on('data', (d) => { p.err += d; });
    p.exited = new Promise((r) => p.on('exit', r));
    return p;
  });
  const until = async (word) => { while (!kids.every((k) => k.out.includes(word))) {
    if (kids.some((k) => k.exitCode !== null && !k.out.includes(word))) throw new Error(`bench child failed: ${kids.map((k) => k.err.slice(-300)).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 5));
  } };
  await until('ready');
  const t0 = performance.now();
  for (const k of kids) k.stdin.write('go\n');
  await until('done');
  const s = (performance.now() - t0) / 1000;
  await Promise.all(kids.map((k) => k.exited));
  return s;
}

export async function pgScale({ total = 30000, users = 2000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'memdedup-bench-'));
  const sqlite1_s = await runProcs(dir, { kind: 'sqlite', path: join(dir, 'bench.db') }, 1, total, users);
  const pg = await startPostgres();
  let pg3_s;
  try {
    pg3_s = await runProcs(dir, { kind: 'postgres', connectionString: pg.url, schema: 'bench' }, 3, Math.ceil(total / 3), users);
  } finally { pg.stop(); rmSync(dir, { recursive: true, force: true }); }
  const r = (x) => Math.round(x * 10) / 10;
  return { pg3_cps: r(total / pg3_s), sqlite1_cps: r(total / sqlite1_s), total, users, pg3_s: r(pg3_s), sqlite1_s: r(sqlite1_s) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [total, users] = process.argv.slice(2).map(Number);
  console.log(JSON.stringify(await pgScale({ total: total || undefined, users: users || undefined })));
}
