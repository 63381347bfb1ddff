// A memory's frame is written with it and read back on a cold index load, so the tagger runs once per memory.
import { describe, expect, it } from 'vitest';
import { Cascade } from '../../src/dedup/cascade.js';
import { FRAME_VERSION, frameOf } from '../../src/dedup/frame.js';
import { testEngine } from '../helpers/engine.js';

describe('persisted frames', () => {
  it('a compared memory carries its frame, of the current version', async () => {
    const { engine } = await testEngine();
    try {
      await engine.submit({ userId: 'pf', text: 'Plays the oboe' }).decided;
      const d = await engine.submit({ userId: 'pf', text: 'Her godson plays the oboe' }).decided;
      expect(d.reasons).toContain('subject-change');
      const ms = await engine.memories('pf');
      const second = ms.find((m) => m.id === d.memoryId)!;
      expect(JSON.parse(second.analysis!)).toEqual(frameOf('Her godson plays the oboe'));
      expect(JSON.parse(second.analysis!).v).toBe(FRAME_VERSION);
      // The first memory was analysed only when the second candidate was compared with it (frames are lazy): its
      // frame rides on the cached memory and is written by the next commit that touches it.
      expect(ms.find((m) => m.id !== d.memoryId)!.analysis).toBeUndefined();
      await engine.submit({ userId: 'pf', text: 'plays the oboe.' }).decided;
      const first = (await engine.memories('pf')).find((m) => m.id !== d.memoryId)!;
      expect(JSON.parse(first.analysis!)).toEqual(frameOf('Plays the oboe'));
    } finally {
      await engine.close();
    }
  });

  it('a cold index load uses a current persisted frame, and re-analyses a stale one', async () => {
    const c = new Cascade({ topK: 8 });
    const text = 'Plays the oboe';
    // A persisted frame that says someone else: were the text re-analysed, the candidate would refine it.
    const claimed = JSON.stringify({ ...frameOf(text), subject: ['godson'] });
    const [p] = await c.prepare(['Plays the oboe on Sundays']);
    const fresh = await c.createIndex([{ id: 'm1', text, analysis: claimed }]);
    expect((await c.decide(p!, fresh)).reasons).toContain('subject-change');
    const stale = await c.createIndex([{ id: 'm1', text, analysis: JSON.stringify({ ...JSON.parse(claimed), v: FRAME_VERSION - 1 }) }]);
    expect((await c.decide(p!, stale)).action).toBe('updated');
  });
});
