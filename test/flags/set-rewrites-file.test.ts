// `set` (behind PUT /api/memory/flags/:name) rewrites the flags file atomically and applies at once.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { isMemdedupError } from '../../src/errors.js';
import { createFlags, type Flags } from '../../src/flags/index.js';
import { eventually, flagsState, tempDir, writeFlags } from './helpers.js';

let flags: Flags | undefined;
afterEach(async () => { await flags?.close(); flags = undefined; });

async function open(overrides = {}): Promise<{ f: Flags; file: string; dir: string }> {
  const dir = tempDir();
  const file = writeFlags(join(dir, 'flags.json'), overrides);
  flags = await createFlags({ kind: 'embedded', file }, { env: {} });
  return { f: flags, file, dir };
}

const fileFeature = (file: string, name: string) =>
  (JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof flagsState>).features.find((x) => x.name === name);

it('turns a flag off in memory and in the file, leaving no temp file', async () => {
  const { f, file, dir } = await open();
  const summary = await f.set('memory.enabled', { enabled: false });
  expect(summary).toMatchObject({ name: 'memory.enabled', enabled: false });
  expect(f.isEnabled('memory.enabled', { userId: 'u' })).toBe(false);
  expect(fileFeature(file, 'memory.enabled')?.enabled).toBe(false);
  expect(readdirSync(dir)).toEqual(['flags.json']);
});

it('sets a rollout as a flexibleRollout on userId grouped by the flag name', async () => {
  const { f, file } = await open();
  const summary = await f.set('memory.batch-processing', { rollout: 40 });
  expect(summary.rollout).toBe(40);
  expect(fileFeature(file, 'memory.batch-processing')?.strategies).toEqual([
    { name: 'flexibleRollout', parameters: { rollout: '40', stickiness: 'default', groupId: 'memory.batch-processing' }, constraints: [] },
  ]);
  await f.set('memory.batch-processing', { rollout: 60 });
  expect(fileFeature(file, 'memory.batch-processing')?.strategies).toHaveLength(1);
  expect(f.list().find((s) => s.name === 'memory.batch-processing')?.rollout).toBe(60);
});

it('keeps concurrent changes and unknown document fields', async () => {
  const { f, file } = await open();
  writeFileSync(file, JSON.stringify({ ...flagsState(), meta: { revisionId: 7 } }));
  await Promise.all([
    f.set('memory.enabled', { rollout: 10 }),
    f.set('memory.enhanced-prompts', { rollout: 25 }),
    f.set('memory.realtime-dedup', { enabled: false }),
  ]);
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  expect(doc.meta).toEqual({ revisionId: 7 });
  const rollouts = Object.fromEntries(f.list().map((s) => [s.name, s.rollout ?? (s.enabled ? 100 : 0)]));
  expect(rollouts).toMatchObject({ 'memory.enabled': 10, 'memory.enhanced-prompts': 25, 'memory.realtime-dedup': 0 });
});

it('creates a missing seed flag but refuses other unknown names', async () => {
  const dir = tempDir();
  const file = join(dir, 'flags.json');
  writeFileSync(file, JSON.stringify({ version: 1, features: [] }));
  flags = await createFlags({ kind: 'embedded', file }, { env: {} });
  await flags.set('memory.circuit-breakers', { enabled: false });
  expect(fileFeature(file, 'memory.circuit-breakers')).toMatchObject({ enabled: false });
  const err = await flags.set('no.such.flag', { enabled: true }).catch((e: unknown) => e);
  expect(isMemdedupError(err, 'NOT_FOUND')).toBe(true);
});

it('rejects malformed changes with INVALID_INPUT and leaves the file alone', async () => {
  const { f, file } = await open();
  const before = readFileSync(file, 'utf8');
  for (const bad of [{}, { enabled: 'no' }, { rollout: 101 }, { rollout: 12.5 }, { rollout: -1 }, null]) {
    const err = await f.set('memory.enabled', bad as never).catch((e: unknown) => e);
    expect(isMemdedupError(err, 'INVALID_INPUT')).toBe(true);
  }
  expect(readFileSync(file, 'utf8')).toBe(before);
});

it('is not undone by the watcher reloading the file it wrote', async () => {
  const { f } = await open();
  await f.set('memory.enabled', { enabled: false });
  await new Promise((r) => setTimeout(r, 800));
  expect(await eventually(() => !f.isEnabled('memory.enabled', { userId: 'u' }), 100)).toBe(true);
});
