// Diagnostics of monitoring: engine events reach subscribers, a scratch load's performance, readiness, dashboard data.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Engine } from '../../engine.js';
import type { MetricsSource } from '../opsRoutes.js';
import { readiness } from '../readiness.js';
import { statusReport } from '../status.js';
import { countBy, percentile, round, runDiagnostic, scratchFact, type DiagnosticResult } from './scratch.js';

export function monitoringSetup(engine: Engine, registry?: MetricsSource): Promise<DiagnosticResult> {
  return runDiagnostic(engine, async (s) => {
    const userId = s.user('monitor');
    const seen = { submitted: 0, decided: 0, batch: 0 };
    const onSubmitted = (e: { candidate: { userId: string } }) => { if (e.candidate.userId === userId) seen.submitted++; };
    const onDecided = (e: { candidate: { userId: string } }) => { if (e.candidate.userId === userId) seen.decided++; };
    const onBatch = (e: { userId: string }) => { if (e.userId === userId) seen.batch++; };
    engine.emitter.on('submitted', onSubmitted).on('decided', onDecided).on('batch', onBatch);
    try {
      await s.time('decideMs', () => s.decideAll([0, 1, 2].map((i) => ({ userId, text: scratchFact(i) }))));
    } finally {
      engine.emitter.off('submitted', onSubmitted).off('decided', onDecided).off('batch', onBatch);
    }
    const text = registry ? await s.time('metricsMs', () => registry.metrics()) : '';
    const metricNames = [...new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!))];
    return {
      ok: seen.submitted === 3 && seen.decided === 3 && seen.batch >= 1 && metricNames.some((n) => n.startsWith('memdedup_')),
      details: { events: seen, listeners: Object.fromEntries(engine.emitter.eventNames().map((n) => [String(n), engine.emitter.listenerCount(n)])),
        metricFamilies: metricNames.length, memdedupMetrics: metricNames.filter((n) => n.startsWith('memdedup_')) },
    };
  });
}

export function performanceMonitoringTest(engine: Engine): Promise<DiagnosticResult> {
  return runDiagnostic(engine, async (s) => {
    const N = 200;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const latencies: number[] = [];
    let actions: Record<string, number>;
    try {
      const t0 = performance.now();
      const decisions = await Promise.all(Array.from({ length: N }, async (_, i) => {
        const t = performance.now();
        const d = await engine.submit({ userId: s.user(i % 10), text: scratchFact(i), source: 'diagnostic' }).decided;
        latencies.push(performance.now() - t);
        return d;
      }));
      const elapsed = performance.now() - t0;
      s.timings.elapsedMs = round(elapsed);
      s.timings.decisionP50Ms = round(percentile(latencies, 50));
      s.timings.decisionP99Ms = round(percentile(latencies, 99));
      s.timings.eventLoopDelayP99Ms = round(loop.percentile(99) / 1e6);
      s.timings.throughputPerS = round((N / elapsed) * 1000);
      actions = countBy(decisions, (d) => d.action);
    } finally {
      loop.disable();
    }
    const decided = N - (actions['deferred'] ?? 0) - (actions['dead-letter'] ?? 0) - (actions['disabled'] ?? 0);
    return { ok: decided === N, details: { candidates: N, users: 10, decided, actions } };
  });
}

export function productionReadinessTest(engine: Engine): Promise<DiagnosticResult> {
  return runDiagnostic(engine, async (s) => {
    const ready = await s.time('readinessMs', () => readiness(engine));
    const userId = s.user('roundtrip');
    const roundTrip = await s.time('roundTripMs', async () => {
      const [d] = (await s.decideAll([{ userId, text: 'Keeps a diagnostic notebook' }])).decisions;
      const stored = await engine.memories(userId);
      const recalled = await engine.recall(userId, { query: 'notebook', limit: 1 });
      const { removed } = await engine.erase(userId);
      const left = (await engine.memories(userId, { status: 'all' })).length + (await engine.events(userId)).length;
      return { decision: d?.action, stored: stored.length, recalled: recalled.length, removed, leftAfterErase: left };
    });
    const roundTripOk = roundTrip.decision === 'added' && roundTrip.stored === 1 && roundTrip.removed > 0 && roundTrip.leftAfterErase === 0;
    return { ok: ready.ready && roundTripOk, details: { readiness: ready, roundTrip } };
  });
}

const DASHBOARD_SECTIONS = ['queue', 'journal', 'lanes', 'breakers', 'cache', 'flags', 'alerts', 'readiness'];

export function monitoringDashboardTest(engine: Engine, registry?: MetricsSource): Promise<DiagnosticResult> {
  return runDiagnostic(engine, async (s) => {
    const report = await s.time('statusMs', () => statusReport(engine));
    const missing = DASHBOARD_SECTIONS.filter((k) => report[k] === undefined);
    const text = registry ? await s.time('metricsMs', () => registry.metrics()) : '';
    const samples = text.split('\n').filter((l) => l.startsWith('memdedup_'));
    const badSamples = samples.filter((l) => !Number.isFinite(Number(l.trim().split(/\s+/).pop())));
    return {
      ok: missing.length === 0 && samples.length > 0 && badSamples.length === 0,
      details: { sections: DASHBOARD_SECTIONS, missing, memdedupSamples: samples.length, nonFiniteSamples: badSamples.slice(0, 5),
        readinessScore: (report.readiness as { score: number }).score },
    };
  });
}
