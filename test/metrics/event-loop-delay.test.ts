// The chat-impact histogram: loop blocking shows up as excess delay while the engine works, and
// intervals in which the engine did nothing are dropped.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BoundHistogram } from '../../src/metrics/bound.js';
import { EventLoopSampler } from '../../src/metrics/eventLoop.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function block(ms: number): void { const end = Date.now() + ms; while (Date.now() < end) { /* hold the loop */ } }

async function sumAndCount(h: BoundHistogram): Promise<{ sum: number; count: number }> {
  const { values } = await h.get();
  return { sum: values.find((v) => v.metricName?.endsWith('_sum'))!.value, count: values.find((v) => v.metricName?.endsWith('_count'))!.value };
}

describe('event-loop delay sampler', () => {
  it('records a blocked loop as excess delay while the engine is busy', async () => {
    const h = new BoundHistogram({ name: 't_delay_seconds', help: 't', buckets: [0.01, 0.1, 1], registers: [new Registry()] });
    const sampler = new EventLoopSampler(h, () => true, 60_000);
    sampler.start();
    try {
      await sleep(50);
      block(150);
      await sleep(50);
      sampler.sample();
    } finally { sampler.stop(); }
    const { sum, count } = await sumAndCount(h);
    expect(count).toBeGreaterThan(0);
    // 150 ms held: the timer that waited behind it alone was late by most of that.
    expect(sum).toBeGreaterThan(0.1);
    const text = (await h.get()).values.filter((v) => v.metricName === 't_delay_seconds_bucket').map((v) => `${v.labels.le}:${v.value}`);
    expect(text.at(-1)).toBe(`+Inf:${count}`);
  });

  it('drops intervals in which the engine did nothing', async () => {
    const h = new BoundHistogram({ name: 't_idle_seconds', help: 't', buckets: [0.01, 0.1, 1], registers: [new Registry()] });
    const sampler = new EventLoopSampler(h, () => false, 60_000);
    sampler.start();
    try {
      await sleep(30);
      block(100);
      await sleep(30);
      sampler.sample();
    } finally { sampler.stop(); }
    expect(await sumAndCount(h)).toEqual({ sum: 0, count: 0 });
  });
});
