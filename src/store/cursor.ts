import { invalidInput } from '../errors.js';
import type { Page } from './types.js';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

/** Cursors are opaque to callers: the insertion sequence of the last row, base64url-encoded. */
export function encodeCursor(seq: number | string | bigint): string {
  return Buffer.from(`s:${seq}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^s:(\d{1,15})$/.exec(raw);
  if (!m) throw invalidInput('cursor', 'is not a cursor this API issued');
  return Number(m[1]);
}

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1) throw invalidInput('limit', `must be an integer 1-${MAX_PAGE}`);
  return Math.min(limit, MAX_PAGE);
}

/** Every item of a paged read, page after page. */
export async function collectPages<T>(page: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    out.push(...p.items);
    cursor = p.cursor;
  } while (cursor);
  return out;
}
