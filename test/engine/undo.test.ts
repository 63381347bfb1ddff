import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { MemdedupError } from '../../src/errors.js';
import { testEngine } from '../helpers/engine.js';

let engine: Engine;
afterEach(async () => { await engine?.close(); });

const decide = (userId: string, text: string) => engine.submit({ userId, text }).decided;

describe('undo reverses every kind of event', () => {
  it('an add becomes forgotten, never deleted', async () => {
    ({ engine } = await testEngine({ file: false }));
    const a = await decide('u', 'Plays the cello');
    await engine.undo(a.eventId!);
    expect(await engine.memories('u')).toHaveLength(0);
    const all = await engine.memories('u', { status: 'all' });
    expect(all.map((m) => m.status)).toEqual(['forgotten']);
  });

  it('a duplicate becomes its own memory', async () => {
    ({ engine } = await testEngine({ file: false }));
    await decide('u', 'Plays the cello');
    const b = await decide('u', 'plays the cello.');
    expect(b.action).toBe('duplicate');
    await engine.undo(b.eventId!);
    const mems = await engine.memories('u');
    expect(mems.map((m) => m.text).sort()).toEqual(['Plays the cello', 'plays the cello.']);
    expect(mems.every((m) => m.seenCount === 1)).toBe(true);
  });

  it('an update gets its old text back', async () => {
    ({ engine } = await testEngine({ file: false }));
    const a = await decide('u', 'Has a dog');
    const b = await decide('u', 'Has a dog named Max');
    expect(b.action).toBe('updated');
    expect(b.memoryId).toBe(a.memoryId);
    expect((await engine.memories('u'))[0]!.text).toBe('Has a dog named Max');
    await engine.undo(b.eventId!);
    expect((await engine.memories('u'))[0]!.text).toBe('Has a dog');
  });

  it('a superseded memory becomes active again', async () => {
    ({ engine } = await testEngine({ file: false }));
    const a = await decide('u', 'Has 2 children');
    const b = await decide('u', 'Has 3 children');
    expect(b.action).toBe('superseded');
    expect((await engine.memories('u')).map((m) => m.text)).toEqual(['Has 3 children']);
    await engine.undo(b.eventId!);
    const texts = (await engine.memories('u')).map((m) => m.id);
    expect(texts).toContain(a.memoryId);
  });

  it('an undo is itself an event and cannot be applied twice', async () => {
    ({ engine } = await testEngine({ file: false }));
    const a = await decide('u', 'Collects stamps');
    const undo = await engine.undo(a.eventId!);
    expect(undo.action).toBe('undo');
    expect(undo.undoes).toBe(a.eventId);
    await expect(engine.undo(a.eventId!)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(engine.undo('no-such-event')).rejects.toBeInstanceOf(MemdedupError);
  });
});
