// In-process alert state, on the same definitions as the Prometheus rules, for hosts that have no
// Prometheus and for /readyz. Every evaluation takes a snapshot of the engine's own counters; rates
// and quantiles are computed between the newest snapshot and the newest one at or before the start of
// the alert's own window. Snapshots older than the shortest window are thinned to LONG_SNAPSHOTS per
// longest window, so a 24 h window costs a few hundred snapshots, not one per evaluation.
// MemdedupReversalRate in process sees this process's decisions and undos only.
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
  /** duplicate/updated decisions and their reversals, by policy label. */
  merges: Map<string, number>;
  mergeReversals: Map<string, number>;
}

/** Snapshots kept per longest window once they are older than the shortest one. */
const LONG_SNAPSHOTS = 288;

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
    this.prune(now);
    this.current = this.alerts.definitions.map((d) => {
      const value = this.value(d.key, this.windowStart(now - d.windowMs), snap);
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

  /** The newest snapshot at or before `start`, so a full window is covered; the oldest while there is none. */
  private windowStart(start: number): Snapshot {
    let from = this.snapshots[0]!;
    for (const s of this.snapshots) {
      if (s.at > start) break;
      from = s;
    }
    return from;
  }

  private prune(now: number): void {
    const windows = this.alerts.definitions.map((d) => d.windowMs);
    const longest = Math.max(...windows);
    const shortest = Math.min(...windows);
    const s = this.snapshots;
    while (s.length > 2 && s[1]!.at <= now - longest) s.shift();
    if (longest === shortest || s.length <= LONG_SNAPSHOTS) return;
    // Thin the old part: keep the first (the longest window's start) and one per `step` after it.
    const step = longest / LONG_SNAPSHOTS;
    const kept: Snapshot[] = [s[0]!];
    for (let i = 1; i < s.length; i++) {
      const x = s[i]!;
      // The short windows need every snapshot inside them, and the last one before their start.
      const shortNeeds = (s[i + 1]?.at ?? Infinity) > now - shortest;
      if (shortNeeds || x.at - kept[kept.length - 1]!.at >= step) kept.push(x);
    }
    this.snapshots.splice(0, s.length, ...kept);
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
      case 'reversalRate': {
        // The worst policy, as the rule alerts per policy; a policy without merges in the window has no rate.
        let worst: number | null = null;
        for (const [policy, n] of to.merges) {
          const merges = n - (from.merges.get(policy) ?? 0);
          if (merges <= 0) continue;
          const rate = ((to.mergeReversals.get(policy) ?? 0) - (from.mergeReversals.get(policy) ?? 0)) / merges;
          worst = worst === null ? rate : Math.max(worst, rate);
        }
        return seconds > 0 ? worst : null;
      }
    }
  }

  private async snapshot(at: number): Promise<Snapshot> {
    const f = this.src.families;
    const [duration, delay, errors, decisions, transitions, reversals] = await Promise.all([
      f.batchDuration.get(), f.loopDelay.get(), f.errors.get(), f.decisions.get(), f.breakerTransitions.get(), f.reversals.get()]);
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
      merges: byPolicy(decisions.values),
      mergeReversals: byPolicy(reversals.values),
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

/** Sums of duplicate/updated series by their policy label. */
function byPolicy(values: Array<{ labels: Record<string, unknown>; value: number }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) {
    if (v.labels.action !== 'duplicate' && v.labels.action !== 'updated') continue;
    const policy = String(v.labels.policy);
    out.set(policy, (out.get(policy) ?? 0) + v.value);
  }
  return out;
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
