import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { testEngine } from '../helpers/engine.js';

let engine: Engine;
afterEach(async () => { await engine?.close(); });

describe('per-user order', () => {
  it("decides each user's candidates in submission order, across many users at once", async () => {
    ({ engine } = await testEngine({ file: false, concurrency: 4, batchSize: 3 }));
    const subs = [];
    for (let i = 0; i < 50; i++) {
      const u = `u${i}`;
      subs.push([engine.submit({ userId: u, text: `Owns ${i + 2} bicycles` }), engine.submit({ userId: u, text: `owns ${i + 2} bicycles.` })]);
    }
    for (const [a, b] of subs) {
      expect((await a!.decided).action).toBe('added');
      expect((await b!.decided).action).toBe('duplicate');
    }
  });

  it('records events in submission order for one user', async () => {
    ({ engine } = await testEngine({ file: false, batchSize: 7 }));
    const texts = Array.from({ length: 40 }, (_, i) => `Visited country number ${i}`);
    const subs = texts.map((text, i) => engine.submit({ userId: 'solo', text, priority: (['low', 'normal', 'high'] as const)[i % 3] }));
    await Promise.all(subs.map((s) => s.decided));
    const events = await engine.events('solo');
    expect(events.map((e) => e.candidateId)).toEqual(subs.map((s) => s.id));
  });

  it('high priority lanes run ahead of low priority ones', async () => {
    ({ engine } = await testEngine({ file: false, concurrency: 1, batchSize: 1 }));
    const order: string[] = [];
    engine.emitter.on('decided', ({ candidate }) => order.push(candidate.priority));
    const subs = [];
    for (let i = 0; i < 30; i++) subs.push(engine.submit({ userId: `low${i}`, text: `Low fact ${i}`, priority: 'low' }));
    for (let i = 0; i < 10; i++) subs.push(engine.submit({ userId: `high${i}`, text: `High fact ${i}`, priority: 'high' }));
    await Promise.all(subs.map((s) => s.decided));
    const lastHigh = order.lastIndexOf('high');
    expect(lastHigh).toBeLessThan(20);
  });
});
