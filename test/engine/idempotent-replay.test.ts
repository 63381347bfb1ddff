import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { testEngine } from '../helpers/engine.js';

let engine: Engine;
afterEach(async () => { await engine?.close(); });

describe('idempotent replay', () => {
  it('a replayed id gets the same decision and never a second event', async () => {
    ({ engine } = await testEngine());
    const d1 = await engine.submit({ userId: 'u', text: 'Works as a nurse in Chicago', id: 'fixed-1' }).decided;
    const d2 = await engine.submit({ userId: 'u', text: 'Works as a nurse in Chicago', id: 'fixed-1' }).decided;
    expect(d1.action).toBe('added');
    expect(d2.eventId).toBe(d1.eventId);
    expect(d2.action).toBe('added');
    const events = (await engine.events('u')).filter((e) => e.candidateId === 'fixed-1');
    expect(events).toHaveLength(1);
    expect(await engine.memories('u')).toHaveLength(1);
  });

  it('the same id submitted twice while pending shares one submission', async () => {
    ({ engine } = await testEngine({ file: false }));
    const a = engine.submit({ userId: 'u', text: 'Likes jazz', id: 'same' });
    const b = engine.submit({ userId: 'u', text: 'Likes jazz', id: 'same' });
    const [da, db] = await Promise.all([a.decided, b.decided]);
    expect(db.eventId).toBe(da.eventId);
    expect(await engine.events('u')).toHaveLength(1);
  });

  it('replays survive a restart on the same file', async () => {
    const first = await testEngine();
    const d1 = await first.engine.submit({ userId: 'u', text: 'Speaks Welsh', id: 'restart-1' }).decided;
    await first.engine.close();
    ({ engine } = await testEngine({ dir: first.dir }));
    const d2 = await engine.submit({ userId: 'u', text: 'Speaks Welsh', id: 'restart-1' }).decided;
    expect(d2.eventId).toBe(d1.eventId);
    expect(await engine.events('u')).toHaveLength(1);
  });
});
