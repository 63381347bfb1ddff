// MemdedupReversalRate in process: undone duplicate/updated decisions per such decision, per policy, over
// its own 24 h window (not alerts.window), with the old snapshots thinned so a day stays a few hundred.
import { afterEach, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { policySplit, testEngine } from '../helpers/engine.js';

const open: Engine[] = [];
afterEach(async () => { for (const e of open.splice(0)) await e.close(); });

const stateOf = (engine: Engine) => engine.alerts.states().find((a) => a.alertname === 'MemdedupReversalRate')!;
const H = 3_600_000;

/** `n` users each with one memory and one exact duplicate of it; resolves with the duplicates' event ids. */
async function merges(engine: Engine, prefix: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let u = 0; u < n; u++) {
    await engine.submit({ userId: `${prefix}${u}`, text: 'Grows tomatoes on the balcony' }).decided;
    const d = await engine.submit({ userId: `${prefix}${u}`, text: 'grows tomatoes on the balcony' }).decided;
    expect(d.action).toBe('duplicate');
    ids.push(d.eventId!);
  }
  return ids;
}

it('fires on the worst policy above 2 % of its merges undone, and forgets merges older than 24 h', async () => {
  const { engine } = await testEngine({ file: false, alerts: { reversalRate: { for: '0s' } },
    dedup: { policies: { strict: { thresholds: { duplicate: 0.9 } } } }, flagOverrides: policySplit({ strict: 1000 }) });
  open.push(engine);
  expect(stateOf(engine)).toMatchObject({ severity: 'warning', threshold: 0.02, for: '0s', runbook: 'docs/operations.md#memdedupreversalrate' });
  const t0 = Date.now();
  await engine.alerts.evaluate(t0);
  const ids = await merges(engine, 's', 20);
  await engine.alerts.evaluate(t0 + 1000);
  expect(stateOf(engine)).toMatchObject({ state: 'inactive', value: 0 });
  await engine.undo(ids[0]!);
  await engine.alerts.evaluate(t0 + 2000);
  // 1 of 20 strict merges undone: 5 %.
  expect(stateOf(engine)).toMatchObject({ state: 'firing', value: 0.05 });
  expect(await engine.registry.metrics()).toContain('memdedup_reversals_total{action="duplicate",method="exact",policy="strict"} 1');
  // A day later with no new merges there is no rate at all (as the rule drops a zero denominator).
  await engine.alerts.evaluate(t0 + 25 * H);
  expect(stateOf(engine)).toMatchObject({ state: 'inactive', value: null });
});

it('stays quiet at or under the threshold, and an undone forget is no reversal', async () => {
  const { engine } = await testEngine({ file: false, alerts: { reversalRate: { for: '0s' } } });
  open.push(engine);
  const t0 = Date.now();
  await engine.alerts.evaluate(t0);
  const ids = await merges(engine, 'd', 50);
  await engine.undo(ids[0]!);
  const [m] = await engine.memories('d1');
  await engine.undo((await engine.forget('d1', m!.id)).id);
  await engine.alerts.evaluate(t0 + 1000);
  expect(stateOf(engine)).toMatchObject({ state: 'inactive', value: 0.02 });
  const text = await engine.registry.metrics();
  const total = text.split('\n').filter((l) => l.startsWith('memdedup_reversals_total{')).reduce((s, l) => s + Number(l.split(' ').pop()), 0);
  expect(total).toBe(1);
  expect(text).toContain('memdedup_decisions_total{action="duplicate",method="exact",policy="default"} 50');
});

it('keeps a bounded number of snapshots over two simulated days of 15 s evaluations', async () => {
  const { engine } = await testEngine({ file: false });
  open.push(engine);
  const t0 = Date.now();
  for (let t = 0; t <= 48 * H; t += 15_000) await engine.alerts.evaluate(t0 + t);
  const kept = (engine.alerts as unknown as { snapshots: Array<{ at: number }> }).snapshots;
  // 288 per day beyond the 5 min window, plus the 5 min window itself at 15 s (about 20).
  expect(kept.length).toBeLessThan(320);
  expect(kept[0]!.at).toBeLessThanOrEqual(t0 + 24 * H);
  expect(kept[kept.length - 1]!.at).toBe(t0 + 48 * H);
});
