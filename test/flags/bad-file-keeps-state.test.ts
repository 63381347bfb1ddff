// A flags file that fails to parse never takes effect: the last good state stays, with a warning.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { isMemdedupError } from '../../src/errors.js';
import { createFlags, type Flags } from '../../src/flags/index.js';
import { eventually, flagsState, rollout, tempDir, writeFlags } from './helpers.js';

let flags: Flags | undefined;
afterEach(async () => { await flags?.close(); flags = undefined; });

it('keeps the last good state through a broken, then deleted, file, and recovers', async () => {
  const file = writeFlags(join(tempDir(), 'flags.json'), { 'memory.enabled': rollout('memory.enabled', 0) });
  flags = await createFlags({ kind: 'embedded', file }, { env: {} });
  const f = flags;
  const warnings: string[] = [];
  f.on('warn', (e) => warnings.push(e.message));
  expect(f.isEnabled('memory.enabled', { userId: 'u' })).toBe(false);

  writeFileSync(file, '{"version": 1, "features": [ {"name": "memory.enabled", "enabled": tr');
  expect(await eventually(() => warnings.some((w) => /not JSON/.test(w)), 5000)).toBe(true);
  writeFileSync(file, JSON.stringify({ version: 1, features: [{ name: 'memory.enabled', enabled: 'yes' }] }));
  expect(await eventually(() => warnings.some((w) => /enabled must be true or false/.test(w)), 5000)).toBe(true);
  rmSync(file);
  expect(await eventually(() => warnings.some((w) => /cannot be read/.test(w)), 5000)).toBe(true);
  expect(f.isEnabled('memory.enabled', { userId: 'u' })).toBe(false);
  expect(f.list()).toHaveLength(5);

  writeFileSync(file, JSON.stringify(flagsState()));
  expect(await eventually(() => f.isEnabled('memory.enabled', { userId: 'u' }), 5000)).toBe(true);
});

it('refuses to start on a missing or invalid file, saying which', async () => {
  const dir = tempDir();
  const missing = await createFlags({ kind: 'embedded', file: join(dir, 'none.json') }, { env: {} }).catch((e: unknown) => e);
  expect(isMemdedupError(missing, 'INVALID_INPUT')).toBe(true);
  expect((missing as Error).message).toMatch(/none\.json cannot be read \(ENOENT\)/);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ version: 1, features: {} }));
  const invalid = await createFlags({ kind: 'embedded', file: bad }, { env: {} }).catch((e: unknown) => e);
  expect((invalid as Error).message).toMatch(/bad\.json is not a valid flags file: features must be an array/);
});
