// Flags files for tests: temp dirs and the five seed flags on at 100%, like config/flags.json.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAG_NAMES } from '../../src/flags/index.js';

export type Feature = { name: string; enabled: boolean; strategies?: unknown[]; [k: string]: unknown };

export function tempDir(prefix = 'memdedup-flags-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function flagsState(overrides: Record<string, Feature> = {}): { version: number; features: Feature[] } {
  const names = new Set([...Object.values(FLAG_NAMES), ...Object.keys(overrides)]);
  return {
    version: 1,
    features: [...names].map((name) => overrides[name] ?? { name, enabled: true, strategies: [{ name: 'default', parameters: {} }] }),
  };
}

export function writeFlags(file: string, overrides: Record<string, Feature> = {}): string {
  writeFileSync(file, JSON.stringify(flagsState(overrides), null, 2));
  return file;
}

export function rollout(name: string, percent: number): Feature {
  return { name, enabled: true, strategies: [{ name: 'flexibleRollout', parameters: { rollout: String(percent), stickiness: 'default', groupId: name } }] };
}

/** Polls `probe` every 50 ms until it returns true or `ms` pass. */
export async function eventually(probe: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (probe()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return probe();
}

export function share(isOn: (userId: string) => boolean, n = 10_000, prefix = 'user-'): number {
  let on = 0;
  for (let i = 0; i < n; i++) if (isOn(`${prefix}${i}`)) on++;
  return on / n;
}
