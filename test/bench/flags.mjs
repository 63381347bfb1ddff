// flag_eval_us: one isEnabled() of createFlags in embedded mode (unleash-client evaluating locally).
// Timed in groups of 100 calls, since one call is near the timer's resolution; p50 of the per-call mean.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dist, main, progress, QUICK, round, summary, tempDir } from './lib/common.mjs';

const GROUPS = QUICK ? 5000 : 20_000;
const PER_GROUP = 100;

main(async () => {
  const dir = tempDir();
  const file = join(dir, 'flags.json');
  // The seed's five flags; realtime-dedup on a 50 % gradual rollout by user, so each call hashes the user id.
  const features = ['memory.enabled', 'memory.realtime-dedup', 'memory.enhanced-prompts', 'memory.batch-processing', 'memory.circuit-breakers']
    .map((name) => ({ name, enabled: true, strategies: name === 'memory.realtime-dedup'
      ? [{ name: 'flexibleRollout', parameters: { rollout: '50', stickiness: 'userId', groupId: name } }]
      : [{ name: 'default', parameters: {} }] }));
  writeFileSync(file, JSON.stringify({ version: 1, features }));
  const { createFlags } = await dist();
  const flags = await createFlags({ kind: 'embedded', file, watch: false });
  const contexts = Array.from({ length: 1000 }, (_, i) => ({ userId: `user-${i}` }));
  let on = 0;
  for (let i = 0; i < 20_000; i++) if (flags.isEnabled('memory.realtime-dedup', contexts[i % 1000], true)) on++; // warm-up
  const us = new Float64Array(GROUPS);
  for (let g = 0; g < GROUPS; g++) {
    const t = performance.now();
    for (let i = 0; i < PER_GROUP; i++) if (flags.isEnabled('memory.realtime-dedup', contexts[(g + i) % 1000], true)) on++;
    us[g] = ((performance.now() - t) * 1000) / PER_GROUP;
    if (g % 500 === 0) progress(g / GROUPS, 'isEnabled');
  }
  await flags.close();
  const s = summary(us);
  return { flag_eval_us: { p50: round(s.p50, 3), p99: round(s.p99, 3) }, flag_eval_detail: { calls: GROUPS * PER_GROUP, enabled_share: round(on / (GROUPS * PER_GROUP + 20_000), 3) } };
});
