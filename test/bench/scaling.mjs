// scaling: one decision (prepare + cascade decide against the user's in-memory index) for one user holding
// 1k, 10k and 100k memories. The index is built once per size, as the engine's index cache holds it between batches.
import { dist, main, progress, QUICK, round, summary } from './lib/common.mjs';
import { canon, candidateText, distinctFacts, kind } from './lib/facts.mjs';
import { rng } from './lib/rng.mjs';

const SIZES = [1000, 10_000, 100_000];
const QUERIES = QUICK ? 300 : 2000;

main(async () => {
  const { Cascade } = await dist('dedup/cascade.js');
  const { DEFAULT_OPTIONS } = await dist();
  const deduper = new Cascade({ topK: DEFAULT_OPTIONS.topK });
  const r = rng(5);
  const facts = distinctFacts(SIZES[SIZES.length - 1], r);
  const out = [];
  for (const [s, size] of SIZES.entries()) {
    progress(s / SIZES.length, `building an index of ${size} memories`);
    const mine = facts.slice(0, size);
    const index = await deduper.createIndex(mine.map((f, i) => ({ id: `m${i}`, text: canon(f) })));
    const queries = Array.from({ length: QUERIES }, () => candidateText(kind(r), mine, r));
    for (const q of queries.slice(0, 50)) await deduper.decide((await deduper.prepare([q]))[0], index); // warm-up
    const us = new Float64Array(QUERIES);
    for (let i = 0; i < QUERIES; i++) {
      const t = performance.now();
      const [p] = await deduper.prepare([queries[i]]);
      await deduper.decide(p, index);
      us[i] = (performance.now() - t) * 1000;
      if (i % 100 === 0) progress((s + i / QUERIES) / SIZES.length, `${size} memories: ${i}/${QUERIES} decisions`);
    }
    const sm = summary(us);
    out.push({ memories: size, decide_us_p50: round(sm.p50, 1), decide_us_p99: round(sm.p99, 1) });
  }
  return { scaling: out };
});
