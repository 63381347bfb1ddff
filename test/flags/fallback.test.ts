// A flag check never throws: missing flags answer the documented default, evaluation errors the fallback.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createFlags, FLAG_DEFAULTS, FLAG_NAMES, type Flags } from '../../src/flags/index.js';
import { tempDir, writeFlags } from './helpers.js';
import { writeFileSync } from 'node:fs';

let flags: Flags | undefined;
afterEach(async () => { await flags?.close(); flags = undefined; });

it('answers false for an unknown flag, or the fallback given', async () => {
  flags = await createFlags({ kind: 'embedded', file: writeFlags(join(tempDir(), 'flags.json')), watch: false }, { env: {} });
  expect(flags.isEnabled('no.such.flag', { userId: 'u' })).toBe(false);
  expect(flags.isEnabled('no.such.flag', { userId: 'u' }, true)).toBe(true);
  expect(flags.isEnabled('__proto__')).toBe(false);
});

it('answers true for a seed flag missing from the file, unless a fallback says otherwise', async () => {
  const file = join(tempDir(), 'flags.json');
  writeFileSync(file, JSON.stringify({ version: 1, features: [] }));
  flags = await createFlags({ kind: 'embedded', file, watch: false }, { env: {} });
  for (const name of Object.values(FLAG_NAMES)) {
    expect(FLAG_DEFAULTS.get(name)).toBe(true);
    expect(flags.isEnabled(name, { userId: 'u' })).toBe(true);
    expect(flags.isEnabled(name, { userId: 'u' }, false)).toBe(false);
  }
});

it('never throws, whatever it is handed', async () => {
  const file = join(tempDir(), 'flags.json');
  writeFileSync(file, JSON.stringify({ version: 1, features: [
    // constraints must be iterable: unleash-client throws evaluating this one
    { name: 'broken', enabled: true, strategies: [{ name: 'flexibleRollout', parameters: { rollout: '100' }, constraints: 5 }] },
    { name: 'custom', enabled: true, strategies: [{ name: 'notAStrategy', parameters: {} }] },
  ] }));
  flags = await createFlags({ kind: 'embedded', file, watch: false }, { env: {} });
  const f = flags;
  const warnings: Error[] = [];
  f.on('warn', (e) => warnings.push(e));
  expect(f.isEnabled('broken', { userId: 'u' }, true)).toBe(true);
  expect(f.isEnabled('broken', { userId: 'u' })).toBe(false);
  expect(f.isEnabled('custom', { userId: 'u' })).toBe(false);
  expect(() => f.isEnabled(undefined as never, null as never)).not.toThrow();
  expect(() => f.isEnabled('memory.enabled', 'user' as never)).not.toThrow();
  expect(f.isEnabled('memory.enabled')).toBe(true);
  expect(warnings.some((w) => /notAStrategy/.test(w.message))).toBe(true);
});
