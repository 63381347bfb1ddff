// The sweep re-dedups memories stored with exact dedup only; its merges are undoable events; a pass
// interrupted by a restart resumes from the stored cursor; the CLI runs one pass.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine.js';
import { SWEEP_CURSOR_KEY, Sweeper } from '../../src/resilience/sweeper.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';

const FACTS = ['Loves hiking in the mountains', 'Works as a software engineer at Google', 'Has two cats',
  'Loves mountain hiking', 'Is a software engineer working at Google', 'Speaks fluent Spanish', 'Has three cats'];
const USERS = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An engine with memory.realtime-dedup off, holding FACTS for USERS users, all flagged needsRecheck. */
async function flagged(): Promise<{ engine: Engine; path: string; flags: string }> {
  const dir = tempDir();
  const flags = writeFlagsFile(dir, { 'memory.realtime-dedup': { name: 'memory.realtime-dedup', enabled: false, strategies: [] } });
  const path = `${dir}/sweep.db`;
  const engine = await createEngine({ logLevel: 'silent', store: { kind: 'sqlite', path }, flags: { kind: 'embedded', file: flags } });
  const subs = [];
  for (let u = 0; u < USERS; u++) for (const text of FACTS) subs.push(engine.submit({ userId: `s${u}`, text }));
  const ds = await Promise.all(subs.map((s) => s.decided));
  expect(new Set(ds.map((d) => d.action))).toEqual(new Set(['added']));
  return { engine, path, flags };
}

describe('sweep', () => {
  it('merges duplicates and supersedes contradictions as undoable events', async () => {
    const { engine } = await flagged();
    expect(await engine.recheckBacklog()).toBe(USERS * FACTS.length);
    const res = await engine.sweep();
    expect(res).toMatchObject({ checked: USERS * FACTS.length, merged: USERS * 2, superseded: USERS });
    const active = await engine.memories('s0');
    expect(active).toHaveLength(FACTS.length - 3);
    expect(active.some((m) => m.needsRecheck)).toBe(false);
    expect(active.find((m) => /hiking/.test(m.text))!.seenCount).toBe(2);

    const merge = (await engine.events('s0')).find((e) => e.action === 'duplicate')!;
    expect(merge.candidateId).toBe(`sweep:${merge.comparedMemoryId}`);
    expect(merge.reasons[0]).toBe('sweep');
    const undo = await engine.undo(merge.id);
    expect(undo.memoryId).toBe(merge.comparedMemoryId);
    const after = await engine.memories('s0');
    expect(after).toHaveLength(FACTS.length - 2);
    expect(after.find((m) => m.id === merge.memoryId)!.seenCount).toBe(1);
    // The operator said they differ: the sweep leaves them alone from now on.
    expect(await engine.sweep()).toMatchObject({ checked: 0, merged: 0 });
    await engine.close();
  });

  it('resumes an interrupted pass from the stored cursor after a restart', async () => {
    const { engine } = await flagged();
    const make = () => new Sweeper({ store: engine.store, deduper: engine.deduper, events: engine.emitter, providersUp: () => true,
      userBlocked: () => false, onCommitted: () => undefined, sliceSize: 3, slicePauseMs: 100 });
    const first = make();
    const pass = first.resume();
    while (!(await engine.store.getMeta(SWEEP_CURSOR_KEY))) await sleep(5);
    void first.stop();
    const r1 = (await pass)!;
    expect(r1.checked).toBeLessThan(USERS * FACTS.length);
    expect(r1.checked).toBeGreaterThan(0);
    const cursor = await engine.store.getMeta(SWEEP_CURSOR_KEY);
    expect(cursor).toBeTruthy();

    const second = make();
    const r2 = (await second.resume())!;
    expect(r1.checked + r2.checked).toBe(USERS * FACTS.length);
    expect(await engine.store.getMeta(SWEEP_CURSOR_KEY)).toBe('');
    expect(await engine.recheckBacklog()).toBe(0);
    await second.stop();
    await engine.close();
  });

  it('`memdedup sweep --user U --json` sweeps one user with a progress bar', async () => {
    const { engine, path, flags } = await flagged();
    await engine.close();
    const run = (args: string[]) => new Promise<{ code: number | null; out: string; err: string }>((res) => {
      const p = spawn(process.execPath, [resolve('bin/memdedup.js'), 'sweep', ...args], {
        env: { ...process.env, MEMDEDUP_DB: path, MEMDEDUP_FLAGS_FILE: flags }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = ''; let err = '';
      p.stdout.on('data', (d) => { out += d; }); p.stderr.on('data', (d) => { err += d; });
      p.on('exit', (code) => res({ code, out, err }));
    });
    const one = await run(['--user', 's1', '--json']);
    expect(one.code, one.err).toBe(0);
    expect(JSON.parse(one.out)).toMatchObject({ userId: 's1', checked: FACTS.length, merged: 2, superseded: 1 });
    expect(one.err).toMatch(/\[#+\] 100% 7\/7 checked, 2 merged/);
    const all = await run(['--json']);
    expect(JSON.parse(all.out)).toMatchObject({ checked: (USERS - 1) * FACTS.length, merged: (USERS - 1) * 2 });
    expect((await run(['--bogus'])).code).toBe(2);
  });
});
