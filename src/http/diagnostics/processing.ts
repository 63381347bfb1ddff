// Diagnostics of the processing path: background decisions, batching, and the lanes under concurrent load.
import type { Engine } from '../../engine.js';
import { FLAG_NAMES } from '../../flags/types.js';
import { countBy, percentile, round, runDiagnostic, scratchFact, type DiagnosticResult } from './scratch.js';

/** Candidates are accepted at once and decided in the background; every one gets an event. */
export function backgroundProcessingTest(engine: Engine): Promise<DiagnosticResult> {
  return runDiagnostic(engine, async (s) => {
    const inputs = Array.from({ length: 20 }, (_, i) => ({ userId: s.user(i % 4), text: scratchFact(i) }));
    const subs = await s.time('submitMs', () => inputs.map((c) => engine.submit({ ...c, source: 'diagnostic' })));
    await s.time('acceptedMs', () => Promise.all(subs.map((x) => x.accepted)));
    const decisions = await s.time('decidedMs', () => Promise.all(subs.map((x) => x.decided)));
    const recorded = await s.time('eventLookupMs', async () => {
      let n = 0;
      for (const x of subs) if (await engine.decision(x.id)) n++;
      return n;
    });
    const accepted = subs.filter((x) => x.status === 'accepted').length;
    return {
      ok: accepted === subs.length && recorded === accepted,
      details: { submitted: subs.length, accepted, withEvent: recorded, actions: countBy(decisions, (d) => d.action),
        submitted_status: countBy(subs, (x) => x.status) },
    };
  });
}

/** One user's candidates are decided in batches (unless memory.batch-processing is off), exact repeats found. */
export function batchProcessingTest(engine: Engine): Promise<DiagnosticResult> {
  return runDiagnostic(engine, async (s) => {
    const userId = s.user('batch');
    const distinct = Array.from({ length: 40 }, (_, i) => ({ userId, text: scratchFact(i) }));
    const sizes: number[] = [];
    const onBatch = (b: { userId: string; size: number }) => { if (b.userId === userId) sizes.push(b.size); };
    engine.emitter.on('batch', onBatch);
    let decisions;
    let repeats: { userId: string; text: string }[] = [];
    try {
      // Distinct first and decided, then the repeats: each repeat must come back a duplicate.
      ({ decisions } = await s.time('distinctMs', () => s.decideAll(distinct)));
      // Repeat the texts of active memories (a distinct fact may have superseded another one).
      const active = await engine.memories(userId);
      repeats = active.slice(0, 20).map((m) => ({ userId, text: m.text }));
      const second = await s.time('repeatsMs', () => s.decideAll(repeats));
      decisions = [...decisions, ...second.decisions];
    } finally {
      engine.emitter.off('batch', onBatch);
    }
    const batching = engine.flags.isEnabled(FLAG_NAMES.batchProcessing, { userId }, true);
    const duplicates = decisions.slice(distinct.length).filter((d) => d.action === 'duplicate').length;
    const maxBatch = Math.max(0, ...sizes);
    const batchesOk = batching ? maxBatch > 1 : maxBatch === 1;
    return {
      ok: repeats.length > 0 && duplicates === repeats.length && batchesOk,
      details: { candidates: decisions.length, batches: sizes.length, maxBatchSize: maxBatch, batchSizes: sizes,
        batchProcessingFlag: batching, repeatsFoundDuplicate: duplicates, actions: countBy(decisions, (d) => d.action) },
    };
  });
}

/** 15 concurrent operations (the seed's concurrency) through the lanes, with mixed priorities. */
export function queueManagementTest(engine: Engine): Promise<DiagnosticResult> {
  return runDiagnostic(engine, async (s) => {
    const priorities = ['high', 'normal', 'low'] as const;
    let peakRunning = 0, peakQueued = 0;
    // Sampled as each batch completes (its lane still counts as running), and on a timer in between.
    const sampleNow = () => {
      const l = engine.status().lanes;
      peakRunning = Math.max(peakRunning, l.running);
      peakQueued = Math.max(peakQueued, l.queued);
    };
    engine.emitter.on('batch', sampleNow);
    const sample = setInterval(sampleNow, 1);
    const latencies: number[] = [];
    let results;
    try {
      results = await s.time('allMs', () => Promise.all(Array.from({ length: 15 }, async (_, i) => {
        const t0 = performance.now();
        const sub = engine.submit({ userId: s.user(i), text: scratchFact(i), priority: priorities[i % 3], source: 'diagnostic' });
        const d = await sub.decided;
        latencies.push(performance.now() - t0);
        return { status: sub.status, action: d.action };
      })));
    } finally {
      clearInterval(sample);
      engine.emitter.off('batch', sampleNow);
    }
    s.timings.p50Ms = round(percentile(latencies, 50));
    s.timings.maxMs = round(Math.max(...latencies));
    const decided = results.filter((r) => r.status === 'accepted' && !['deferred', 'dead-letter'].includes(r.action)).length;
    return {
      ok: decided === 15,
      details: { operations: 15, decided, concurrency: engine.options.concurrency, peakRunningLanes: peakRunning, peakQueuedLanes: peakQueued,
        actions: countBy(results, (r) => r.action) },
    };
  });
}
