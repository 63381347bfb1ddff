// A worker thread that crashes under load: restarted, its journal rows replayed, nothing lost or decided twice,
// the other workers deciding on; five crashes in a minute stop the deciding with the candidates kept.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { readiness } from '../../src/http/readiness.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';

const hooks = (dir: string, mode: 'once' | 'always') =>
  `${pathToFileURL(join(import.meta.dirname, 'crashHooks.mjs')).href}?dir=${encodeURIComponent(dir)}&mode=${mode}`;

let engine: Engine | undefined;
afterEach(async () => { await engine?.close(); engine = undefined; });

async function start(dir: string, mode: 'once' | 'always', workers = 2): Promise<Engine> {
  return Engine.create({ thread: 'worker', workers, store: { kind: 'sqlite', path: join(dir, 'db.sqlite') },
    flags: { kind: 'embedded', file: writeFlagsFile(dir) }, logLevel: 'silent' }, { workerHooks: hooks(dir, mode) });
}

describe('a worker crash under load', () => {
  it('restarts the worker; every accepted candidate is decided exactly once and the others keep deciding', async () => {
    const dir = tempDir();
    engine = await start(dir, 'once');
    const errors: string[] = [];
    engine.emitter.on('error', (e) => errors.push(e.stage));
    const subs = [];
    for (let i = 0; i < 3000; i++) {
      const crash = i === 1500 ? ' [crash]' : '';
      subs.push(engine.submit({ userId: `u-${i % 97}`, text: `Fact number ${i % 400} about topic ${i % 13}${crash}` }));
      if (i % 250 === 0) await new Promise((r) => setImmediate(r));
    }
    const decisions = await Promise.all(subs.map((s) => s.decided));
    expect(errors).toContain('worker');
    expect(engine.status().threads).toMatchObject({ mode: 'worker', workers: 2, crashes: 1, state: 'running' });
    expect(decisions.filter((d) => d.action === 'deferred')).toEqual([]);
    expect(await engine.drain(30_000)).toBe(true);
    // Exactly one event per candidate: nothing lost, nothing decided twice.
    const ids = new Set(subs.map((s) => s.id));
    const events = await engine.store.eventsForCandidates([...ids]);
    expect(events.length).toBe(ids.size);
    expect(new Set(events.map((e) => e.candidateId)).size).toBe(ids.size);
    expect(await engine.store.journalDepth()).toBe(0);
    expect((await readiness(engine)).ready).toBe(true);
  }, 120_000);

  it('stops deciding after 5 crashes in a minute: /readyz fails, status says why, candidates stay in the journal', async () => {
    const dir = tempDir();
    engine = await start(dir, 'always', 1);
    const subs = Array.from({ length: 20 }, (_, i) => engine!.submit({ userId: 'loop', text: `Crash loop fact ${i} [crash]` }));
    await Promise.all(subs.map((s) => s.accepted));
    const deadline = Date.now() + 60_000;
    while (engine.status().threads.state !== 'stopped' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const t = engine.status().threads;
    expect(t.state).toBe('stopped');
    expect(t.crashes).toBe(5);
    expect(t.reason).toMatch(/5 worker crashes/);
    const r = await readiness(engine);
    expect(r.ready).toBe(false);
    expect(r.checks.find((c) => c.name === 'workers-running')?.ok).toBe(false);
    // Nothing was decided and nothing is lost: all 20 wait in the journal for a restarted engine.
    expect(await engine.store.journalDepth()).toBe(20);
    await engine.close();
    engine = undefined;
    // A new engine (without the fault) decides them.
    engine = await Engine.create({ thread: 'worker', workers: 1, store: { kind: 'sqlite', path: join(dir, 'db.sqlite') },
      flags: { kind: 'embedded', file: writeFlagsFile(dir) }, logLevel: 'silent' });
    expect(await engine.drain(30_000)).toBe(true);
    expect((await engine.store.eventsForCandidates(subs.map((s) => s.id))).length).toBe(20);
  }, 120_000);
});
