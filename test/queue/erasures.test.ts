// The erasure fence: drops a user's candidates accepted up to the erase, keeps later ones, forgets old erasures.
import { describe, expect, it } from 'vitest';
import { Erasures } from '../../src/queue/erasures.js';
import type { Candidate } from '../../src/types.js';

const c = (userId: string, acceptedAt: number, id = `${userId}-${acceptedAt}`): Candidate =>
  ({ id, userId, text: 't', priority: 'normal', acceptedAt, attempts: 0 });

describe('Erasures', () => {
  it('fences candidates accepted up to the erase, for that user only', () => {
    const e = new Erasures();
    e.begin('u', 1000);
    const { keep, erased } = e.split([c('u', 999), c('u', 1000), c('u', 1001), c('v', 10)]);
    expect(erased.map((x) => x.acceptedAt)).toEqual([999, 1000]);
    expect(keep.map((x) => `${x.userId}@${x.acceptedAt}`)).toEqual(['u@1001', 'v@10']);
  });

  it('moves the fence forward when the user is erased again', () => {
    const e = new Erasures();
    e.begin('u', 1000);
    e.begin('u', 2000);
    expect(e.fenced(c('u', 1500))).toBe(true);
    expect(e.size).toBe(1);
  });

  it('forgets erasures older than the ttl', () => {
    const e = new Erasures(100, 1000);
    e.begin('a', 0);
    e.begin('b', 50);
    e.begin('c', 140); // a is 140 ms old now, b 90 ms
    expect(e.fenced(c('a', 0))).toBe(false);
    expect(e.fenced(c('b', 50))).toBe(true);
    expect(e.size).toBe(2);
  });

  it('keeps at most cap erasures, dropping the oldest', () => {
    const e = new Erasures(60_000, 3);
    for (const [i, u] of ['a', 'b', 'c', 'd', 'e'].entries()) e.begin(u, i);
    expect(e.size).toBe(3);
    expect(e.fenced(c('b', 1))).toBe(false);
    expect(e.fenced(c('c', 2))).toBe(true);
    expect(e.fenced(c('e', 4))).toBe(true);
  });
});
