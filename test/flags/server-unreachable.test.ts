// Server mode with Unleash down: start-up is bounded, the bootstrap answers, nothing crashes.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { isMemdedupError } from '../../src/errors.js';
import { createFlags, type Flags } from '../../src/flags/index.js';
import { freePort } from '../helpers/postgres.js';
import { eventually, rollout, tempDir, writeFlags } from './helpers.js';

let flags: Flags | undefined;
afterEach(async () => { await flags?.close(); flags = undefined; });

it('starts on the bootstrap file after timeoutMs and stays unsynchronized', async () => {
  const bootstrapFile = writeFlags(join(tempDir(), 'flags.json'), { 'memory.enabled': rollout('memory.enabled', 0) });
  const url = `http://127.0.0.1:${await freePort()}/api`;
  const started = Date.now();
  flags = await createFlags({ kind: 'unleash', url, token: 'default:development.x', bootstrapFile, timeoutMs: 300, refreshIntervalMs: 100 });
  const warnings: Error[] = [];
  flags.on('warn', (e) => warnings.push(e));
  expect(Date.now() - started).toBeLessThan(3000);
  expect(flags.mode).toBe('unleash');
  expect(flags.synchronized).toBe(false);
  expect(flags.isEnabled('memory.enabled', { userId: 'u' })).toBe(false);
  expect(flags.isEnabled('memory.realtime-dedup', { userId: 'u' })).toBe(true);
  expect(flags.list().map((s) => s.name)).toContain('memory.batch-processing');
  expect(await eventually(() => warnings.length > 0, 5000)).toBe(true);
  const err = await flags.set('memory.enabled', { enabled: true }).catch((e: unknown) => e);
  expect(isMemdedupError(err, 'FLAGS_READ_ONLY')).toBe(true);
  expect((err as Error).message).toMatch(/toggle the flag memory\.enabled in Unleash/);
});

it('answers the documented defaults with no bootstrap at all', async () => {
  const url = `http://127.0.0.1:${await freePort()}/api`;
  flags = await createFlags({ kind: 'unleash', url, token: 't', timeoutMs: 200 });
  expect(flags.synchronized).toBe(false);
  expect(flags.isEnabled('memory.enabled', { userId: 'u' })).toBe(true);
  expect(flags.isEnabled('other', { userId: 'u' })).toBe(false);
  expect(flags.isEnabled('other', { userId: 'u' }, true)).toBe(true);
  expect(flags.list()).toEqual([]);
});
