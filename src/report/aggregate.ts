// The report's numbers, accumulated one event at a time (a store of any size streams through in pages).
// A decision is an event of the cascade (added, duplicate, updated, superseded, fallback); it is reversed
// when an undo undid it. Decisions are those made in the window; a reversal counts whenever it happened,
// so a rate is "of the decisions made since X, the share undone so far".
import type { ReportRow } from './source.js';

export const DECISION_ACTIONS = ['added', 'duplicate', 'updated', 'superseded', 'fallback'] as const;
const DECISION_SET: ReadonlySet<string> = new Set(DECISION_ACTIONS);
/** The merges whose reversal loses information: what MemdedupReversalRate watches. */
const MERGES: ReadonlySet<string> = new Set(['duplicate', 'updated']);
/** A forget this soon after a merge into the memory is (weak) evidence the merge was wrong. */
export const FORGET_AFTER_MERGE_MS = 24 * 3_600_000;
const TOP_REASONS = 10;
const DAY_MS = 86_400_000;

export interface Rate { decisions: number; reversals: number; rate: number }

export interface PolicyReport extends Rate {
  /** duplicate + updated decisions, and how many of them were undone. */
  merges: Rate;
  byAction: Record<string, Rate>;
  byMethod: Record<string, Rate>;
  topReasons: Array<{ reason: string } & Rate>;
  forgetsAfterMerge: number;
  /** Per UTC day: this policy's decisions made and how many of them were reversed. */
  daily: Array<{ day: string } & Rate>;
}

export interface Report {
  since: string;
  until: string;
  store: 'sqlite' | 'postgres';
  events: number;
  decisions: { total: number; byAction: Record<string, number>; byMethod: Record<string, number>; byReason: Record<string, number>; byPolicy: Record<string, number> };
  reversals: {
    total: number; rate: number; merges: Rate;
    byAction: Record<string, Rate>; byMethod: Record<string, Rate>;
    /** The reasons most frequent among reversed decisions, with how often decisions with that reason were reversed. */
    topReasons: Array<{ reason: string } & Rate>;
    /** Undo events in the window (of decisions of any time, and of forgets). */
    undoEvents: number;
    /** Forgets in the window of a memory merged into within 24 h before: weaker evidence than an undo. */
    forgetsAfterMerge: number;
  };
  policies: Record<string, PolicyReport>;
  /** Per UTC day: decisions made and how many of them were reversed. */
  daily: Array<{ day: string } & Rate>;
}

class Tally {
  decisions = 0;
  reversals = 0;
  add(reversed: boolean): void { this.decisions++; if (reversed) this.reversals++; }
  get rate(): Rate { return { decisions: this.decisions, reversals: this.reversals, rate: ratio(this.reversals, this.decisions) }; }
}

class Tallies {
  readonly m = new Map<string, Tally>();
  add(key: string, reversed: boolean): void {
    let t = this.m.get(key);
    if (!t) this.m.set(key, (t = new Tally()));
    t.add(reversed);
  }
  record(): Record<string, Rate> {
    return Object.fromEntries([...this.m].sort(([a], [b]) => a.localeCompare(b)).map(([k, t]) => [k, t.rate]));
  }
  top(n: number): Array<{ reason: string } & Rate> {
    return [...this.m].filter(([, t]) => t.reversals > 0)
      .sort(([a, x], [b, y]) => y.reversals - x.reversals || y.rate.rate - x.rate.rate || a.localeCompare(b)).slice(0, n)
      .map(([reason, t]) => ({ reason, ...t.rate }));
  }
}

class Slice {
  readonly all = new Tally();
  readonly merges = new Tally();
  readonly byAction = new Tallies();
  readonly byMethod = new Tallies();
  readonly byReason = new Tallies();
  readonly days = new Tallies();
  forgetsAfterMerge = 0;

  /** `day`: days since the epoch, as a key (formatted once, in build). */
  add(r: ReportRow, day: string): void {
    this.all.add(r.undone);
    this.days.add(day, r.undone);
    if (MERGES.has(r.action)) this.merges.add(r.undone);
    this.byAction.add(r.action, r.undone);
    this.byMethod.add(r.method ?? 'none', r.undone);
    for (const reason of new Set(r.reasons)) this.byReason.add(reason, r.undone);
  }
}

export class ReportBuilder {
  private events = 0;
  private undoEvents = 0;
  private readonly total = new Slice();
  private readonly policies = new Map<string, Slice>();
  /** Forgets seen, to look up afterwards (rare: operator actions). */
  readonly forgets: Array<{ userId: string; memoryId: string; at: number }> = [];

  constructor(private readonly since: number, private readonly until: number, private readonly store: 'sqlite' | 'postgres') {}

  add(r: ReportRow): void {
    this.events++;
    if (r.action === 'undo') { this.undoEvents++; return; }
    if (r.action === 'forget') { if (r.memoryId) this.forgets.push({ userId: r.userId, memoryId: r.memoryId, at: r.at }); return; }
    if (!DECISION_SET.has(r.action)) return;
    const day = String(Math.floor(r.at / DAY_MS));
    this.total.add(r, day);
    this.slice(r.policy).add(r, day);
  }

  /** The policy of the merge each forget followed (null: none within 24 h), in `forgets` order. */
  addForgetMatches(policies: Array<string | null>): void {
    for (const p of policies) {
      if (p === null) continue;
      this.total.forgetsAfterMerge++;
      this.slice(p).forgetsAfterMerge++;
    }
  }

  private slice(policy: string): Slice {
    let s = this.policies.get(policy);
    if (!s) this.policies.set(policy, (s = new Slice()));
    return s;
  }

  build(): Report {
    const t = this.total;
    const counts = (ts: Tallies) => Object.fromEntries(Object.entries(ts.record()).map(([k, r]) => [k, r.decisions]));
    // `default` first, then by name: side by side in the same order every time.
    const names = [...this.policies.keys()].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
    return {
      since: new Date(this.since).toISOString(), until: new Date(this.until).toISOString(), store: this.store, events: this.events,
      decisions: {
        total: t.all.decisions, byAction: counts(t.byAction), byMethod: counts(t.byMethod), byReason: counts(t.byReason),
        byPolicy: Object.fromEntries(names.map((n) => [n, this.policies.get(n)!.all.decisions])),
      },
      reversals: {
        total: t.all.reversals, rate: t.all.rate.rate, merges: t.merges.rate, byAction: t.byAction.record(), byMethod: t.byMethod.record(),
        topReasons: t.byReason.top(TOP_REASONS), undoEvents: this.undoEvents, forgetsAfterMerge: t.forgetsAfterMerge,
      },
      policies: Object.fromEntries(names.map((n) => {
        const s = this.policies.get(n)!;
        return [n, { ...s.all.rate, merges: s.merges.rate, byAction: s.byAction.record(), byMethod: s.byMethod.record(),
          topReasons: s.byReason.top(TOP_REASONS), forgetsAfterMerge: s.forgetsAfterMerge, daily: daily(s.days) }];
      })),
      daily: daily(t.days),
    };
  }
}

const daily = (days: Tallies) => [...days.m].sort(([a], [b]) => Number(a) - Number(b))
  .map(([day, t]) => ({ day: new Date(Number(day) * DAY_MS).toISOString().slice(0, 10), ...t.rate }));

function ratio(n: number, d: number): number {
  return d === 0 ? 0 : Math.round((n / d) * 1e6) / 1e6;
}
