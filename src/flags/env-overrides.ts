// The seed's environment variables, kept working in embedded mode as overrides on top of the flags
// file. They are read once, at createFlags, and re-applied after every reload so a file edit cannot
// undo what the environment says.
import { invalidInput } from '../errors.js';
import type { FeatureInterface } from './sdk.js';
import { newFeature, rolloutStrategy } from './definitions.js';
import { FLAG_NAMES, type FlagName } from './types.js';

/** The seed's variable names per flag; the table in docs/flags.md is written from the same facts. */
export const ENV_OVERRIDES: ReadonlyArray<{ flag: FlagName; enable: string; rollout?: string }> = [
  { flag: FLAG_NAMES.enabled, enable: 'ENABLE_CHATGPT_MEMORY', rollout: 'CHATGPT_MEMORY_ROLLOUT' },
  { flag: FLAG_NAMES.realtimeDedup, enable: 'ENABLE_REAL_TIME_DEDUP' },
  { flag: FLAG_NAMES.enhancedPrompts, enable: 'ENABLE_ENHANCED_PROMPTS', rollout: 'ENHANCED_PROMPTS_ROLLOUT' },
  { flag: FLAG_NAMES.batchProcessing, enable: 'ENABLE_BATCH_PROCESSING', rollout: 'BATCH_PROCESSING_ROLLOUT' },
  { flag: FLAG_NAMES.circuitBreakers, enable: 'ENABLE_CIRCUIT_BREAKERS' },
];

export interface Override {
  flag: string;
  /** Forces the flag on or off, whatever the file says. */
  enabled?: boolean;
  /** Replaces the flag's strategies by one flexibleRollout on userId at this percentage. */
  rollout?: number;
}

const TRUE = /^(true|1|yes|on)$/i;
const FALSE = /^(false|0|no|off)$/i;

/** Throws INVALID_INPUT on a malformed value: a typo must not silently leave a feature at 100%. */
export function readEnvOverrides(env: Readonly<Record<string, string | undefined>>): Override[] {
  const out: Override[] = [];
  for (const { flag, enable, rollout } of ENV_OVERRIDES) {
    const o: Override = { flag };
    const e = env[enable]?.trim();
    if (e) {
      if (TRUE.test(e)) o.enabled = true;
      else if (FALSE.test(e)) o.enabled = false;
      else throw invalidInput(enable, `must be true or false, got '${e}'`);
    }
    const r = rollout ? env[rollout]?.trim() : undefined;
    if (rollout && r) {
      const n = Number(r);
      if (!/^\d+$/.test(r) || n > 100) throw invalidInput(rollout, `must be an integer from 0 to 100, got '${r}'`);
      o.rollout = n;
    }
    if (o.enabled !== undefined || o.rollout !== undefined) out.push(o);
  }
  return out;
}

/** Never mutates `features`: the unmodified file state is what `set` rewrites. */
export function applyOverrides(features: readonly FeatureInterface[], overrides: readonly Override[]): FeatureInterface[] {
  const out = features.slice();
  for (const o of overrides) {
    const i = out.findIndex((f) => f.name === o.flag);
    const next: FeatureInterface = { ...(i >= 0 ? out[i]! : newFeature(o.flag)) };
    if (o.rollout !== undefined) next.strategies = [rolloutStrategy(o.flag, o.rollout)];
    if (o.enabled !== undefined) next.enabled = o.enabled;
    if (i >= 0) out[i] = next;
    else out.push(next);
  }
  return out;
}
