// What the engine holds in memory for one candidate between submit (or journal claim) and its decision,
// and the ready-made submissions of candidates that were never accepted.
import type { Acceptance, Candidate, Decision, Submission } from '../types.js';

export const DURABLE: Acceptance = Object.freeze({ durable: true });
const NOT_ACCEPTED: Acceptance = Object.freeze({ durable: false });

export interface Inflight {
  candidate: Candidate;
  /** buffered: awaiting group commit; queued: in a lane; retry: waiting in the journal for its next attempt. */
  state: 'buffered' | 'queued' | 'retry';
  submission: Submission;
  resolveAccepted: (a: Acceptance) => void;
  resolveDecided: (d: Decision) => void;
  /** Set when a retry could not be written to the journal (store down): re-queued from memory at this time. */
  retryAt?: number;
}

export function newInflight(c: Candidate, state: Inflight['state']): Inflight {
  let resolveAccepted!: (a: Acceptance) => void;
  let resolveDecided!: (d: Decision) => void;
  const accepted = new Promise<Acceptance>((r) => { resolveAccepted = r; });
  const decided = new Promise<Decision>((r) => { resolveDecided = r; });
  return { candidate: c, state, submission: { id: c.id, status: 'accepted', accepted, decided }, resolveAccepted, resolveDecided };
}

/** A submission answered at once (disabled by flag, overloaded): nothing becomes durable. */
export function settledSubmission(c: Candidate, status: Submission['status'], d: Decision): Submission {
  return { id: c.id, status, accepted: Promise.resolve(NOT_ACCEPTED), decided: Promise.resolve(d) };
}

/** The store refused the candidate on its own at group commit: a clear answer on both promises, no retry. */
export function rejectByStore(entry: Inflight, error: Error): void {
  const message = `the store refused this candidate: ${error.message}`;
  entry.resolveAccepted({ durable: false, error: { code: 'STORE_REJECTED', message } });
  entry.resolveDecided({ candidateId: entry.candidate.id, userId: entry.candidate.userId, action: 'rejected', error: message, reasons: ['store-rejected'] });
}
