// Journal rows that break the text rules (written before the rules existed, e.g. U+0000 on SQLite, or by
// another tool) are not handed to a lane: a batch holding one would fail for everyone in it, and a copy to
// PostgreSQL would refuse it. They become dead letters at claim, with the rule they break as their error.
import { coerceError } from '../errors.js';
import type { EngineEvents } from '../engineEvents.js';
import type { JournalFailure, Store } from '../store/types.js';
import type { Candidate } from '../types.js';
import { textProblem } from './textRules.js';

export interface ClaimedRows { valid: Candidate[]; invalid: { row: Candidate; failure: JournalFailure }[] }

export function splitClaimed(rows: Candidate[]): ClaimedRows {
  const out: ClaimedRows = { valid: [], invalid: [] };
  for (const row of rows) {
    const problem = textProblem(row.text) ?? (row.source === undefined ? undefined : textProblem(row.source));
    if (!problem) { out.valid.push(row); continue; }
    const lastError = `INVALID_INPUT: text or source ${problem}`;
    out.invalid.push({ row: { ...row, lastError }, failure: { id: row.id, attempts: row.attempts, lastError, notBefore: 0, dead: true } });
  }
  return out;
}

/** Records the invalid rows as dead letters; if the store cannot take that now, their lease runs out and a later claim retries. */
export async function deadLetterAtClaim(store: Store, events: EngineEvents, invalid: ClaimedRows['invalid']): Promise<void> {
  try {
    await store.failJournal(invalid.map((x) => x.failure));
  } catch (e) {
    events.safeEmit('error', { stage: 'journal-claim', error: coerceError(e) });
    return;
  }
  for (const { row } of invalid) events.safeEmit('dead-letter', { candidate: row, error: row.lastError! });
}
