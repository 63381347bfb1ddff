// The policy: alignment plus guard signals -> duplicate / updated / superseded / added.
// Thresholds live in config; the defaults are calibrated on the dev data only (see docs/decisions.md, "How decisions are made").
import { signals, type Signals } from './signals.js';
import type { Neighbour, Prepared, Verdict } from './types.js';

export interface PolicyThresholds {
  /** Alignment score (dice over content words) at or above which a guard-free pair is the same fact. */
  duplicate: number;
  /** Share of the memory the candidate must cover for a conflict signal to mean "same attribute, new value". */
  conflict: number;
  /** Share of the memory the candidate must cover to refine it ("contains more"). */
  update: number;
}

export const DEFAULT_THRESHOLDS: Readonly<PolicyThresholds> = Object.freeze({ duplicate: 0.6, conflict: 0.65, update: 1 });

/** A conflict also needs the candidate to be mostly about the memory's subject, not a long story touching it. */
const CAND_COVERAGE_FOR_CONFLICT = 0.4;
/** A state change often has its own verb ("teaches at UCL" / "left UCL"): half the memory shared is enough. */
const STATE_CHANGE_MEM_COVERAGE = 0.5;
/** A state change usually says what came instead ("left UCL for a job in industry"): it may add more. */
const CAND_COVERAGE_FOR_STATE_CHANGE = 0.25;

/** Why a pair is not merged although its words are close. */
function blockers(s: Signals): string[] {
  const r: string[] = [];
  if (s.possessorChange) r.push('possessor-change');
  // A negation we could not place still forbids a merge: "has no X" is never a duplicate of "has X".
  if (s.negationParity) r.push('negation-unplaced');
  if (s.voiceChange) r.push('voice-change');
  if (s.separateEpisode) r.push('separate-episode');
  if (s.leadingRelation || s.frame.relationChange) r.push('relation-change');
  if (s.frame.roleChange) r.push('role-change');
  if (s.frame.nameExtended) r.push('name-change');
  if (s.looseQualifier) r.push('entity-change');
  return r;
}

/** One memory against the candidate: a verdict, or undefined when this memory says nothing about it. */
export function judgePair(cand: Prepared, n: Neighbour, t: PolicyThresholds, method: Verdict['method']): Verdict | undefined {
  const s = signals(cand, n.prepared);
  const base = { memoryId: n.id, comparedText: n.prepared.text, method, score: round(s.al.dice) };
  // Someone else's fact is never the user's, whatever the words share; conflicts included.
  if (s.frame.subjectChange) return s.al.dice > 0 ? { ...base, action: 'added', reasons: ['subject-change'] } : undefined;
  const conflict: string[] = [];
  if (s.polarityFlip) conflict.push('polarity-flip');
  else if (s.negationMismatch) conflict.push('negation-mismatch');
  if (s.antonym) conflict.push('antonym');
  if (s.stateChange) conflict.push('state-change');
  const candNeeded = conflict.length === 1 && conflict[0] === 'state-change' ? CAND_COVERAGE_FOR_STATE_CHANGE : CAND_COVERAGE_FOR_CONFLICT;
  const memNeeded = conflict.length === 1 && conflict[0] === 'state-change' ? STATE_CHANGE_MEM_COVERAGE : t.conflict;
  if (conflict.length && s.memCoverage >= memNeeded && s.candCoverage >= candNeeded) return { ...base, action: 'superseded', reasons: conflict };
  if (conflict.length) return undefined;
  const blocked = blockers(s);
  if (s.numberMismatch && !blocked.length) return { ...base, action: 'superseded', reasons: ['number-mismatch'] };
  if (s.valueMismatch && !blocked.length) return { ...base, action: 'superseded', reasons: ['value-mismatch'] };
  if (blocked.length) return s.al.dice >= t.duplicate ? { ...base, action: 'added', reasons: blocked } : undefined;
  if (s.containsMore && s.memCoverage >= t.update) return { ...base, action: 'updated', reasons: ['contains-more'] };
  if (s.al.memOnly.length === 0 && s.al.candOnly.length === 0 && s.al.dice >= t.duplicate) return { ...base, action: 'duplicate', reasons: ['same-content'] };
  if (s.containedIn && s.frame.objectDropped) return { ...base, action: 'added', reasons: ['role-change'] };
  if (s.containedIn && s.al.dice >= t.duplicate) return { ...base, action: 'duplicate', reasons: ['contained-in'] };
  // Mergeable by its words, but not close enough: the duplicate threshold alone kept it apart.
  if ((s.al.memOnly.length === 0 && s.al.candOnly.length === 0) || s.containedIn) return { ...base, action: 'added', reasons: ['below-threshold'] };
  if (s.moreGeneral && s.memCoverage >= t.conflict) return { ...base, action: 'duplicate', reasons: ['more-general'] };
  if (s.moreSpecific) return { ...base, action: 'updated', reasons: ['more-specific'] };
  return undefined;
}

/** Decides against the nearest neighbours, best first; the first memory that has something to say wins. */
export function applyPolicy(cand: Prepared, nbrs: Neighbour[], t: PolicyThresholds, method: Verdict['method']): Verdict {
  let best: Verdict | undefined;
  for (const n of nbrs) {
    const v = judgePair(cand, n, t, method);
    if (v && v.action !== 'added') return v;
    if (v && !best) best = v;
  }
  if (best) return best;
  const top = nbrs[0];
  if (!top) return { action: 'added', method, score: 0, reasons: ['no-neighbour'] };
  const s = signals(cand, top.prepared);
  return { action: 'added', memoryId: top.id, comparedText: top.prepared.text, method, score: round(s.al.dice), reasons: ['different-content'] };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
