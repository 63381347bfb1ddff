// scaling: the dedup helper's test/bench/scaling.mjs (the real Cascade, one user holding 1k / 10k / 100k memories),
// run as one of the bench's workloads.
import { main, progress, QUICK } from './lib/common.mjs';
import { scaling } from './scaling.mjs';

main(async () => {
  progress(0, 'one user: 1k / 10k / 100k memories');
  const rows = await scaling({ sizes: [1000, 10_000, 100_000], probes: QUICK ? 300 : 2000 });
  return {
    scaling: rows.map((r) => ({ memories: r.memories, decide_us_p50: r.decide_us_p50, decide_us_p99: r.decide_us_p99 })),
    scaling_detail: rows,
  };
});
