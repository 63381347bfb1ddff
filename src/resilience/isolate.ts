// Isolating a failing row: one bad row must never hold a whole chunk hostage (issue 16).
// A chunk write that fails for a reason that is the rows' fault (not transient, per the retry table) is split
// in halves, in order, down to single rows; every part that writes is reported at once, so good rows become
// durable without waiting for the rest. A row is rejected only when it fails alone twice, with the store
// answering in between: a dropped connection or a store that is down is then never mistaken for bad data.
// A transient failure stops the bisection; what was not written yet is handed back to be retried as before.
// Self-contained on purpose (no engine or store imports), so it can move into a worker thread as it is.

export interface IsolateOptions<T> {
  /** Writes one part in one transaction; throws when the part failed (nothing of it written). */
  write: (part: T[]) => Promise<void>;
  /** True when an error blames the rows (bad data), false when it blames the store (busy, down, …). */
  rowFault: (e: unknown) => boolean;
  /** Called with each part as soon as it is written. */
  onWritten: (part: T[]) => void;
  /** Asked before a single row is rejected: false means the store itself is in trouble, so nothing is rejected. */
  storeHealthy?: () => Promise<boolean>;
}

export interface IsolateResult<T> {
  /** Rows that failed alone, each with its last error. */
  rejected: { row: T; error: Error }[];
  /** Rows not written because a transient failure stopped the bisection, in their original order. */
  pending: T[];
  /** The transient failure, when there was one. */
  transientError?: Error;
  /** Write attempts made (1 when the chunk wrote whole). */
  writes: number;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

export async function writeIsolating<T>(rows: T[], o: IsolateOptions<T>): Promise<IsolateResult<T>> {
  const out: IsolateResult<T> = { rejected: [], pending: [], writes: 0 };
  // Parts still to write, in order: the front is written (or split) first, so order is kept.
  const parts: T[][] = rows.length > 0 ? [rows] : [];
  const stop = (error: unknown, from: T[]) => {
    out.transientError = asError(error);
    out.pending = [...from, ...parts.flat()];
    parts.length = 0;
  };
  while (parts.length > 0) {
    const part = parts.shift()!;
    let error: unknown;
    try {
      out.writes++;
      await o.write(part);
      o.onWritten(part);
      continue;
    } catch (e) { error = e; }
    if (!o.rowFault(error)) { stop(error, part); break; }
    if (part.length > 1) {
      const mid = Math.ceil(part.length / 2);
      parts.unshift(part.slice(0, mid), part.slice(mid));
      continue;
    }
    // A single row failed for a row-looking reason: confirm it is the row before rejecting it.
    if (o.storeHealthy && !(await o.storeHealthy().catch(() => false))) { stop(error, part); break; }
    try {
      out.writes++;
      await o.write(part);
      o.onWritten(part);
    } catch (again) {
      if (!o.rowFault(again)) { stop(again, part); break; }
      out.rejected.push({ row: part[0]!, error: asError(again) });
    }
  }
  return out;
}
