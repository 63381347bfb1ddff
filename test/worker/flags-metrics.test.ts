// One flags client and one Registry per engine: a toggle on the host reaches every worker; the workers'
// flag evaluations and decisions are counted on the host's registry under the usual names.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { FLAG_NAMES } from '../../src/flags/types.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';

let engine: Engine | undefined;
afterEach(async () => { await engine?.close(); engine = undefined; });

async function value(e: Engine, name: string, labels: Record<string, string>): Promise<number> {
  const m = (await e.registry.getMetricsAsJSON()).find((x) => x.name === name);
  const v = (m?.values ?? []).find((x) => Object.entries(labels).every(([k, l]) => String(x.labels[k]) === l));
  return Number(v?.value ?? 0);
}

describe('flags and metrics across worker threads', () => {
  it('a toggle reaches all workers at once, and their evaluations and decisions count on the host', async () => {
    const dir = tempDir();
    engine = await Engine.create({ thread: 'worker', workers: 2, store: { kind: 'sqlite', path: join(dir, 'db.sqlite') },
      flags: { kind: 'embedded', file: writeFlagsFile(dir) }, logLevel: 'silent' });
    const users = Array.from({ length: 20 }, (_, i) => `user-${i}`);
    const first = await Promise.all(users.map((u) => engine!.submit({ userId: u, text: 'Has a dog named Max' }).decided));
    expect(first.every((d) => d.action === 'added')).toBe(true);
    // The full cascade: a reworded fact is a duplicate of the first.
    const full = await Promise.all(users.map((u) => engine!.submit({ userId: u, text: 'Has a dog named Max!' }).decided));
    expect(full.every((d) => !d.reasons?.includes('realtime-dedup-off'))).toBe(true);

    await engine.flags.set(FLAG_NAMES.realtimeDedup, { enabled: false });
    // Pushed on change: the next batch in every worker runs exact-only.
    const exact = await Promise.all(users.map((u) => engine!.submit({ userId: u, text: 'Owns a dog whose name is Max' }).decided));
    expect(exact.every((d) => d.reasons?.includes('realtime-dedup-off'))).toBe(true);

    await sleep(600); // the workers report flag counts every 250 ms
    expect(await value(engine, 'memdedup_flag_evaluations_total', { flag: FLAG_NAMES.realtimeDedup, result: 'off' })).toBeGreaterThan(0);
    expect(await value(engine, 'memdedup_flag_evaluations_total', { flag: FLAG_NAMES.realtimeDedup, result: 'on' })).toBeGreaterThan(0);
    const added = await value(engine, 'memdedup_decisions_total', { action: 'added' });
    expect(added).toBeGreaterThanOrEqual(20);
  }, 60_000);
});
