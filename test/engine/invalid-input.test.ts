import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { MemdedupError } from '../../src/errors.js';
import { testEngine } from '../helpers/engine.js';

let engine: Engine;
beforeAll(async () => { ({ engine } = await testEngine({ file: false })); });
afterAll(async () => { await engine.close(); });

describe('invalid input', () => {
  it.each([
    [null, 'candidate'], [{ text: 'x' }, 'userId'], [{ userId: '', text: 'x' }, 'userId'], [{ userId: 'u'.repeat(129), text: 'x' }, 'userId'],
    [{ userId: 'a\u0000b', text: 'x' }, 'userId'], [{ userId: 'u', text: '   ' }, 'text'], [{ userId: 'u', text: 'x'.repeat(2001) }, 'text'],
    [{ userId: 'u', text: 42 }, 'text'], [{ userId: 'u', text: 'ok', priority: 'urgent' }, 'priority'], [{ userId: 'u', text: 'ok', id: '' }, 'id'],
  ])('%j throws INVALID_INPUT naming %s', (input, field) => {
    let err: unknown;
    try { engine.submit(input); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(MemdedupError);
    expect((err as MemdedupError).code).toBe('INVALID_INPUT');
    expect((err as MemdedupError).message).toContain(field);
  });

  it('accepts 2000 characters after trimming', () => {
    expect(engine.submit({ userId: 'u', text: `  ${'y'.repeat(2000)}  ` }).status).toBe('accepted');
  });
});
