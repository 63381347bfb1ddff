// Decision time for ONE user holding 1k / 10k / 100k memories (built-in tiers, the real Cascade).
// Usage: node test/bench/scaling.mjs [sizes...]   (build first: npm run build)
// Exported for the bench runner: scaling({ sizes }) -> [{ memories, decide_us_p50, decide_us_p99, cpu_us_p50, cpu_us_p99, index_build_ms, heap_mb }]
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { Cascade } = await import(pathToFileURL(join(root, 'dist', 'dedup', 'cascade.js')).href);

// A deterministic generator of varied, fact-like sentences (no data set involved).
function rng(seed) {
  return () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
const VERBS = ['likes', 'owns', 'collects', 'plays', 'studies', 'visits', 'cooks', 'repairs', 'reads about', 'writes about', 'teaches', 'builds', 'sells', 'paints', 'rides'];
const SYL = ['ka', 'lo', 'mi', 'ra', 'te', 'su', 'no', 'vi', 'da', 'pe', 'zo', 'bu', 'ga', 'ri', 'fe', 'ha', 'jo', 'wu', 'xe', 'qi'];
const MODS = ['on weekends', 'every morning', 'with friends', 'at home', 'in the city', 'for work', 'since childhood', 'twice a week'];
function word(r) { let w = ''; const n = 2 + Math.floor(r() * 3); for (let i = 0; i < n; i++) w += SYL[Math.floor(r() * SYL.length)]; return w; }
function fact(r, lexicon) {
  const pick = (a) => a[Math.floor(Math.pow(r(), 2) * a.length)]; // skewed: some words are common
  return `${pick(VERBS)} ${pick(lexicon)} ${pick(lexicon)} ${r() < 0.5 ? pick(MODS) : ''}`.trim();
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export async function scaling({ sizes = [1000, 10000, 100000], probes = 500 } = {}) {
  const out = [];
  for (const n of sizes) {
    const r = rng(n);
    const lexicon = Array.from({ length: Math.max(2000, n / 5) }, () => word(r));
    const memories = Array.from({ length: n }, (_, i) => ({ id: `m${i}`, text: fact(r, lexicon) }));
    const cascade = new Cascade({ topK: 8 });
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const index = await cascade.createIndex(memories);
    const buildMs = performance.now() - t0;
    const heapMb = (process.memoryUsage().heapUsed - heap0) / 1048576;
    // Candidates: half near-copies of stored memories, half new facts.
    const cands = Array.from({ length: probes }, (_, i) => (i % 2 ? memories[Math.floor(r() * n)].text + ' lately' : fact(r, lexicon)));
    const prepared = await cascade.prepare(cands);
    for (const p of prepared.slice(0, 50)) await cascade.decide(p, index); // warm-up (JIT, WordNet pages)
    const times = [], cpu = [];
    for (const p of prepared) {
      const s = performance.now(), c = process.cpuUsage();
      await cascade.decide(p, index);
      times.push((performance.now() - s) * 1000);
      const d = process.cpuUsage(c);
      cpu.push(d.user + d.system);
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    out.push({ memories: n, decide_us_p50: Math.round(pct(times, 50)), decide_us_p99: Math.round(pct(times, 99)),
      // CPU time is what the decision costs; wall time also counts other processes on a busy machine.
      cpu_us_p50: Math.round(pct(cpu, 50)), cpu_us_p99: Math.round(pct(cpu, 99)),
      index_build_ms: Math.round(buildMs), heap_mb: Math.round(heapMb) });
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
  const rows = await scaling(sizes.length ? { sizes } : {});
  console.table(rows);
  console.log(JSON.stringify(rows));
}
