// A poison user opens their own breaker and falls back; other users keep deciding with the full cascade.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import type { EngineEventMap } from '../../src/engineEvents.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';
import { faulty, poison } from './faults.js';

let engine: Engine | undefined;
afterEach(async () => { await engine?.close(); engine = undefined; });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(extra: { breakersOff?: boolean; fallback?: 'store-exact' | 'defer' }, faults: { broken: boolean }) {
  const dir = tempDir();
  const flags = writeFlagsFile(dir, extra.breakersOff ? { 'memory.circuit-breakers': { name: 'memory.circuit-breakers', enabled: false, strategies: [] } } : {});
  return Engine.create({ logLevel: 'silent',
    store: { kind: 'sqlite', path: `${dir}/p.db` }, flags: { kind: 'embedded', file: flags }, batchSize: 5,
    breakers: { user: { failures: 5, resetTimeoutMs: 400, maxLive: 100 } },
    retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 }, fallback: extra.fallback,
  }, { deduper: faulty({ prepare: (texts) => { if (faults.broken && texts.some((t) => t.includes('POISON'))) throw poison(texts[0]!); } }) });
}

describe('per-user breaker', () => {
  it('opens for the poison user only, falls back to exact dedup, then closes and the sweep rechecks', async () => {
    const faults = { broken: true };
    engine = await start({}, faults);
    const transitions: EngineEventMap['breaker'][0][] = [];
    engine.emitter.on('breaker', (e) => transitions.push(e));
    if (process.env.DEBUG_T) { engine.emitter.on('breaker', (e) => console.log(Date.now(), e)); engine.emitter.on('retry', (e) => console.log(Date.now(), 'retry', e.candidate.text, e.error)); engine.emitter.on('batch', (e) => console.log(Date.now(), 'batch', e.userId, e.mode, e.counts)); }
    const poisonSubs = Array.from({ length: 20 }, (_, i) => engine!.submit({ userId: 'poison', text: `POISON fact number ${i}` }));
    const healthy = [];
    for (let u = 0; u < 10; u++) {
      healthy.push(engine.submit({ userId: `ok${u}`, text: 'Loves hiking in the mountains' }));
      healthy.push(engine.submit({ userId: `ok${u}`, text: 'Loves hiking in mountains' }));
    }
    const hd = await Promise.all(healthy.map((s) => s.decided));
    expect(hd.map((d) => d.action)).toEqual(Array.from({ length: 10 }, () => ['added', 'duplicate']).flat());
    expect(hd.some((d) => d.reasons?.includes('breaker-open'))).toBe(false);

    const pd = await Promise.all(poisonSubs.map((s) => s.decided));
    expect(new Set(pd.map((d) => d.action))).toEqual(new Set(['fallback']));
    expect(transitions).toContainEqual({ scope: 'user', name: 'poison', state: 'open' });
    expect(transitions.filter((t) => t.name !== 'poison')).toEqual([]);
    const st = engine.status() as any;
    expect(st.breakers.user.open).toBe(1);
    expect(st.breakers.provider).toEqual({});
    expect((await engine.memories('poison')).every((m) => m.needsRecheck)).toBe(true);
    expect(await engine.deadLetters()).toEqual([]);

    // The fault is gone; after resetTimeoutMs the next batch is the half-open trial and closes the breaker.
    faults.broken = false;
    // (The trial may have been one of the poison retries, still broken then: it re-opens; wait for the next half-open.)
    for (let t0 = Date.now(); transitions.at(-1)?.state !== 'halfOpen' && Date.now() - t0 < 5000;) await sleep(20);
    expect((await engine.submit({ userId: 'poison', text: 'POISON fact number 3 again later' }).decided).action).not.toBe('fallback');
    for (let t0 = Date.now(); transitions.at(-1)?.state !== 'closed' && Date.now() - t0 < 2000;) await sleep(5);
    const states = transitions.filter((t) => t.name === 'poison').map((t) => t.state);
    expect(states[0]).toBe('open');
    expect(states.slice(-2)).toEqual(['halfOpen', 'closed']);
    const sw = await engine.sweep();
    expect(sw.checked).toBeGreaterThanOrEqual(0);
    await engine.sweep();
    expect((await engine.memories('poison')).some((m) => m.needsRecheck)).toBe(false);
    expect((engine.status() as any).breakers.user.open).toBe(0);
  });

  it('with memory.circuit-breakers off, the user gets no breaker: failures retry and dead-letter', async () => {
    const faults = { broken: true };
    engine = await start({ breakersOff: true }, faults);
    const subs = Array.from({ length: 8 }, (_, i) => engine!.submit({ userId: 'poison', text: `POISON item ${i}` }));
    const ds = await Promise.all(subs.map((s) => s.decided));
    expect(new Set(ds.map((d) => d.action))).toEqual(new Set(['dead-letter']));
    expect((engine.status() as any).breakers.user).toEqual({ live: 0, open: 0 });
    expect((await engine.deadLetters()).length).toBe(8);
  });

  it("fallback 'defer' leaves the batch in the journal with a not_before, and decides it after the breaker half-opens", async () => {
    const faults = { broken: true };
    engine = await start({ fallback: 'defer' }, faults);
    const deferred: string[] = [];
    engine.emitter.on('fallback', (e) => deferred.push(e.fallback));
    const subs = Array.from({ length: 12 }, (_, i) => engine!.submit({ userId: 'poison', text: `POISON deferred ${i}` }));
    await Promise.all(subs.map((s) => s.accepted));
    const t0 = Date.now();
    while (!deferred.length && Date.now() - t0 < 5000) await sleep(10);
    expect(deferred[0]).toBe('defer');
    expect((engine.status() as any).journal.retrying).toBeGreaterThan(0);
    const db = new Database((engine.options.store as { path: string }).path, { readonly: true });
    const rows = db.prepare("SELECT not_before, attempts FROM journal WHERE user_id = 'poison' AND dead = 0").all() as { not_before: number; attempts: number }[];
    db.close();
    expect(rows.some((r) => r.not_before > Date.now())).toBe(true);
    faults.broken = false;
    const ds = await Promise.all(subs.map((s) => s.decided));
    // Deferred candidates never get a `fallback` decision: they are decided with the full cascade later.
    expect(ds.filter((d) => !['added', 'superseded', 'updated', 'duplicate'].includes(d.action))).toEqual([]);
    expect(ds.some((d) => d.reasons?.includes('breaker-open'))).toBe(false);
    expect((await engine.memories('poison')).some((m) => m.needsRecheck)).toBe(false);
  });
});
