// Counters and histograms for the hot path. prom-client hashes and validates the label object on
// every inc/observe (~200-500 ns); here each label set is bound once to a child, so an update is an
// addition (plus a bucket search for histograms). They register on a prom-client Registry through its
// custom-metric contract (name, help, type, get(), reset()), so the exposition is prom-client's own.
import type { Metric, Registry } from 'prom-client';

type Labels = Record<string, string>;
interface Value { labels: Labels; value: number; metricName?: string }

/** Labels per metric at most: each level is a Map lookup on the hot path. */
const MAX_LABELS = 3;

/** Children by first label value, then second, then third: at most three labels, each from a small set. */
class Children<C> {
  private readonly byFirst = new Map<string, Map<string, Map<string, C>>>();
  constructor(private readonly labelNames: readonly string[], private readonly make: (labels: Labels) => C) {}

  get(a = '', b = '', c = ''): C {
    let second = this.byFirst.get(a);
    if (!second) this.byFirst.set(a, (second = new Map()));
    let third = second.get(b);
    if (!third) second.set(b, (third = new Map()));
    let child = third.get(c);
    if (!child) {
      const labels: Labels = {};
      const values = [a, b, c];
      this.labelNames.forEach((name, i) => { labels[name] = values[i]!; });
      third.set(c, (child = this.make(labels)));
    }
    return child;
  }

  *all(): Iterable<C> {
    for (const second of this.byFirst.values()) for (const third of second.values()) yield* third.values();
  }

  clear(): void { this.byFirst.clear(); }
}

interface Config<L extends string> { name: string; help: string; labelNames?: readonly L[]; registers: Registry[] }

export class CounterChild {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(n = 1): void { this.value += n; }
}

export class BoundCounter<L extends string = never> {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly children: Children<CounterChild>;

  constructor(c: Config<L>) {
    if ((c.labelNames?.length ?? 0) > MAX_LABELS) throw new Error(`${c.name}: at most ${MAX_LABELS} labels`);
    this.name = c.name;
    this.help = c.help;
    this.children = new Children(c.labelNames ?? [], (labels) => new CounterChild(labels));
    if (!c.labelNames?.length) this.children.get(); // an unlabelled series exists from the start, at 0
    for (const r of c.registers) r.registerMetric(this as unknown as Metric);
  }

  /** The child of a label set (values in labelNames order); keep it to update without a lookup. */
  labels(a?: string, b?: string, c?: string): CounterChild { return this.children.get(a, b, c); }
  inc(n = 1): void { this.children.get().inc(n); }

  async get(): Promise<{ name: string; help: string; type: 'counter'; aggregator: 'sum'; values: Value[] }> {
    const values = [...this.children.all()].map((c) => ({ labels: { ...c.labels }, value: c.value }));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void { this.children.clear(); }
}

export class HistogramChild {
  sum = 0;
  count = 0;
  readonly counts: Float64Array;
  constructor(readonly labels: Labels, readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(v: number): void {
    let i = 0;
    const b = this.bounds;
    while (i < b.length && v > b[i]!) i++;
    this.counts[i]!++;
    this.sum += v;
    this.count++;
  }
}

export class BoundHistogram<L extends string = never> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly children: Children<HistogramChild>;

  constructor(c: Config<L> & { buckets: readonly number[] }) {
    if ((c.labelNames?.length ?? 0) > MAX_LABELS) throw new Error(`${c.name}: at most ${MAX_LABELS} labels`);
    const bounds = [...c.buckets].sort((x, y) => x - y);
    this.name = c.name;
    this.help = c.help;
    this.children = new Children(c.labelNames ?? [], (labels) => new HistogramChild(labels, bounds));
    if (!c.labelNames?.length) this.children.get();
    for (const r of c.registers) r.registerMetric(this as unknown as Metric);
  }

  labels(a?: string, b?: string, c?: string): HistogramChild { return this.children.get(a, b, c); }
  observe(v: number): void { this.children.get().observe(v); }

  /** Cumulative buckets, then _sum and _count, per label set: the shape prom-client's Histogram gives. */
  async get(): Promise<{ name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: Value[] }> {
    const values: Value[] = [];
    for (const c of this.children.all()) {
      let cumulative = 0;
      const bounds = [...c.bounds, Infinity];
      bounds.forEach((le, i) => {
        cumulative += c.counts[i]!;
        values.push({ labels: { ...c.labels, le: le === Infinity ? '+Inf' : String(le) }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { ...c.labels }, value: c.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...c.labels }, value: c.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void { this.children.clear(); }
}
