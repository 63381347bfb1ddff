import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { testEngine } from '../helpers/engine.js';

let engine: Engine;
afterEach(async () => { await engine?.close(); });

describe('a bounded journal', () => {
  it('answers overloaded past its limit and loses nothing it accepted', async () => {
    ({ engine } = await testEngine({ file: false, journalLimit: 50 }));
    const subs = Array.from({ length: 120 }, (_, i) => engine.submit({ userId: `u${i % 5}`, text: `Distinct fact number ${i}` }));
    const accepted = subs.filter((s) => s.status === 'accepted');
    const overloaded = subs.filter((s) => s.status === 'overloaded');
    expect(accepted).toHaveLength(50);
    expect(overloaded).toHaveLength(70);
    expect((await overloaded[0]!.decided).action).toBe('deferred');
    await engine.drain();
    let events = 0;
    for (let u = 0; u < 5; u++) events += (await engine.events(`u${u}`)).length;
    expect(events).toBe(50);
    expect(engine.submit({ userId: 'later', text: 'Room again after the drain' }).status).toBe('accepted');
  });
});
