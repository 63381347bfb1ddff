// Shared by every workload: the built package, percentiles, progress/result reporting to the runner, temp dirs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const QUICK = process.argv.includes('--quick');

/** Imports a module of the build: the bench measures dist/, what users run. */
export function dist(path = 'index.js') {
  return import(pathToFileURL(join(ROOT, 'dist', path)).href);
}

export function tempDir(prefix = 'memdedup-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => { try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ } });
  return dir;
}

const SEED_FLAGS = ['memory.enabled', 'memory.realtime-dedup', 'memory.enhanced-prompts', 'memory.batch-processing', 'memory.circuit-breakers'];

/** A client-features flags file with the seed's five flags on. */
export function writeFlags(dir) {
  const file = join(dir, 'flags.json');
  const features = SEED_FLAGS.map((name) => ({ name, enabled: true, strategies: [{ name: 'default', parameters: {} }] }));
  writeFileSync(file, JSON.stringify({ version: 1, features }));
  return file;
}

/** Engine options for a bench: a SQLite file in `dir`, the flags file, quiet logs; `extra` wins. */
export function engineOptions(dir, extra = {}) {
  return { store: { kind: 'sqlite', path: join(dir, 'bench.db') }, flags: { kind: 'embedded', file: writeFlags(dir), watch: false },
    logLevel: 'silent', ...extra };
}

/** Nearest-rank percentile of numbers (sorted in place if `sorted` is false). */
export function percentile(values, p, sorted = false) {
  if (values.length === 0) return NaN;
  const a = sorted ? values : Float64Array.from(values).sort();
  const i = Math.min(a.length - 1, Math.max(0, Math.ceil((p / 100) * a.length) - 1));
  return a[i];
}

export function summary(values) {
  const a = Float64Array.from(values).sort();
  return { p50: percentile(a, 50, true), p99: percentile(a, 99, true), max: a[a.length - 1] };
}

export const round = (x, digits = 2) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const tick = () => new Promise((r) => setImmediate(r));

let lastProgress = 0;
/** Reports progress to the runner (fraction 0..1), at most every 100 ms. */
export function progress(fraction, label = '') {
  const now = Date.now();
  if (now - lastProgress < 100 && fraction < 1) return;
  lastProgress = now;
  if (process.send) process.send({ type: 'progress', fraction, label });
  else process.stderr.write(`  ${(fraction * 100).toFixed(0)}% ${label}\n`);
}

/** Hands the workload's figures to the runner and ends the process (open handles must not keep it alive). */
export function result(value) {
  const done = () => process.exit(0);
  if (process.send) process.send({ type: 'result', value }, done);
  else { process.stdout.write(JSON.stringify(value) + '\n'); done(); }
}

/** Runs a workload's main function, reporting a failure to the runner. */
export function main(fn) {
  // Keeps the process alive until the result is sent: engine.close() awaits a worker thread (the SQLite
  // checkpointer) that is unref'd, and with nothing else pending Node would exit before close() resolves.
  setInterval(() => {}, 60_000);
  fn().then(result, (e) => {
    const message = String(e?.stack ?? e);
    if (process.send) process.send({ type: 'error', message }, () => process.exit(1));
    else { process.stderr.write(message + '\n'); process.exit(1); }
  });
}
