// A candidate that always fails becomes a dead letter after maxAttempts, keeps its error across a
// restart (never dropped), and is decided once the fault is gone and it is re-driven.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';
import { faulty, poison } from './faults.js';

describe('dead letters', () => {
  it('dead-letters after maxAttempts, survives a restart, and redrive decides it once fixed', async () => {
    const dir = tempDir();
    const opts = { logLevel: 'silent',
      store: { kind: 'sqlite' as const, path: `${dir}/dl.db` }, flags: { kind: 'embedded' as const, file: writeFlagsFile(dir) },
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 },
    };
    const faults = { broken: true };
    const inject = faulty({ decide: (text) => { if (faults.broken && text.includes('cursed')) throw poison(text); } });
    let engine = await Engine.create(opts, { deduper: inject });
    const deadEvents: string[] = [];
    engine.emitter.on('dead-letter', (e) => deadEvents.push(e.candidate.id));
    const bad = engine.submit({ userId: 'dl', text: 'Owns a cursed painting', id: 'bad-1' });
    const good = engine.submit({ userId: 'dl', text: 'Owns a bicycle', id: 'good-1' });
    expect((await good.decided).action).toBe('added');
    const d = await bad.decided;
    expect(d.action).toBe('dead-letter');
    expect(d.error).toMatch(/cannot featurize/);
    expect(deadEvents).toEqual(['bad-1']);
    await engine.close();

    // A restart keeps it: visible, with its attempts and last error, and not retried by the poller.
    engine = await Engine.create(opts, { deduper: inject });
    await engine.drain(2000);
    const dead = await engine.deadLetters();
    expect(dead.map((c) => [c.id, c.attempts, c.lastError])).toEqual([['bad-1', 3, expect.stringMatching(/cannot featurize/)]]);
    expect(await engine.decision('bad-1')).toBeUndefined();

    faults.broken = false;
    expect(await engine.redrive(['bad-1'])).toEqual({ redriven: 1 });
    expect(await engine.drain(10_000)).toBe(true);
    expect((await engine.decision('bad-1'))?.action).toBe('added');
    expect(await engine.deadLetters()).toEqual([]);
    await engine.close();
  });
});
