// Bench: POST /api/memory/candidates with autocannon against `memdedup serve` in a child process
// (its own temp SQLite file and flags file), so the load generator does not share the server's event loop.
// Usage: node test/bench/httpRps.mjs [durationS=10] [connections=64] [off]   (needs `npm run build` first;
// `off`: memory.enabled off, the HTTP layer alone)
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FLAGS = ['memory.enabled', 'memory.realtime-dedup', 'memory.enhanced-prompts', 'memory.batch-processing', 'memory.circuit-breakers'];

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer(); s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

async function startServer(dir, memoryEnabled) {
  const flagsFile = join(dir, 'flags.json');
  const features = FLAGS.map((name) => ({ name, enabled: name !== 'memory.enabled' || memoryEnabled, strategies: [{ name: 'default', parameters: {} }] }));
  writeFileSync(flagsFile, JSON.stringify({ version: 1, features }));
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'memdedup.js'), 'serve'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), MEMDEDUP_DB: join(dir, 'bench.db'), MEMDEDUP_FLAGS_FILE: flagsFile,
      MEMDEDUP_API_TOKEN: '', MEMDEDUP_CONFIG: '', NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`memdedup serve exited ${child.exitCode}`);
    try { if ((await fetch(`${base}/healthz`)).ok) return { child, base }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('memdedup serve did not come up');
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch { return null; }
}

/**
 * Requests/s and p99 latency of POST /api/memory/candidates (one candidate per request, 1,000 users).
 * `memoryEnabled: false` turns memory.enabled off, so each request is only HTTP + validation + a flag
 * check (answer `disabled`): the HTTP layer's own cost, without the journal and the decisions.
 */
export async function httpRps({ durationS = 10, connections = 64, memoryEnabled = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'memdedup-bench-http-'));
  const { child, base } = await startServer(dir, memoryEnabled);
  try {
    let n = 0;
    const cpu0 = cpuSeconds(child.pid);
    const result = await autocannon({
      url: `${base}/api/memory/candidates`,
      method: 'POST',
      connections,
      duration: durationS,
      headers: { 'content-type': 'application/json' },
      requests: [{
        setupRequest: (req) => {
          n++;
          return { ...req, body: JSON.stringify({ userId: `bench-${n % 1000}`, text: `Owns a collection of ${n} antique maps from ${n % 97} countries` }) };
        },
      }],
    });
    const cpu1 = cpuSeconds(child.pid);
    const ok = result['2xx'];
    const non2xx = result.non2xx + result.errors + result.timeouts;
    return {
      rps: Math.round(result.requests.average),
      p99_ms: result.latency.p99,
      p50_ms: result.latency.p50,
      requests: result.requests.total,
      ok2xx: ok,
      failed: non2xx,
      // Server CPU per request (HTTP + journal + the background decisions it causes): comparable across
      // runs on a busy machine, where requests/s mostly measures the neighbours.
      server_cpu_ms_per_req: cpu0 === null || cpu1 === null || !ok ? null : Math.round(((cpu1 - cpu0) * 1000 / ok) * 1000) / 1000,
      connections,
      durationS,
      memoryEnabled,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => { if (child.exitCode !== null) r(); else child.once('exit', r); });
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const durationS = Number(process.argv[2] ?? 10);
  const connections = Number(process.argv[3] ?? 64);
  console.log(JSON.stringify(await httpRps({ durationS, connections, memoryEnabled: process.argv[4] !== 'off' })));
}
