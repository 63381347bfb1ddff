// The bisection on its own: which rows are written, rejected or handed back, and in what order.
import { describe, expect, it } from 'vitest';
import { writeIsolating } from '../../src/resilience/isolate.js';

const rowError = (row: number) => Object.assign(new Error(`row ${row} refused`), { code: '22021' });
const busy = () => Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' });
const rowFault = (e: unknown) => (e as { code?: string }).code !== 'SQLITE_BUSY';

/** A store whose transactions fail whole when they hold a bad row. */
function store(bad: Set<number>, opts: { busyAfter?: number } = {}) {
  const written: number[][] = [];
  let calls = 0;
  return {
    written,
    write: async (part: number[]) => {
      calls++;
      if (opts.busyAfter !== undefined && calls > opts.busyAfter) throw busy();
      const b = part.find((r) => bad.has(r));
      if (b !== undefined) throw rowError(b);
    },
    onWritten: (part: number[]) => { written.push(part); },
  };
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('writeIsolating', () => {
  it('writes a good chunk in one write', async () => {
    const s = store(new Set());
    const r = await writeIsolating(rows(500), { ...s, rowFault });
    expect(r).toEqual({ rejected: [], pending: [], writes: 1 });
    expect(s.written).toEqual([rows(500)]);
  });

  it('bisects down to the bad rows, writes every good row once and in order, rejects only the bad', async () => {
    const s = store(new Set([137, 400]));
    const r = await writeIsolating(rows(500), { ...s, rowFault, storeHealthy: async () => true });
    expect(r.rejected.map((x) => [x.row, x.error.message])).toEqual([[137, 'row 137 refused'], [400, 'row 400 refused']]);
    expect(s.written.flat()).toEqual(rows(500).filter((x) => x !== 137 && x !== 400));
    expect(r.pending).toEqual([]);
    // About 2·log2(500) writes per bad row, plus one confirming retry each: far from one write per row.
    expect(r.writes).toBeLessThan(45);
  });

  it('rejects nothing while the store says it is unhealthy: the rows go back to be retried', async () => {
    const s = store(new Set([3]));
    const r = await writeIsolating(rows(8), { ...s, rowFault, storeHealthy: async () => false });
    expect(r.rejected).toEqual([]);
    expect(r.pending).toEqual([3, 4, 5, 6, 7]);
    expect(s.written.flat()).toEqual([0, 1, 2]);
    expect(r.transientError?.message).toBe('row 3 refused');
  });

  it('a row that writes on the confirming retry is written, not rejected', async () => {
    let failOnce = true;
    const written: number[][] = [];
    const r = await writeIsolating([1], {
      write: async () => { if (failOnce) { failOnce = false; throw new Error('connection dropped'); } },
      rowFault: () => true, storeHealthy: async () => true, onWritten: (p) => { written.push(p); },
    });
    expect(r.rejected).toEqual([]);
    expect(written).toEqual([[1]]);
  });

  it('stops at a transient failure and hands back every row not yet written, in order', async () => {
    const s = store(new Set([5]), { busyAfter: 3 });
    const r = await writeIsolating(rows(16), { ...s, rowFault });
    expect(r.transientError?.message).toBe('busy');
    expect([...s.written.flat(), ...r.pending].sort((a, b) => a - b)).toEqual(rows(16));
    expect(r.pending).toEqual([...r.pending].sort((a, b) => a - b));
    expect(r.rejected).toEqual([]);
  });
});
