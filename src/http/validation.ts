// Runs a zod schema over one part of a request; failures become INVALID_INPUT naming every bad field.
import type { z } from 'zod';
import { MemdedupError } from '../errors.js';

export interface FieldProblem { field: string; problem: string }

function fieldName(path: readonly PropertyKey[], root: string): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s || root;
}

/** Parses or throws INVALID_INPUT; `root` names the part when the problem is the whole of it (e.g. 'body'). */
export function parse<S extends z.ZodType>(schema: S, value: unknown, root: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const details: FieldProblem[] = r.error.issues.slice(0, 50).map((i) => ({ field: fieldName(i.path, root), problem: i.message }));
  const fields = [...new Set(details.map((d) => d.field))];
  throw new MemdedupError('INVALID_INPUT', `invalid ${fields.slice(0, 5).join(', ')}${fields.length > 5 ? ', …' : ''}`, details);
}
