// Everything an operator watches, wired to one engine: metrics on its own Registry, the in-process
// alert state, the event-loop sampler and the structured logs. Nothing here is module-level, so two
// engines in one process never share a series.
import { collectDefaultMetrics, Registry } from 'prom-client';
import { AlertEvaluator } from '../alerts/evaluator.js';
import type { ResolvedAlerts } from '../alerts/definitions.js';
import type { Flags } from '../flags/types.js';
import { logEngineEvents } from '../log/engineLog.js';
import { createLogger, type Logger } from '../log/logger.js';
import { MetricsAdapter, type MetricsSource } from './adapter.js';
import { EventLoopSampler } from './eventLoop.js';
import { createFamilies, zeroSeries, type Families } from './families.js';
import { countFlagEvaluations, FlagCounts } from './flagCounts.js';

export interface ObservedEngine extends MetricsSource {
  flags: Flags;
}

export interface ObservabilityOptions {
  registry: Registry | undefined;
  logger: Logger | undefined;
  logLevel: string;
  alerts: ResolvedAlerts;
}

export class Observability {
  readonly registry: Registry;
  readonly logger: Logger;
  readonly families: Families;
  readonly flagCounts = new FlagCounts();
  readonly alerts: AlertEvaluator;
  private readonly adapter: MetricsAdapter;
  private readonly loop: EventLoopSampler;
  private readonly unlog: () => void;

  constructor(engine: ObservedEngine, o: ObservabilityOptions) {
    this.registry = o.registry ?? new Registry();
    this.logger = createLogger(o.logLevel, o.logger);
    this.families = createFamilies(this.registry);
    zeroSeries(this.families);
    // A host's own registry usually has the default Node metrics already; registering them twice throws.
    if (!this.registry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics({ register: this.registry });
    countFlagEvaluations(engine.flags, this.flagCounts);
    this.adapter = new MetricsAdapter(engine, this.families, this.flagCounts);
    this.loop = new EventLoopSampler(this.families.loopDelay, () => this.adapter.busySinceAsked());
    this.alerts = new AlertEvaluator(o.alerts, {
      families: this.families,
      journalDepth: () => engine.status().journal.inflight,
      openBreakers: () => this.adapter.breakerCounts().filter((b) => b.state === 'open').reduce((n, b) => n + b.count, 0),
    });
    this.unlog = logEngineEvents(engine.emitter, this.logger, { journalDepth: () => engine.status().journal.inflight });
  }

  /** Starts the timers (unref'd: they never keep the host alive). */
  start(): void {
    this.loop.start();
    this.alerts.start();
  }

  /** Stops timers and listeners; the registry keeps its last values for a final scrape. */
  close(): void {
    this.loop.stop();
    this.alerts.stop();
    this.adapter.close();
    this.unlog();
  }
}
