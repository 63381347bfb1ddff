// In-process alert state, on the same definitions as the Prometheus rules, for hosts that have no
// Prometheus and for /readyz. Every evaluation takes a snapshot of the engine's own counters; rates
// and quantiles are computed between the newest snapshot and the oldest one inside the window.
//
// Per alert:  inactive --condition true--> pending --held for `for`--> firing
//             pending/firing --condition false--> inactive
import type { Families } from '../metrics/families.js';
import { parseDuration } from './duration.js';
import type { AlertDefinition, AlertKey, ResolvedAlerts } from './definitions.js';
import { alertingRule } from './rules.js';

export type AlertStateName = 'inactive' | 'pending' | 'firing';

export interface AlertState {
  alertname: string;
  severity: AlertDefinition['severity'];
  state: AlertStateName;
  /** The value compared with the threshold; null while there is not enough data (as in Prometheus: no alert). */
  value: number | null;
  threshold: number;
  for: string;
  /** ISO time the condition became true, while pending or firing. */
  activeSince: string | null;
  summary: string;
  runbook: string;
}

export interface AlertSources {
  families: Families;
  journalDepth(): number;
  openBreakers(): number;
}

interface Snapshot {
  at: number;
  /** Cumulative batch-duration bucket counts by upper bound, over all modes. */
  buckets: Map<number, number>;
  loopDelaySum: number;
  errors: number;
  decisions: number;
  breakerOpens: number;
}

export class AlertEvaluator {
  private readonly snapshots: Snapshot[] = [];
  private readonly active = new Map<AlertKey, number>();
  private current: AlertState[];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<AlertState[]> | null = null;

  constructor(private readonly alerts: ResolvedAlerts, private readonly src: AlertSources) {
    this.current = alerts.definitions.map((d) => this.stateOf(d, 'inactive', null, null));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.evaluate(), this.alerts.evaluationIntervalMs);
    this.timer.unref();
    void this.evaluate();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The state as of the last evaluation. */
  states(): AlertState[] {
    return this.current;
  }

  firing(severity?: AlertDefinition['severity']): AlertState[] {
    return this.current.filter((a) => a.state === 'firing' && (!severity || a.severity === severity));
  }

  /** Takes a snapshot and re-evaluates every alert; concurrent calls share one evaluation. */
  evaluate(now = Date.now()): Promise<AlertState[]> {
    this.running ??= this.run(now).finally(() => { this.running = null; });
    return this.running;
  }

  private async run(now: number): Promise<AlertState[]> {
    const snap = await this.snapshot(now);
    this.snapshots.push(snap);
    // Keep the newest snapshot at or before the window's start, so a full window is always covered.
    while (this.snapshots.length > 2 && this.snapshots[1]!.at <= now - this.alerts.windowMs) this.snapshots.shift();
    const oldest = this.snapshots[0]!;
    this.current = this.alerts.definitions.map((d) => {
      const value = this.value(d.key, oldest, snap);
      const breaking = value !== null && value > d.threshold;
      if (!breaking) {
        this.active.delete(d.key);
        return this.stateOf(d, 'inactive', value, null);
      }
      const since = this.active.get(d.key) ?? now;
      this.active.set(d.key, since);
      const firing = now - since >= parseDuration('for', d.for);
      return this.stateOf(d, firing ? 'firing' : 'pending', value, since);
    });
    for (const a of this.current) this.src.families.alertsFiring.set({ alertname: a.alertname, severity: a.severity }, a.state === 'firing' ? 1 : 0);
    return this.current;
  }

  private value(key: AlertKey, from: Snapshot, to: Snapshot): number | null {
    const seconds = (to.at - from.at) / 1000;
    switch (key) {
      case 'queueSize': return this.src.journalDepth();
      case 'breakerOpen': {
        const opens = to.breakerOpens - from.breakerOpens;
        return Math.max(this.src.openBreakers(), seconds > 0 ? opens : 0);
      }
      case 'chatImpact': return seconds > 0 ? (to.loopDelaySum - from.loopDelaySum) / seconds : null;
      case 'errorRate': {
        const errors = to.errors - from.errors;
        const attempts = errors + to.decisions - from.decisions;
        return seconds > 0 && attempts > 0 ? errors / attempts : null;
      }
      case 'processingTime': return seconds > 0 ? quantile(0.95, to.buckets, from.buckets) : null;
    }
  }

  private async snapshot(at: number): Promise<Snapshot> {
    const f = this.src.families;
    const [duration, delay, errors, decisions, transitions] = await Promise.all([
      f.batchDuration.get(), f.loopDelay.get(), f.errors.get(), f.decisions.get(), f.breakerTransitions.get()]);
    const buckets = new Map<number, number>();
    for (const v of duration.values) {
      if (v.metricName !== 'memdedup_batch_duration_seconds_bucket') continue;
      const raw = (v.labels as Record<string, string | number | undefined>).le;
      const le = raw === '+Inf' ? Infinity : Number(raw);
      buckets.set(le, (buckets.get(le) ?? 0) + v.value);
    }
    const sum = (vs: Array<{ value: number }>) => vs.reduce((s, v) => s + v.value, 0);
    return {
      at, buckets,
      loopDelaySum: sum(delay.values.filter((v) => v.metricName === 'memdedup_event_loop_delay_seconds_sum')),
      errors: sum(errors.values),
      decisions: sum(decisions.values),
      breakerOpens: sum(transitions.values.filter((v) => v.labels.to === 'open')),
    };
  }

  private stateOf(d: AlertDefinition, state: AlertStateName, value: number | null, since: number | null): AlertState {
    return {
      alertname: d.alertname, severity: d.severity, state, value, threshold: d.threshold, for: d.for,
      activeSince: since === null ? null : new Date(since).toISOString(), summary: d.summary,
      runbook: alertingRule(d, this.alerts).annotations.runbook_url,
    };
  }
}

/** histogram_quantile over the increase between two cumulative bucket snapshots, as Prometheus computes it. */
export function quantile(q: number, to: Map<number, number>, from: Map<number, number>): number | null {
  const les = [...to.keys()].sort((a, b) => a - b);
  const counts = les.map((le) => (to.get(le) ?? 0) - (from.get(le) ?? 0));
  const total = counts[counts.length - 1] ?? 0;
  if (les.length < 2 || total <= 0) return null;
  const rank = q * total;
  let i = counts.findIndex((c) => c >= rank);
  if (i < 0) i = counts.length - 1;
  if (les[i] === Infinity) return les[les.length - 2]!;
  const lower = i === 0 ? 0 : les[i - 1]!;
  const below = i === 0 ? 0 : counts[i - 1]!;
  const inBucket = counts[i]! - below;
  return inBucket <= 0 ? les[i]! : lower + ((les[i]! - lower) * (rank - below)) / inBucket;
}
