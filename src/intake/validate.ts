import { newId } from '../ids.js';
import { invalidInput } from '../errors.js';
import { PRIORITIES, type Candidate, type CandidateInput, type Priority } from '../types.js';

export const TEXT_MAX = 2000;
export const USER_ID_MAX = 128;
export const ID_MAX = 128;
// Printable: no C0/C1 controls, no lone surrogates.
const NON_PRINTABLE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function validateId(field: string, v: unknown, max: number): string {
  if (typeof v !== 'string') throw invalidInput(field, 'must be a string');
  if (v.length < 1 || v.length > max) throw invalidInput(field, `must be 1-${max} characters`);
  if (NON_PRINTABLE.test(v)) throw invalidInput(field, 'must contain printable characters only');
  return v;
}

/** Validates a candidate on the chat path: cheap, synchronous, throws INVALID_INPUT naming the field. */
export function validateCandidate(input: unknown, now = Date.now()): Candidate {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw invalidInput('candidate', 'must be an object');
  const c = input as Partial<CandidateInput>;
  const userId = validateId('userId', c.userId, USER_ID_MAX);
  if (typeof c.text !== 'string') throw invalidInput('text', 'must be a string');
  const text = c.text.trim();
  if (text.length < 1 || text.length > TEXT_MAX) throw invalidInput('text', `must be 1-${TEXT_MAX} characters after trimming`);
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) throw invalidInput('text', 'must be valid Unicode');
  const id = c.id === undefined ? newId() : validateId('id', c.id, ID_MAX);
  let priority: Priority = 'normal';
  if (c.priority !== undefined) {
    if (!PRIORITIES.includes(c.priority as Priority)) throw invalidInput('priority', "must be 'high', 'normal' or 'low'");
    priority = c.priority;
  }
  let source: string | undefined;
  if (c.source !== undefined) {
    if (typeof c.source !== 'string' || c.source.length > 256) throw invalidInput('source', 'must be a string of at most 256 characters');
    source = c.source;
  }
  return { id, userId, text, priority, source, acceptedAt: now, attempts: 0 };
}
