import { describe, expect, it } from 'vitest';
import { ShardedMap } from '../../src/intake/shardedMap.js';

describe('ShardedMap', () => {
  it('behaves as a Map over many keys: set, overwrite, get, has, delete, size, values, clear', () => {
    const m = new ShardedMap<number>();
    const keys = Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? `c-${i}` : i % 3 === 1 ? crypto.randomUUID() : `${i}`));
    keys.forEach((k, i) => m.set(k, i));
    m.set(keys[0]!, -1);
    expect(m.size).toBe(5000);
    expect(m.get(keys[0]!)).toBe(-1);
    expect(m.get(keys[4999]!)).toBe(4999);
    expect(m.has('missing')).toBe(false);
    for (const k of keys.slice(0, 2500)) expect(m.delete(k)).toBe(true);
    expect(m.delete(keys[0]!)).toBe(false);
    expect(m.size).toBe(2500);
    expect([...m.values()].sort((a, b) => a - b)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 2500));
    expect(new Set(m.keys())).toEqual(new Set(keys.slice(2500)));
    m.clear();
    expect(m.size).toBe(0);
    expect([...m.values()]).toEqual([]);
  });
});
