// The readable table, the machine description and BENCHMARKS.md.
import { cpus, loadavg, totalmem } from 'node:os';

export function machine() {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, platform: `${process.platform} ${process.arch}`,
    memory_gb: Math.round(totalmem() / 2 ** 30), load_at_start: loadavg().map((x) => Number(x.toFixed(2))), date: new Date().toISOString() };
}

const f = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : typeof x === 'number' ? x.toLocaleString('en-US', { maximumFractionDigits: d }) : String(x));

/** Rows of [figure, measured, budget, seed]. */
export function rows(r) {
  const out = [];
  const add = (figure, value, budget = '', seed = '') => out.push([figure, value, budget, seed]);
  if (r.submit_us) add('submit() µs p50 / p99 / max', `${f(r.submit_us.p50, 2)} / ${f(r.submit_us.p99, 2)} / ${f(r.submit_us.max)}`, 'p99 ≤ 20');
  if (r.loop_delay_ms) add('event-loop delay p99 ms, idle → loaded (defaults)', `${f(r.loop_delay_ms.idle_p99, 2)} → ${f(r.loop_delay_ms.loaded_p99, 2)} (×${f(r.loop_delay_ms.ratio, 2)})`, 'within 2 ms of idle', 'alert at > 10 % chat impact');
  if (r.loop_delay_ms?.inline_loaded_p99 !== undefined) add('event-loop delay p99 ms, loaded, thread inline', f(r.loop_delay_ms.inline_loaded_p99, 2));
  if (r.throughput_cps) add('throughput, candidates/s (engine, defaults)', f(r.throughput_cps, 0), '≥ 5,000; ≥ inline', '650 ms per item');
  if (r.throughput_inline_cps) add('throughput, candidates/s (thread inline)', f(r.throughput_inline_cps, 0));
  if (r.throughput_by_workers) {
    const w = r.throughput_by_workers;
    add('throughput, candidates/s by workers', w.map((x) => `${x.workers}: ${f(x.cps, 0)}`).join(', ') + (w.length > 1 ? ` (×${f(w[1].cps / w[0].cps, 2)})` : ''), '2 ≥ 1.6× 1');
  }
  if (r.cpu_us_per_candidate) add('CPU µs per decided candidate (process, defaults)', f(r.cpu_us_per_candidate, 0), '≤ 250');
  if (r.throughput_naive_cps) add('throughput, candidates/s (naive, one at a time)', `${f(r.throughput_naive_cps, 1)} (engine ×${f(r.throughput_ratio, 1)})`, 'engine ≥ 10× naive');
  if (r.decision_ms) {
    add('submit → decided ms p50 / p99', `${f(r.decision_ms.p50)} / ${f(r.decision_ms.p99)}`);
    const b = r.decision_ms.by_priority;
    add('submit → decided p99 ms high / normal / low', `${f(b.high)} / ${f(b.normal)} / ${f(b.low)}`);
  }
  for (const s of r.scaling ?? []) add(`decision µs p50 / p99, ${f(s.memories, 0)} memories`, `${f(s.decide_us_p50)} / ${f(s.decide_us_p99)}`, s.memories === 100_000 ? 'p50 ≤ 2,000' : '');
  if (r.flag_eval_us) add('flag evaluation µs p50', f(r.flag_eval_us.p50, 3), '≤ 5', '36,000');
  if (r.breaker_fastfail_us) add('open-breaker rejection µs p50', f(r.breaker_fastfail_us.p50, 2), '≤ 10', '26,000');
  if (r.users_1m) {
    const u = r.users_1m;
    add(`${f(u.users, 0)} users: peak RSS MB`, f(u.rss_mb, 0), '≤ 400', 'unbounded maps');
    add(`${f(u.users, 0)} users: live breakers / idle CPU % / wall s`, `${f(u.live_breakers, 0)} / ${f(u.idle_cpu_pct, 2)} / ${f(u.wall_s)}`, 'breakers ≤ cap');
  }
  if (r.http_rps) add('POST /api/memory/candidates req/s, p99 ms (64 conns)', `${f(r.http_rps.rps, 0)}, ${f(r.http_rps.p99_ms)}`, '≥ 5,000, ≤ 50');
  if (r.http_rps?.rps_memory_off) add('… the HTTP layer alone (memory.enabled off), req/s', `${f(r.http_rps.rps_memory_off, 0)} (memory on ×${f(r.http_rps.rps / r.http_rps.rps_memory_off, 2)})`, 'on ≥ 0.9× off');
  return out;
}

/** A plain-text table for the terminal. */
export function textTable(r) {
  const head = ['figure', 'measured', 'budget', 'seed'];
  const all = [head, ...rows(r)];
  const w = head.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row) => row.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows(r).map(line)].join('\n');
}

export function markdownTable(r) {
  return ['| figure | measured | budget | seed |', '| --- | --- | --- | --- |', ...rows(r).map((row) => `| ${row.join(' | ')} |`)].join('\n');
}
