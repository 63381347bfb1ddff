// Counts the engine's flag evaluations without touching the evaluator: plain numbers on the
// chat path, turned into memdedup_flag_evaluations_total only when Prometheus scrapes.
import type { Counter } from 'prom-client';
import type { Flags } from '../flags/types.js';

export class FlagCounts {
  /** flag name -> [off, on]; names come from code (FLAG_NAMES), so the map stays small. */
  private readonly counts = new Map<string, [number, number]>();
  /** What the counter already holds, so collect() adds only the difference. */
  private readonly exported = new Map<string, [number, number]>();

  record(name: string, on: boolean): void {
    let c = this.counts.get(name);
    if (!c) this.counts.set(name, (c = [0, 0]));
    c[on ? 1 : 0]++;
  }

  /** Evaluations made elsewhere (a worker thread's replica flags), added to this engine's counts. */
  add(name: string, off: number, on: number): void {
    let c = this.counts.get(name);
    if (!c) this.counts.set(name, (c = [0, 0]));
    c[0] += off;
    c[1] += on;
  }

  snapshot(): Array<{ flag: string; off: number; on: number }> {
    return [...this.counts].map(([flag, [off, on]]) => ({ flag, off, on }));
  }

  /** Moves what was counted since the last scrape into the Prometheus counter. */
  exportTo(counter: Counter<'flag' | 'result'>): void {
    for (const [flag, c] of this.counts) {
      let e = this.exported.get(flag);
      if (!e) this.exported.set(flag, (e = [0, 0]));
      counter.inc({ flag, result: 'off' }, c[0] - e[0]);
      counter.inc({ flag, result: 'on' }, c[1] - e[1]);
      e[0] = c[0];
      e[1] = c[1];
    }
  }
}

/**
 * Makes `flags.isEnabled` count into `counts`. The instance's own method is shadowed (bound, so
 * evaluators with private state keep working); the cost is one Map lookup per evaluation.
 */
export function countFlagEvaluations(flags: Flags, counts: FlagCounts): void {
  const isEnabled = flags.isEnabled.bind(flags);
  flags.isEnabled = (name, context, fallback) => {
    const on = isEnabled(name, context, fallback);
    counts.record(name, on);
    return on;
  };
  // A variant evaluation counts as `on` when the flag is on for the context, whichever variant it gave.
  const getVariant = flags.getVariant.bind(flags);
  flags.getVariant = (name, context, fallback) => {
    const v = getVariant(name, context, fallback);
    counts.record(name, v.feature_enabled);
    return v;
  };
}
