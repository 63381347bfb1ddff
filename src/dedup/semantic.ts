// The optional tiers after the lexical policy: a dense-vector duplicate check, and the judge for the grey band.
import type { DedupAction } from '../types.js';
import { signals } from './signals.js';
import type { Judge, JudgeLabel } from './providers/types.js';
import type { Neighbour, Prepared, UserIndex, Verdict } from './types.js';

export interface SemanticThresholds {
  /** Dense cosine at or above which a guard-free pair is the same fact. */
  duplicate: number;
  /** Dense cosine at or above which (and below `duplicate`) the judge is asked, when one is configured. */
  grey: number;
}
export const DEFAULT_SEMANTIC: Readonly<SemanticThresholds> = Object.freeze({ duplicate: 0.92, grey: 0.8 });

const ACTION: Record<JudgeLabel, DedupAction> = { duplicate: 'duplicate', update: 'updated', conflict: 'superseded', distinct: 'added' };

/** Guards that veto a semantic merge: the words say these are different facts, whatever the vectors say. */
function vetoed(cand: Prepared, n: Neighbour): string[] {
  const s = signals(cand, n.prepared);
  const r: string[] = [];
  if (s.negationMismatch || s.polarityFlip) r.push('negation-mismatch');
  if (s.numberMismatch) r.push('number-mismatch');
  if (s.antonym) r.push('antonym');
  if (s.possessorChange) r.push('possessor-change');
  return r;
}

/**
 * Runs after the lexical policy said `added`. Returns a better verdict, or undefined to keep the lexical one.
 * `notes` collects fallbacks (judge down) for the decision's reasons.
 */
export async function semanticTier(cand: Prepared, index: UserIndex, topK: number, t: SemanticThresholds,
  judge: Judge | undefined, notes: string[]): Promise<Verdict | undefined> {
  const nbrs = index.searchDense?.(cand, topK) ?? [];
  for (const n of nbrs) {
    if (n.score < t.grey) break;
    const base = { memoryId: n.id, comparedText: n.prepared.text, score: Math.round(n.score * 1e4) / 1e4 };
    const veto = vetoed(cand, n);
    if (n.score >= t.duplicate) {
      if (veto.length) continue;
      return { ...base, action: 'duplicate', method: 'semantic', reasons: ['semantic-similar'] };
    }
    if (!judge) continue;
    try {
      const j = await judge.judge(n.prepared.text, cand.text);
      if (j.label === 'distinct') continue;
      // A judge merge still has to get past the hard guards; a judged conflict needs none.
      if ((j.label === 'duplicate' || j.label === 'update') && veto.length) continue;
      return { ...base, action: ACTION[j.label], method: 'judge', reasons: [`judge-${j.label}`, ...(j.reason ? [`judge: ${j.reason}`] : [])] };
    } catch {
      if (!notes.includes('judge-fallback')) notes.push('judge-fallback');
      return undefined;
    }
  }
  return undefined;
}
