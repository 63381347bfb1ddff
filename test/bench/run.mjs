// `npm run bench [-- --quick] [-- --json] [-- --only a,b]`: runs each workload in its own process, shows progress
// on stderr, prints a table (and with --json one JSON line) on stdout; a full run writes BENCHMARKS.md and charts.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROOT } from './lib/common.mjs';
import { writeBenchmarks } from './lib/benchmarksMd.mjs';
import { machine, textTable } from './lib/report.mjs';

const WORKLOADS = [
  ['submit', 'submit.mjs'], ['loop-delay', 'loopDelay.mjs'], ['throughput', 'throughput.mjs'], ['scaling', 'scalingRun.mjs'],
  ['flags', 'flags.mjs'], ['breaker', 'breaker.mjs'], ['users', 'users1m.mjs'], ['http', 'httpRpsRun.mjs'],
];
/** Keys of `results` (the figures); everything else a workload returns is a detail. */
const FIGURES = new Set(['submit_us', 'loop_delay_ms', 'throughput_cps', 'throughput_inline_cps', 'throughput_by_workers', 'cpu_us_per_candidate', 'decision_ms', 'throughput_naive_cps', 'throughput_ratio',
  'scaling', 'flag_eval_us', 'breaker_fastfail_us', 'users_1m', 'http_rps']);

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1]).split(',') : null;
const selected = WORKLOADS.filter(([name]) => !only || only.includes(name));

const tty = process.stderr.isTTY;
function show(line, final = false) {
  if (tty) process.stderr.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
  else process.stderr.write(`${line}\n`);
}
const bar = (x) => { const n = Math.round(Math.max(0, Math.min(1, x)) * 20); return `[${'#'.repeat(n)}${'.'.repeat(20 - n)}]`; };

function runWorkload(i, name, file) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const prefix = `[${i + 1}/${selected.length}] ${name.padEnd(10)}`;
    const child = fork(fileURLToPath(new URL(file, import.meta.url)), quick ? ['--quick'] : [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    child.stdout.on('data', (d) => process.stderr.write(d));
    let outcome = null;
    let lastLine = 0;
    child.on('message', (m) => {
      if (m.type === 'progress') {
        const secs = ((Date.now() - t0) / 1000).toFixed(0);
        // Without a terminal, one line every few seconds is enough.
        if (tty || Date.now() - lastLine > 5000) { lastLine = Date.now(); show(`${prefix} ${bar(m.fraction)} ${secs}s ${m.label}`); }
      } else if (m.type === 'result') outcome = { value: m.value };
      else if (m.type === 'error') outcome = { error: m.message };
    });
    child.on('exit', (code, signal) => {
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      if (!outcome) outcome = { error: `exited with ${code ?? signal} and no result` };
      show(`${prefix} ${outcome.error ? 'FAILED' : 'done'} in ${secs}s${outcome.error ? `: ${outcome.error.split('\n')[0]}` : ''}`, true);
      if (outcome.error) process.stderr.write(`${outcome.error}\n`);
      resolve(outcome);
    });
  });
}

const m = machine();
process.stderr.write(`memdedup bench${quick ? ' --quick' : ''}: ${m.cpu}, ${m.cores} cores, Node ${m.node}, load ${m.load_at_start.join(' ')}\n`);
const t0 = Date.now();
const results = {};
const details = {};
const failed = [];
for (const [i, [name, file]] of selected.entries()) {
  const o = await runWorkload(i, name, file);
  if (o.error) { failed.push(name); continue; }
  for (const [k, v] of Object.entries(o.value)) (FIGURES.has(k) ? results : details)[k] = v;
}
const seconds = (Date.now() - t0) / 1000;

process.stdout.write(`\n${textTable(results)}\n\n${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.date}, ${seconds.toFixed(0)} s${quick ? ' (--quick: smaller sizes)' : ''}\n`);
if (!quick && !only && failed.length === 0) {
  const charts = writeBenchmarks(ROOT, { results, details, machine: m, seconds });
  process.stderr.write(`wrote BENCHMARKS.md and test/bench/results/{${charts.join(',')}}\n`);
}
if (failed.length) process.stderr.write(`failed: ${failed.join(', ')}\n`);
if (json) process.stdout.write(`${JSON.stringify({ results, details, machine: m, quick, seconds: Math.round(seconds) })}\n`);
process.exitCode = failed.length ? 1 : 0;
