// The seed's environment variables still steer embedded mode, on top of every reload of the file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { isMemdedupError } from '../../src/errors.js';
import { createFlags, ENV_OVERRIDES, type Flags } from '../../src/flags/index.js';
import { eventually, flagsState, rollout, share, tempDir, writeFlags } from './helpers.js';

let flags: Flags | undefined;
afterEach(async () => { await flags?.close(); flags = undefined; });

const open = async (env: Record<string, string>, overrides = {}) => {
  const file = writeFlags(join(tempDir(), 'flags.json'), overrides);
  flags = await createFlags({ kind: 'embedded', file }, { env });
  return { f: flags, file };
};

it('ENABLE_*=false forces each seed flag off', async () => {
  const env = Object.fromEntries(ENV_OVERRIDES.map((o) => [o.enable, 'false']));
  const { f } = await open(env);
  for (const o of ENV_OVERRIDES) expect(f.isEnabled(o.flag, { userId: 'u1' }), o.enable).toBe(false);
});

it('CHATGPT_MEMORY_ROLLOUT=10 enables about 10% of users', async () => {
  const { f } = await open({ ENABLE_CHATGPT_MEMORY: 'true', CHATGPT_MEMORY_ROLLOUT: '10' });
  expect(share((userId) => f.isEnabled('memory.enabled', { userId }))).toBeCloseTo(0.1, 1);
  expect(f.list().find((s) => s.name === 'memory.enabled')?.rollout).toBe(10);
});

it('each *_ROLLOUT variable replaces the strategies of its flag', async () => {
  const { f } = await open(
    { ENHANCED_PROMPTS_ROLLOUT: '25', BATCH_PROCESSING_ROLLOUT: '50' },
    { 'memory.enhanced-prompts': rollout('memory.enhanced-prompts', 90) },
  );
  const byName = new Map(f.list().map((s) => [s.name, s]));
  expect(byName.get('memory.enhanced-prompts')?.rollout).toBe(25);
  expect(byName.get('memory.batch-processing')?.strategies).toHaveLength(1);
  expect(byName.get('memory.batch-processing')?.rollout).toBe(50);
});

it('re-applies the overrides after the file changes', async () => {
  const { f, file } = await open({ ENABLE_REAL_TIME_DEDUP: 'false' });
  writeFileSync(file, JSON.stringify(flagsState({ 'memory.enabled': { name: 'memory.enabled', enabled: false, strategies: [] } })));
  expect(await eventually(() => !f.isEnabled('memory.enabled', { userId: 'u' }), 5000)).toBe(true);
  expect(f.isEnabled('memory.realtime-dedup', { userId: 'u' })).toBe(false);
});

it('wins over set(), which still records the change in the file', async () => {
  const { f } = await open({ ENABLE_CIRCUIT_BREAKERS: 'false' });
  const summary = await f.set('memory.circuit-breakers', { enabled: true });
  expect(summary.enabled).toBe(false);
});

it('reads process.env by default', async () => {
  const saved = process.env.ENABLE_CHATGPT_MEMORY;
  process.env.ENABLE_CHATGPT_MEMORY = 'false';
  try {
    const file = writeFlags(join(tempDir(), 'flags.json'));
    flags = await createFlags({ kind: 'embedded', file, watch: false });
    expect(flags.isEnabled('memory.enabled', { userId: 'u' })).toBe(false);
  } finally {
    if (saved === undefined) delete process.env.ENABLE_CHATGPT_MEMORY;
    else process.env.ENABLE_CHATGPT_MEMORY = saved;
  }
});

it('rejects malformed values instead of guessing', async () => {
  const file = writeFlags(join(tempDir(), 'flags.json'));
  for (const env of [{ ENABLE_CHATGPT_MEMORY: 'maybe' }, { CHATGPT_MEMORY_ROLLOUT: '150' }, { BATCH_PROCESSING_ROLLOUT: '5%' }]) {
    const err = await createFlags({ kind: 'embedded', file, watch: false }, { env }).catch((e: unknown) => e);
    expect(isMemdedupError(err, 'INVALID_INPUT'), JSON.stringify(env)).toBe(true);
    expect((err as Error).message).toContain(Object.keys(env)[0]);
  }
});
