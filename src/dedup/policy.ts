// The policy: similarity plus guard signals -> duplicate / updated / superseded / added.
// Thresholds live in config; the defaults are calibrated on the dev data only (see README, "How decisions are made").
import { signals } from './signals.js';
import type { Neighbour, Prepared, Verdict } from './types.js';

export interface PolicyThresholds {
  /** At or above: the same fact, when no guard fires. */
  duplicate: number;
  /** At or above, with a conflict signal (negation, number, antonym): same attribute, incompatible value. */
  conflict: number;
  /** At or above, with containment: the candidate refines the memory. */
  update: number;
}

export const DEFAULT_THRESHOLDS: Readonly<PolicyThresholds> = Object.freeze({ duplicate: 0.86, conflict: 0.55, update: 0.5 });

/** Decides against the nearest neighbours, best first; the first rule that fires wins. */
export function applyPolicy(cand: Prepared, nbrs: Neighbour[], t: PolicyThresholds, method: Verdict['method']): Verdict {
  for (const n of nbrs) {
    const s = signals(cand, n.prepared);
    const base = { memoryId: n.id, comparedText: n.prepared.text, method, score: round(n.score) };
    const conflict: string[] = [];
    if (s.negationMismatch) conflict.push('negation-mismatch');
    if (s.numberMismatch) conflict.push('number-mismatch');
    if (s.antonym) conflict.push('antonym');
    if (conflict.length && n.score >= t.conflict) return { ...base, action: 'superseded', reasons: conflict };
    if (conflict.length) continue;
    if (s.containsMore && n.score >= t.update) return { ...base, action: 'updated', reasons: ['contains-more'] };
    if (n.score >= t.duplicate) return { ...base, action: 'duplicate', reasons: [s.containedIn ? 'contained-in' : 'similar'] };
  }
  const best = nbrs[0];
  return best
    ? { action: 'added', memoryId: best.id, comparedText: best.prepared.text, method, score: round(best.score), reasons: ['below-threshold'] }
    : { action: 'added', method, score: 0, reasons: ['no-neighbour'] };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
