// Scores for `memdedup eval`: confusion matrix, per-label precision/recall/F1, per-kind recall, false merges.
import type { DecisionAction } from '../types.js';

export type Label = 'duplicate' | 'update' | 'conflict' | 'distinct';
export const LABELS: readonly Label[] = ['duplicate', 'update', 'conflict', 'distinct'];
export type Predicted = Label | 'error';

export interface PairOutcome {
  gold: Label;
  predicted: Predicted;
  kind?: string;
  /** Similarity of b to the memory it was compared with (0 when none). */
  score: number;
  /** True when no guard (negation, number, containment, ...) would have kept the pair apart. */
  mergeable: boolean;
}

export interface PairReport {
  pairs: number;
  confusion: Record<string, Record<string, number>>;
  perLabel: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  byKind: Record<string, { label: Label; support: number; correct: number; recall: number }>;
  accuracy: number;
  falseMergeRate: number;
}

/** The mapping: duplicate→duplicate, updated→update, superseded→conflict, added→distinct, else error. */
export function labelOfDecision(action: DecisionAction): Predicted {
  switch (action) {
    case 'duplicate': return 'duplicate';
    case 'updated': return 'update';
    case 'superseded': return 'conflict';
    case 'added': return 'distinct';
    default: return 'error';
  }
}

/** `duplicate|update|conflict|distinct`, or binary 1 (duplicate) / 0 (distinct). */
export function parseLabel(v: unknown): Label | undefined {
  if (v === 1 || v === '1' || v === true) return 'duplicate';
  if (v === 0 || v === '0' || v === false) return 'distinct';
  return typeof v === 'string' && (LABELS as readonly string[]).includes(v) ? (v as Label) : undefined;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function scorePairs(outcomes: PairOutcome[]): PairReport {
  const confusion: Record<string, Record<string, number>> = {};
  const goldLabels = new Set<Label>();
  for (const o of outcomes) {
    goldLabels.add(o.gold);
    const row = (confusion[o.gold] ??= {});
    row[o.predicted] = (row[o.predicted] ?? 0) + 1;
  }
  const perLabel: PairReport['perLabel'] = {};
  // A binary set still reports all four rows so the shape is the same; absent labels have support 0.
  for (const l of LABELS) {
    const tp = outcomes.filter((o) => o.gold === l && o.predicted === l).length;
    const predicted = outcomes.filter((o) => o.predicted === l).length;
    const support = outcomes.filter((o) => o.gold === l).length;
    if (support === 0 && predicted === 0) continue;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    perLabel[l] = { precision: r4(precision), recall: r4(recall), f1: r4(ratio(2 * precision * recall, precision + recall)), support };
  }
  const byKind: PairReport['byKind'] = {};
  for (const o of outcomes) {
    if (!o.kind) continue;
    const k = (byKind[o.kind] ??= { label: o.gold, support: 0, correct: 0, recall: 0 });
    k.support++;
    if (o.predicted === o.gold) k.correct++;
  }
  for (const k of Object.values(byKind)) k.recall = r4(ratio(k.correct, k.support));
  const distinct = outcomes.filter((o) => o.gold === 'distinct');
  const merged = distinct.filter((o) => o.predicted === 'duplicate' || o.predicted === 'update').length;
  return {
    pairs: outcomes.length,
    confusion,
    perLabel,
    byKind,
    accuracy: r4(ratio(outcomes.filter((o) => o.gold === o.predicted).length, outcomes.length)),
    falseMergeRate: r4(ratio(merged, distinct.length)),
  };
}

export interface PrPoint { threshold: number; precision: number; recall: number; predicted: number }

/** Duplicate-class precision and recall if the duplicate threshold were `t` (guards unchanged). */
export function prCurve(outcomes: PairOutcome[], steps = 50): PrPoint[] {
  const gold = outcomes.filter((o) => o.gold === 'duplicate').length;
  const out: PrPoint[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const pred = outcomes.filter((o) => o.mergeable && o.score >= t);
    const tp = pred.filter((o) => o.gold === 'duplicate').length;
    out.push({ threshold: r4(t), precision: r4(pred.length ? tp / pred.length : 1), recall: r4(ratio(tp, gold)), predicted: pred.length });
  }
  return out;
}
