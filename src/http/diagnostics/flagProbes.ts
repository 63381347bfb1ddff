// Diagnostics of the flags: evaluation, rollout share over scratch users, and a toggle taking effect.
// Toggles happen on a scratch flags file, never on the engine's own flags, so no real user is affected.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../engine.js';
import { createFlags } from '../../flags/index.js';
import { FLAG_NAMES, type Flags } from '../../flags/types.js';
import { round, runDiagnostic, type DiagnosticResult } from './scratch.js';

const SEED = Object.values(FLAG_NAMES);
const EVALS = 2000;
const ROLLOUT_USERS = 2000;
/** Tolerance on a measured share: 5 points, about 4.5 standard deviations at n = 2000 and p = 0.5. */
const SHARE_TOLERANCE = 0.05;
const SCRATCH_ROLLOUT = 25;

export function featureFlagsTest(engine: Engine): Promise<DiagnosticResult> {
  return runDiagnostic(engine, async (s) => {
    const userId = s.user('flags');
    const results: Record<string, { enabled: boolean; evalUs: number }> = {};
    for (const name of SEED) {
      let enabled = false;
      const t0 = performance.now();
      for (let i = 0; i < EVALS; i++) enabled = engine.flags.isEnabled(name, { userId }, true);
      results[name] = { enabled, evalUs: round(((performance.now() - t0) * 1000) / EVALS) };
    }
    s.timings.meanEvalUs = round(Object.values(results).reduce((a, r) => a + r.evalUs, 0) / SEED.length);
    const listed = new Set(engine.flags.list().map((f) => f.name));
    return {
      ok: engine.flags.synchronized && Object.values(results).every((r) => typeof r.enabled === 'boolean'),
      details: { mode: engine.flags.mode, synchronized: engine.flags.synchronized, flags: results,
        missingFromDefinitions: SEED.filter((n) => !listed.has(n)) },
    };
  });
}

/** A scratch embedded Flags on its own file; the seed's environment variables are ignored here. */
async function scratchFlags(features: unknown[]): Promise<{ flags: Flags; done: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'memdedup-diag-flags-'));
  const file = join(dir, 'flags.json');
  writeFileSync(file, JSON.stringify({ version: 1, features }));
  const flags = await createFlags({ kind: 'embedded', file, watch: false }, { env: {} });
  return { flags, done: async () => { await flags.close(); rmSync(dir, { recursive: true, force: true }); } };
}

const rolloutFeature = (name: string, rollout: number) => ({
  name, enabled: true, strategies: [{ name: 'flexibleRollout', parameters: { rollout: String(rollout), stickiness: 'default', groupId: name } }],
});

function share(flags: Flags, name: string, users: string[]): number {
  let on = 0;
  for (const userId of users) if (flags.isEnabled(name, { userId }, false)) on++;
  return on / users.length;
}

/** Expected share of a flag from its summary, when the strategies make that knowable. */
function expectedShare(f: { enabled: boolean; strategies: unknown[]; rollout?: number }): number | null {
  if (!f.enabled) return 0;
  if (f.rollout !== undefined) return f.rollout / 100;
  const names = f.strategies.map((x) => (x as { name?: string }).name);
  if (names.length === 0 || names.every((n) => n === 'default')) return 1;
  return null;
}

export function rolloutTest(engine: Engine): Promise<DiagnosticResult> {
  return runDiagnostic(engine, async (s) => {
    // Scratch ids only for evaluation: they never submit, so they leave no rows.
    const users = Array.from({ length: ROLLOUT_USERS }, (_, i) => `${s.prefix}:rollout-${i}`);
    const engineFlags: Record<string, { share: number; expected: number | null; withinTolerance: boolean | null }> = {};
    await s.time('engineFlagsMs', () => {
      const listed = new Map(engine.flags.list().map((f) => [f.name, f]));
      for (const name of SEED) {
        const measured = share(engine.flags, name, users);
        const f = listed.get(name);
        const expected = f ? expectedShare(f) : null;
        engineFlags[name] = { share: measured, expected, withinTolerance: expected === null ? null : Math.abs(measured - expected) <= SHARE_TOLERANCE };
      }
    });
    const name = 'memdedup.diagnostic-rollout';
    const scratch = await scratchFlags([rolloutFeature(name, SCRATCH_ROLLOUT)]);
    let scratchShare: number;
    try {
      scratchShare = await s.time('scratchRolloutMs', () => share(scratch.flags, name, users));
    } finally {
      await scratch.done();
    }
    const scratchOk = Math.abs(scratchShare - SCRATCH_ROLLOUT / 100) <= SHARE_TOLERANCE;
    return {
      ok: scratchOk && Object.values(engineFlags).every((f) => f.withinTolerance !== false),
      details: { users: ROLLOUT_USERS, tolerance: SHARE_TOLERANCE, engineFlags,
        scratchRollout: { configured: SCRATCH_ROLLOUT, share: scratchShare, withinTolerance: scratchOk } },
    };
  });
}

export function featureToggleTest(engine: Engine): Promise<DiagnosticResult> {
  return runDiagnostic(engine, async (s) => {
    const name = FLAG_NAMES.enabled;
    const userId = s.user('toggle');
    const scratch = await scratchFlags([{ name, enabled: true, strategies: [{ name: 'default', parameters: {} }] }]);
    try {
      const before = scratch.flags.isEnabled(name, { userId }, true);
      await s.time('toggleOffMs', () => scratch.flags.set(name, { enabled: false }));
      const off = scratch.flags.isEnabled(name, { userId }, true);
      await s.time('toggleOnMs', () => scratch.flags.set(name, { enabled: true }));
      const on = scratch.flags.isEnabled(name, { userId }, true);
      await s.time('rolloutMs', () => scratch.flags.set(name, { rollout: 50 }));
      const users = Array.from({ length: ROLLOUT_USERS }, (_, i) => `${s.prefix}:toggle-${i}`);
      const half = share(scratch.flags, name, users);
      const halfOk = Math.abs(half - 0.5) <= SHARE_TOLERANCE;
      return {
        ok: before && !off && on && halfOk,
        details: { flag: name, before, afterOff: off, afterOn: on, rollout50Share: half, engineFlagsMode: engine.flags.mode,
          note: 'toggled on a scratch flags file; the engine flags were not changed' },
      };
    } finally {
      await scratch.done();
    }
  });
}
