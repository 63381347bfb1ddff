// The flags files shipped in config/: everything on for a new user, and the seed's staged rollout.
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { createFlags, FLAG_NAMES, type Flags } from '../../src/flags/index.js';
import { share } from './helpers.js';

const config = (name: string): string => fileURLToPath(new URL(`../../config/${name}`, import.meta.url));
let flags: Flags | undefined;
afterEach(async () => { await flags?.close(); flags = undefined; });

it('config/flags.json turns every seed flag on for everyone', async () => {
  flags = await createFlags({ kind: 'embedded', file: config('flags.json'), watch: false }, { env: {} });
  const f = flags;
  for (const name of Object.values(FLAG_NAMES)) expect(share((userId) => f.isEnabled(name, { userId }), 1000), name).toBe(1);
});

it('config/flags.rollout.json stages memory 10%, enhanced prompts 25%, batch processing 50%', async () => {
  flags = await createFlags({ kind: 'embedded', file: config('flags.rollout.json'), watch: false }, { env: {} });
  const f = flags;
  const expected: Record<string, number> = {
    [FLAG_NAMES.enabled]: 0.1, [FLAG_NAMES.enhancedPrompts]: 0.25, [FLAG_NAMES.batchProcessing]: 0.5,
    [FLAG_NAMES.realtimeDedup]: 1, [FLAG_NAMES.circuitBreakers]: 1,
  };
  for (const [name, want] of Object.entries(expected)) {
    expect(Math.abs(share((userId) => f.isEnabled(name, { userId })) - want), name).toBeLessThan(0.02);
  }
});
