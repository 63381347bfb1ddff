// One memory, one candidate, the real Cascade (built-in tiers): the verdict.
import { Cascade } from '../../src/dedup/cascade.js';

export async function decide(memory: string, candidate: string) {
  const c = new Cascade({ topK: 8 });
  const index = await c.createIndex([{ id: 'm1', text: memory }]);
  const [p] = await c.prepare([candidate]);
  return c.decide(p!, index);
}
