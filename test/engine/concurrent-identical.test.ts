import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { testEngine } from '../helpers/engine.js';

let engine: Engine;
afterEach(async () => { await engine?.close(); });

describe('200 concurrent identical submissions', () => {
  it.each([['file', true], [':memory:', false]])('leave exactly one active memory (%s)', async (_label, file) => {
    ({ engine } = await testEngine({ file: file as boolean, batchSize: 16 }));
    const subs = Array.from({ length: 200 }, () => engine.submit({ userId: 'race', text: 'Is allergic to peanuts' }));
    const ds = await Promise.all(subs.map((s) => s.decided));
    expect(ds.filter((d) => d.action === 'added')).toHaveLength(1);
    expect(ds.filter((d) => d.action === 'duplicate')).toHaveLength(199);
    const mems = await engine.memories('race');
    expect(mems).toHaveLength(1);
    expect(mems[0]!.seenCount).toBe(200);
  });
});
