// Per-call cost of the hot-path metric updates (ns), measured on a real engine's listeners.
// Run: npm run build && node test/bench/metrics-overhead.mjs   (a measurement, never a test assertion)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counter, Histogram, Registry } from 'prom-client';
import { createEngine } from '../../dist/index.js';
import { EngineEvents } from '../../dist/engineEvents.js';

const N = Number(process.env.N ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'memdedup-overhead-'));
const names = ['memory.enabled', 'memory.realtime-dedup', 'memory.enhanced-prompts', 'memory.batch-processing', 'memory.circuit-breakers'];
writeFileSync(join(dir, 'flags.json'), JSON.stringify({ version: 1, features: names.map((name) => ({ name, enabled: true, strategies: [{ name: 'default', parameters: {} }] })) }));
const engine = await createEngine({ store: { kind: 'sqlite', path: ':memory:' }, flags: { kind: 'embedded', file: join(dir, 'flags.json') }, logLevel: 'info' });

const candidate = { id: 'c1', userId: 'u1', text: 'x', priority: 'normal', acceptedAt: Date.now(), attempts: 0 };
const decision = { candidateId: 'c1', userId: 'u1', action: 'duplicate', method: 'exact' };
const batch = { userId: 'u1', size: 10, durationMs: 3.2, mode: 'full', counts: { duplicate: 10 } };

/** ns per call: the best of 5 rounds, since other processes on the machine only ever add time. */
function time(fn) {
  for (let i = 0; i < 50_000; i++) fn(i); // warm up
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N / 5; i++) fn(i);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / (N / 5));
  }
  return best;
}

const bare = new EngineEvents();
const r = new Registry();
const counter = new Counter({ name: 'x_total', help: 'x', labelNames: ['action', 'method'], registers: [r] });
const hist = new Histogram({ name: 'x_seconds', help: 'x', labelNames: ['priority'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300], registers: [r] });
const rawIsEnabled = Object.getPrototypeOf(engine.flags).isEnabled.bind(engine.flags);

const rows = {
  'emit with no listener (baseline)': time(() => bare.safeEmit('decided', { candidate, decision, latencyMs: 40 })),
  "'decided': counter + latency histogram": time(() => engine.emitter.safeEmit('decided', { candidate, decision, latencyMs: 40 })),
  "'submitted': counter": time(() => engine.emitter.safeEmit('submitted', { candidate, status: 'accepted' })),
  "'batch': 2 histograms + pino line skipped at level warn": (engine.logger.level = 'warn', time(() => engine.emitter.safeEmit('batch', batch))),
  'prom-client counter.inc(2 labels)': time(() => counter.inc({ action: 'duplicate', method: 'exact' })),
  'prom-client histogram.observe(1 label)': time((i) => hist.observe({ priority: 'normal' }, (i % 100) / 1000)),
  'flags.isEnabled unwrapped': time(() => rawIsEnabled('memory.enabled', { userId: 'u1' }, true)),
  'flags.isEnabled counted': time(() => engine.flags.isEnabled('memory.enabled', { userId: 'u1' }, true)),
};
const base = rows['emit with no listener (baseline)'];
for (const [k, ns] of Object.entries(rows)) console.log(`${k.padEnd(58)} ${ns.toFixed(0).padStart(6)} ns/call`);
console.log(`metric update cost, 'decided' minus baseline: ${(rows["'decided': counter + latency histogram"] - base).toFixed(0)} ns`);
console.log(`flag counting cost: ${(rows['flags.isEnabled counted'] - rows['flags.isEnabled unwrapped']).toFixed(0)} ns`);
await engine.close();
