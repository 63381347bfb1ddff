// A user's bucket is Unleash's: murmurhash of `groupId:userId`, so the share follows the percentage
// and each user gets the answer the Unleash UI would give.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createFlags, type Flags } from '../../src/flags/index.js';
import { rollout, share, tempDir, writeFlags } from './helpers.js';

const { normalizedStrategyValue } = createRequire(import.meta.url)('unleash-client/lib/strategy/util.js') as {
  normalizedStrategyValue(id: string, groupId: string): number;
};

let flags: Flags | undefined;
afterEach(async () => { await flags?.close(); flags = undefined; });

it('enables about 30% of 10,000 users at rollout 30, each by Unleash hashing', async () => {
  const file = writeFlags(join(tempDir(), 'flags.json'), { 'memory.enabled': rollout('memory.enabled', 30) });
  flags = await createFlags({ kind: 'embedded', file, watch: false }, { env: {} });
  const f = flags;
  const s = share((userId) => f.isEnabled('memory.enabled', { userId }));
  console.log(`rollout 30: ${(s * 100).toFixed(2)}% of 10,000 users enabled`);
  expect(Math.abs(s - 0.3)).toBeLessThan(0.02);
  for (let i = 0; i < 2000; i++) {
    const userId = `user-${i}`;
    expect(f.isEnabled('memory.enabled', { userId })).toBe(normalizedStrategyValue(userId, 'memory.enabled') <= 30);
  }
});

it('keeps a user in the same bucket when the rollout grows', async () => {
  const file = writeFlags(join(tempDir(), 'flags.json'), { 'memory.enabled': rollout('memory.enabled', 10) });
  flags = await createFlags({ kind: 'embedded', file, watch: false }, { env: {} });
  const f = flags;
  const users = Array.from({ length: 2000 }, (_, i) => `grow-${i}`);
  const before = users.filter((userId) => f.isEnabled('memory.enabled', { userId }));
  await f.set('memory.enabled', { rollout: 50 });
  expect(before.every((userId) => f.isEnabled('memory.enabled', { userId }))).toBe(true);
  expect(share((userId) => f.isEnabled('memory.enabled', { userId }), 10_000, 'grow-')).toBeCloseTo(0.5, 1);
});

it('lists the rollout percentage of each flag', async () => {
  const file = writeFlags(join(tempDir(), 'flags.json'), { 'memory.enhanced-prompts': rollout('memory.enhanced-prompts', 25) });
  flags = await createFlags({ kind: 'embedded', file, watch: false }, { env: {} });
  const byName = new Map(flags.list().map((s) => [s.name, s]));
  expect(byName.get('memory.enhanced-prompts')?.rollout).toBe(25);
  expect(byName.get('memory.enabled')).toMatchObject({ enabled: true, strategies: [{ name: 'default' }] });
  expect(byName.get('memory.enabled')?.rollout).toBeUndefined();
  expect(flags.mode).toBe('embedded');
  expect(flags.synchronized).toBe(true);
});
