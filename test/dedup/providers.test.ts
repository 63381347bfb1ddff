// The embedder and judge against a real loopback HTTP server with deterministic answers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bagOfWords } from '../helpers/bagOfWords.js';
import { testEngine } from '../helpers/engine.js';
import { ProviderBreaker } from '../../src/dedup/providers/breaker.js';
import { OpenAIEmbedder } from '../../src/dedup/providers/embedder.js';
import { OpenAIJudge } from '../../src/dedup/providers/judge.js';
import type { Embedder, Judge } from '../../src/index.js';

type Mode = 'ok' | 'error' | 'slow';
let mode: Mode = 'ok';
let embedCalls = 0, judgeCalls = 0;
let judgeLabel = 'duplicate';
let server: http.Server;
let baseURL = '';

const vec = (text: string) => bagOfWords(text);

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const isEmbed = req.url === '/v1/embeddings';
      if (isEmbed) embedCalls++; else judgeCalls++;
      if (mode === 'error') { res.writeHead(500); res.end('{"error":"boom"}'); return; }
      const send = () => {
        const j = JSON.parse(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        if (isEmbed) {
          const input: string[] = Array.isArray(j.input) ? j.input : [j.input];
          res.end(JSON.stringify({ model: j.model, data: input.map((t, index) => ({ index, embedding: vec(t) })) }));
        } else {
          res.end(JSON.stringify({ choices: [{ message: { content: JSON.stringify({ label: judgeLabel, reason: 'test' }) } }] }));
        }
      };
      if (mode === 'slow') setTimeout(send, 400); else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function pair(engine: Awaited<ReturnType<typeof testEngine>>['engine'], user: string, a: string, b: string) {
  engine.submit({ userId: user, text: a });
  return engine.submit({ userId: user, text: b }).decided;
}

describe('OpenAI-compatible providers', () => {
  it('uses dense vectors from the embedder, one request per batch, and records the model', async () => {
    mode = 'ok';
    const { engine } = await testEngine({ file: false, embedder: { kind: 'openai', baseURL, model: 'bow-32', timeoutMs: 1000 } });
    try {
      const before = embedCalls;
      // Same words in another order: the lexical tier already merges; reorder + filler word tests the semantic tier.
      const d = await pair(engine, 'u1', 'Plays chess online with friends', 'With friends online plays chess');
      expect(d.action).toBe('duplicate');
      expect(embedCalls - before).toBeLessThanOrEqual(2);
      expect(engine.status().breakers.provider).toEqual({ embedder: 'closed' });
      expect(d.reasons).not.toContain('embedder-fallback');
    } finally { await engine.close(); }
  });

  it('asks the judge only in the grey band and maps its label', async () => {
    mode = 'ok';
    judgeLabel = 'conflict';
    const { engine } = await testEngine({ file: false, embedder: { kind: 'openai', baseURL, model: 'bow-32' },
      judge: { kind: 'openai', baseURL, model: 'judge-1' }, dedup: { thresholds: {} } });
    try {
      const before = judgeCalls;
      // Unrelated words: far below the grey band, the judge is not asked.
      const far = await pair(engine, 'u2', 'Keeps bees in the garden', 'Speaks fluent Portuguese');
      expect(far.action).toBe('added');
      expect(judgeCalls).toBe(before);
      // 9 of 10 words shared, one swapped: dense cosine 0.9 (grey band), and no lexical rule fires.
      const words = 'alpha beta gamma delta epsilon kappa lambda sigma omega';
      const grey = await pair(engine, 'u3', `${words} theta`, `${words} zeta`);
      expect(grey.method).toBe('judge');
      expect(grey.action).toBe('superseded');
      expect(grey.reasons).toContain('judge-conflict');
      expect(grey.comparedText).toBe(`${words} theta`);
      expect(judgeCalls).toBe(before + 1);
    } finally { await engine.close(); }
  });

  it('falls back to the built-in tiers on errors and timeouts, and never dead-letters', async () => {
    for (const m of ['error', 'slow'] as Mode[]) {
      mode = m;
      const { engine } = await testEngine({ file: false, embedder: { kind: 'openai', baseURL, model: 'bow-32', timeoutMs: 100 },
        breakers: { provider: { failures: 50, resetTimeoutMs: 60_000 } } });
      try {
        const d = await pair(engine, `u-${m}`, 'Walks the dog every morning', 'walks the dog every morning!');
        expect(d.action).toBe('duplicate');
        const e = await pair(engine, `v-${m}`, 'Has a cat', 'Has a cat named Miso');
        expect(e.action).toBe('updated');
        expect(e.reasons).toContain('embedder-fallback');
        expect(e.method).toBe('lexical');
      } finally { await engine.close(); }
    }
  });

  it('opens the breaker after repeated failures (few requests), then closes it once the provider is back', async () => {
    mode = 'error';
    const { engine } = await testEngine({ file: false, embedder: { kind: 'openai', baseURL, model: 'bow-32', timeoutMs: 500 },
      breakers: { provider: { failures: 3, resetTimeoutMs: 300 } } });
    const transitions: string[] = [];
    engine.emitter.on('breaker', (e) => { if (e.scope === 'provider') transitions.push(`${e.name}:${e.state}`); });
    try {
      const before = embedCalls;
      const ds = await Promise.all(Array.from({ length: 100 }, (_, i) => engine.submit({ userId: `b${i % 20}`, text: `Fact number ${i} about topic ${i}` }).decided));
      expect(ds.every((d) => d.action !== 'dead-letter')).toBe(true);
      expect(engine.status().breakers.provider).toEqual({ embedder: 'open' });
      expect(embedCalls - before).toBeLessThanOrEqual(10);
      expect(transitions).toContain('embedder:open');
      mode = 'ok';
      await new Promise((r) => setTimeout(r, 400));
      const d = await engine.submit({ userId: 'b-after', text: 'Brews coffee at home' }).decided;
      expect(d.reasons).not.toContain('embedder-fallback');
      expect(engine.status().breakers.provider).toEqual({ embedder: 'closed' });
      expect(transitions).toEqual(expect.arrayContaining(['embedder:halfOpen', 'embedder:closed']));
    } finally { await engine.close(); }
  });

  it('the OpenAI clients are the Embedder and Judge seams: vectors with their model, a verdict, their breaker state', async () => {
    const breaker = (name: string) => new ProviderBreaker({ name, failures: 1, resetTimeoutMs: 60_000 });
    const eb = breaker('embedder'); const jb = breaker('judge');
    const embedder: Embedder = new OpenAIEmbedder({ baseURL, model: 'bow-32', timeoutMs: 1000 }, eb);
    const judge: Judge = new OpenAIJudge({ baseURL, model: 'judge-1', timeoutMs: 1000 }, jb);
    try {
      mode = 'ok';
      judgeLabel = 'update';
      const [v] = await embedder.embed(['Keeps bees in the garden']);
      expect(v!.model).toBe(embedder.model);
      expect(v!.vector).toBeInstanceOf(Float32Array);
      expect(await judge.judge('Keeps bees', 'Keeps bees in the garden')).toEqual({ label: 'update', reason: 'test' });
      expect([embedder.state, judge.state]).toEqual(['closed', 'closed']);
      mode = 'error';
      // Failures outnumber the one success in the breaker's window: it opens.
      for (let i = 0; i < 2; i++) {
        await expect(embedder.embed(['x'])).rejects.toThrow();
        await expect(judge.judge('a', 'b')).rejects.toThrow();
      }
      expect([embedder.state, judge.state]).toEqual(['open', 'open']);
    } finally { mode = 'ok'; eb.shutdown(); jb.shutdown(); }
  });
});
