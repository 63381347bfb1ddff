import { newId } from '../ids.js';
import { invalidInput } from '../errors.js';
import { PRIORITIES, type Candidate, type CandidateInput, type Priority } from '../types.js';
import { ID_MAX, idProblem, SOURCE_MAX, TEXT_MAX, textProblem, USER_ID_MAX } from './textRules.js';

export { ID_MAX, TEXT_MAX, USER_ID_MAX };

export function validateId(field: string, v: unknown, max: number): string {
  if (typeof v !== 'string') throw invalidInput(field, 'must be a string');
  if (v.length < 1 || v.length > max) throw invalidInput(field, `must be 1-${max} characters`);
  const problem = idProblem(v);
  if (problem) throw invalidInput(field, problem);
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
  const textIssue = textProblem(text);
  if (textIssue) throw invalidInput('text', textIssue);
  const id = c.id === undefined ? newId() : validateId('id', c.id, ID_MAX);
  let priority: Priority = 'normal';
  if (c.priority !== undefined) {
    if (!PRIORITIES.includes(c.priority as Priority)) throw invalidInput('priority', "must be 'high', 'normal' or 'low'");
    priority = c.priority;
  }
  let source: string | undefined;
  if (c.source !== undefined) {
    if (typeof c.source !== 'string' || c.source.length > SOURCE_MAX) throw invalidInput('source', `must be a string of at most ${SOURCE_MAX} characters`);
    const sourceIssue = textProblem(c.source);
    if (sourceIssue) throw invalidInput('source', sourceIssue);
    source = c.source;
  }
  return { id, userId, text, priority, source, acceptedAt: now, attempts: 0 };
}
