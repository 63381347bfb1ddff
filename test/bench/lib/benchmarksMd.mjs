// Writes BENCHMARKS.md and the charts of a full run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownTable } from './report.mjs';
import { barChart, lineChart } from './svg.mjs';

export function writeCharts(dir, r) {
  mkdirSync(dir, { recursive: true });
  const files = [];
  if (r.scaling?.length) {
    writeFileSync(join(dir, 'scaling.svg'), lineChart({
      title: 'One decision vs memories held by the user', xLabel: 'memories of the user', yLabel: 'decision time (µs)',
      series: [{ name: 'p50', points: r.scaling.map((s) => [s.memories, s.decide_us_p50]) },
        { name: 'p99', points: r.scaling.map((s) => [s.memories, s.decide_us_p99]) }] }));
    files.push('scaling.svg');
  }
  if (r.throughput_cps && r.throughput_naive_cps) {
    writeFileSync(join(dir, 'throughput.svg'), barChart({
      title: 'End-to-end throughput, same store and stream', unit: 'candidates/s',
      bars: [{ name: 'engine (lanes, batches)', value: r.throughput_cps, note: `×${r.throughput_ratio}` },
        { name: 'naive (one at a time)', value: r.throughput_naive_cps }] }));
    files.push('throughput.svg');
  }
  if (r.loop_delay_ms) {
    writeFileSync(join(dir, 'loop-delay.svg'), barChart({
      title: 'Host event-loop delay p99 (chat handler: 1 ms every 5 ms)', unit: 'ms',
      bars: [{ name: 'engine idle', value: r.loop_delay_ms.idle_p99 }, { name: 'engine flat out', value: r.loop_delay_ms.loaded_p99 }] }));
    files.push('loop-delay.svg');
  }
  return files;
}

export function benchmarksMd({ results, details, machine, charts, seconds }) {
  const m = machine;
  return `# Benchmarks

Produced by \`npm run bench\` (${Math.round(seconds)} s). Regenerate on a quiet machine: every figure is a median or percentile of
one run, and ratios compare workloads of the same run. Nothing here is asserted in tests.

- **Machine:** ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB, ${m.platform}
- **Node:** ${m.node}
- **Date:** ${m.date}
- **Load average at start:** ${m.load_at_start.join(' / ')} (1/5/15 min; above ~0.5 the figures are noisy)

${markdownTable(results)}

${charts.map((c) => `![${c}](test/bench/results/${c})`).join('\n')}

## What each workload does

Everything runs against the build (\`dist/\`), each workload in its own process, on SQLite files in a temp directory.
Facts are synthetic: attribute templates × values × contexts × frequencies, plus named relations (test/bench/lib/facts.mjs).

- **submit_us**: ${details.submit_detail?.submissions ?? '?'} \`engine.submit()\` calls timed one by one, in bursts of 500 per event-loop turn,
  while the engine decides what came before (the bench keeps the backlog under 80 % of \`journalLimit\` so every call is an acceptance).
- **loop_delay_ms**: \`perf_hooks.monitorEventLoopDelay\` (1 ms resolution) with a synthetic chat handler doing 1 ms of work every 5 ms;
  first with the engine idle, then while it works through a backlog of seeded users' candidates.
- **throughput_cps / decision_ms**: ${details.throughput_detail?.users ?? '?'} users × ${details.throughput_detail?.memories_per_user ?? '?'} seeded memories,
  ${details.throughput_detail?.candidates ?? '?'} candidates (40 % surface duplicates, 20 % reworded, 10 % refinements, 5 % conflicts, 25 % new),
  users by Zipf (s = 1), priorities 10/70/20 high/normal/low, submitted as fast as accepted; throughput = candidates / (first submit → last
  decision, durable). Decision latency is submit → decided promise.
- **throughput_naive_cps**: the same seeded store (a copy) and the same stream, the seed's way (test/bench/naive.mjs): one candidate at a time,
  no lanes, no batching, no cache: the user's memories loaded fresh from the store, every one prepared and scored (full scan) with the engine's own
  normalize/featurize/cosine/policy, committed alone through the engine's decideBatch. It stops after ${details.throughput_detail?.naive_candidates ?? '?'}
  candidates (a prefix of the stream, where users hold fewer memories than later: this favours the baseline).
- **scaling**: test/bench/scaling.mjs (from the dedup work): one user's index of 1k / 10k / 100k generated fact-like sentences in the
  engine's Cascade, built once as the index cache would hold it; a decision is the cascade's decide of one prepared candidate (half near-copies,
  half new); wall time here, CPU time in the details.
- **flag_eval_us**: \`createFlags\` embedded, \`isEnabled('memory.realtime-dedup', { userId })\` with a 50 % gradual rollout; timed in groups of 100.
- **breaker_fastfail_us**: ${details.breaker_detail?.source ?? ''}.
- **users_1m**: distinct users each submitting one candidate, 1 % failing (${details.users_1m_detail?.injection ?? ''}); peak RSS is the
  process's maxRSS, idle CPU is measured for a few seconds after the last decision.
- **http_rps**: test/bench/httpRps.mjs (from the HTTP work): autocannon, 64 connections, POST /api/memory/candidates with one candidate per request, against \`memdedup serve\` in a child process.

## Details of this run

\`\`\`json
${JSON.stringify(details, null, 2)}
\`\`\`
`;
}

export function writeBenchmarks(root, run) {
  const charts = writeCharts(join(root, 'test/bench/results'), run.results);
  writeFileSync(join(root, 'BENCHMARKS.md'), benchmarksMd({ ...run, charts }));
  return charts;
}
