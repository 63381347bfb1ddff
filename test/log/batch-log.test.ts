// Structured logs: a line per batch at debug, one summary line per interval at info, nothing below the level.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../helpers/engine.js';

function capture(level: string) {
  const lines: any[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l)); done(); } });
  return { logger: pino({ level }, stream), lines };
}

describe('batch log lines', () => {
  it('logs one debug line per batch with user, candidates, outcome counts and duration', async () => {
    const { logger, lines } = capture('debug');
    const { engine } = await testEngine({ logger });
    const texts = ['Has a dog named Rex', 'has a dog named rex.', 'Lives in Lisbon', 'Works as a nurse'];
    await Promise.all(texts.map((text) => engine.submit({ userId: 'log-user', text })).map((s) => s.decided));
    await engine.close();
    const batches = lines.filter((l) => l.msg === 'batch decided');
    expect(batches.length).toBeGreaterThanOrEqual(1);
    const total = batches.reduce((n, l) => n + l.candidates, 0);
    expect(total).toBe(4);
    for (const l of batches) {
      expect(l).toMatchObject({ level: 20, component: 'memdedup', user: 'log-user', mode: 'full' });
      for (const k of ['added', 'duplicate', 'updated', 'superseded', 'fallback']) expect(typeof l[k]).toBe('number');
      expect(l.durationMs).toBeGreaterThanOrEqual(0);
      expect(l.added + l.duplicate + l.updated + l.superseded + l.fallback).toBe(l.candidates);
    }
    expect(batches.reduce((n, l) => n + l.duplicate, 0)).toBe(1);
  });

  it('at info, no per-batch lines: one summary line with counts per action, batch p95 and journal depth', async () => {
    const { logger, lines } = capture('info');
    const { engine } = await testEngine({ logger });
    const texts = ['Has a dog named Rex', 'has a dog named rex.', 'Lives in Lisbon', 'Works as a nurse'];
    for (const userId of ['s1', 's2', 's3']) await Promise.all(texts.map((text) => engine.submit({ userId, text })).map((s) => s.decided));
    expect(lines.filter((l) => l.msg === 'batch decided')).toEqual([]);
    // The interval has not ended yet: close writes the partial interval's line.
    expect(lines.filter((l) => l.msg === 'decisions in the last interval')).toEqual([]);
    await engine.close();
    const summaries = lines.filter((l) => l.msg === 'decisions in the last interval');
    expect(summaries).toHaveLength(1);
    const s = summaries[0];
    expect(s).toMatchObject({ level: 30, candidates: 12, journalDepth: 0, intervalMs: 60_000 });
    expect(s.actions).toMatchObject({ added: 9, duplicate: 3 });
    expect(s.batches).toBeGreaterThanOrEqual(3);
    expect(s.batchP95Ms).toBeGreaterThanOrEqual(0);
  });

  it('writes no summary line when nothing was decided', async () => {
    const { logger, lines } = capture('info');
    const { engine } = await testEngine({ logger });
    await engine.close();
    expect(lines.filter((l) => l.msg === 'decisions in the last interval')).toEqual([]);
  });

  it('writes nothing below the configured level, and warns on failures', async () => {
    const { logger, lines } = capture('warn');
    const { engine } = await testEngine({ logger });
    await engine.submit({ userId: 'quiet', text: 'Plays the cello' }).decided;
    engine.emitter.safeEmit('breaker', { scope: 'user', name: 'quiet', state: 'open' });
    await engine.close();
    expect(lines.map((l) => l.msg)).toEqual(['circuit breaker open']);
    expect(lines[0]).toMatchObject({ level: 40, scope: 'user', breaker: 'quiet', state: 'open' });
  });

  it('rejects an unknown log level with a stable code', async () => {
    await expect(testEngine({ logLevel: 'chatty' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/options.logLevel/) });
  });
});
