// Operators switch a flag by editing the file: the change applies without a restart, however the
// file is written (in place, or replaced by rename as editors and `set` do).
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createFlags, type Flags } from '../../src/flags/index.js';
import { eventually, flagsState, tempDir, writeFlags } from './helpers.js';

const off = { name: 'memory.enabled', enabled: false, strategies: [{ name: 'default', parameters: {} }] };
let flags: Flags | undefined;
afterEach(async () => { await flags?.close(); flags = undefined; });

it('disables a flag within 5 s of the file being rewritten in place', async () => {
  const file = writeFlags(join(tempDir(), 'flags.json'));
  flags = await createFlags({ kind: 'embedded', file }, { env: {} });
  const f = flags;
  expect(f.isEnabled('memory.enabled', { userId: 'tog' })).toBe(true);
  const started = Date.now();
  writeFileSync(file, JSON.stringify(flagsState({ 'memory.enabled': off })));
  expect(await eventually(() => !f.isEnabled('memory.enabled', { userId: 'tog' }), 5000)).toBe(true);
  console.log(`file edit applied after ${Date.now() - started} ms`);
});

it('follows a file replaced by rename, and emits changed', async () => {
  const dir = tempDir();
  const file = writeFlags(join(dir, 'flags.json'));
  flags = await createFlags({ kind: 'embedded', file }, { env: {} });
  const f = flags;
  let changes = 0;
  f.on('changed', () => { changes++; });
  const tmp = join(dir, 'flags.next');
  writeFileSync(tmp, JSON.stringify(flagsState({ 'memory.enabled': off })));
  renameSync(tmp, file);
  expect(await eventually(() => !f.isEnabled('memory.enabled', { userId: 'x' }), 5000)).toBe(true);
  writeFileSync(tmp, JSON.stringify(flagsState()));
  renameSync(tmp, file);
  expect(await eventually(() => f.isEnabled('memory.enabled', { userId: 'x' }), 5000)).toBe(true);
  expect(changes).toBeGreaterThanOrEqual(2);
});

it('does not reload when watch is false', async () => {
  const file = writeFlags(join(tempDir(), 'flags.json'));
  flags = await createFlags({ kind: 'embedded', file, watch: false }, { env: {} });
  writeFileSync(file, JSON.stringify(flagsState({ 'memory.enabled': off })));
  await new Promise((r) => setTimeout(r, 1200));
  expect(flags.isEnabled('memory.enabled', { userId: 'x' })).toBe(true);
});
