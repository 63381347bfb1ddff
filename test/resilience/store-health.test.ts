// The store-health state machine on a controlled clock: healthy -> faulty -> healthy on a write that succeeds;
// corrupt stops at once; read-only stops only when it stays; one probe per backoff; errors coalesced per stage.
import { describe, expect, it } from 'vitest';
import { ErrorCoalescer } from '../../src/resilience/errorCoalescer.js';
import { storeFaultRules } from '../../src/resilience/retry.js';
import { StoreHealth, type StoreHealthSnapshot } from '../../src/resilience/storeHealth.js';

const fault = (code: string) => Object.assign(new Error(`failed: ${code}`), { code });

function health(now: { t: number }) {
  const faults: string[] = [];
  const errors: Array<{ stage: string; count: number }> = [];
  const changes: StoreHealthSnapshot[] = [];
  const h = new StoreHealth({ rules: storeFaultRules(1000), now: () => now.t, random: () => 1,
    onFault: (kind) => faults.push(kind), onError: (stage, _e, count) => errors.push({ stage, count }), onChange: (s) => changes.push(s) });
  return { h, faults, errors, changes };
}

describe('store health', () => {
  it('goes faulty on a store fault, paces probes, and is healthy again after one good write', () => {
    const now = { t: 10_000 };
    const { h, faults, changes } = health(now);
    expect(h.report('batch', new TypeError('bad data'))).toBeUndefined();
    expect(h.writable).toBe(true);
    const d1 = h.report('batch', fault('SQLITE_FULL'))!;
    const d2 = h.report('group-commit', fault('SQLITE_FULL'))!;
    expect(d2).toBeGreaterThan(d1);
    expect(h.snapshot()).toMatchObject({ state: 'faulty', kind: 'disk-full', code: 'SQLITE_FULL', faults: 2, since: 10_000 });
    expect(h.mayTry()).toBe(false);
    now.t += 10_000;
    expect(h.mayTry()).toBe(true);
    expect(h.mayTry()).toBe(false);
    h.ok();
    expect(h.snapshot()).toEqual({ state: 'healthy', faults: 0 });
    expect(h.mayTry()).toBe(true);
    expect(faults).toEqual(['disk-full', 'disk-full']);
    expect(changes.map((c) => c.state)).toEqual(['faulty', 'healthy']);
  });

  it('probes a failing store with a small write only when the probe is due', async () => {
    const now = { t: 0 };
    const { h } = health(now);
    let writes = 0;
    await h.probe('store-probe', async () => { writes++; });
    expect(writes).toBe(1);
    h.report('journal-claim', fault('SQLITE_FULL'));
    await h.probe('store-probe', async () => { writes++; });
    expect(writes).toBe(1);
    now.t += 10_000;
    await h.probe('store-probe', async () => { writes++; throw fault('SQLITE_FULL'); });
    expect(writes).toBe(2);
    expect(h.state).toBe('faulty');
    now.t += 10_000;
    await h.probe('store-probe', async () => { writes++; });
    expect(writes).toBe(3);
    expect(h.state).toBe('healthy');
  });

  it('stops at once on a corrupt database, and for good', () => {
    const now = { t: 0 };
    const { h } = health(now);
    h.report('batch', fault('SQLITE_CORRUPT'));
    expect(h.stopped).toBe(true);
    expect(h.snapshot().reason).toMatch(/malformed \(SQLITE_CORRUPT\): stopped deciding/);
    h.ok();
    expect(h.stopped).toBe(true);
    now.t += 60_000;
    expect(h.mayTry()).toBe(false);
  });

  it('stops on a read-only store only once it stayed read-only past stopAfterMs', () => {
    const now = { t: 0 };
    const { h } = health(now);
    h.report('batch', fault('SQLITE_READONLY'));
    now.t = 900;
    h.report('batch', fault('SQLITE_READONLY'));
    expect(h.state).toBe('faulty');
    h.ok();
    now.t = 1500;
    h.report('batch', fault('SQLITE_READONLY'));
    expect(h.state).toBe('faulty');
    now.t = 2600;
    h.report('batch', fault('SQLITE_READONLY'));
    expect(h.state).toBe('stopped');
  });

  it('coalesces errors to one report per stage per window, with the count', async () => {
    const now = { t: 0 };
    const reports: Array<[string, number]> = [];
    const c = new ErrorCoalescer((stage, _e, count) => reports.push([stage, count]), 50, () => now.t);
    for (let i = 0; i < 100; i++) c.add('batch', new Error('x'));
    c.add('group-commit', new Error('y'));
    expect(reports).toEqual([['batch', 1], ['group-commit', 1]]);
    now.t = 60;
    await new Promise((r) => setTimeout(r, 80));
    expect(reports).toEqual([['batch', 1], ['group-commit', 1], ['batch', 99]]);
    c.add('batch', new Error('x'));
    c.flush();
    expect(reports.at(-1)).toEqual(['batch', 1]);
    expect(reports.reduce((n, [, k]) => n + k, 0)).toBe(102);
  });
});
