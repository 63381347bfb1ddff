// Provider calls and latency, from the real OpenAI-compatible embedder against a loopback server:
// answered calls, failed calls, and calls the open provider breaker refused.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../helpers/engine.js';

let healthy = true;
let server: http.Server;
let baseURL = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      if (!healthy) { res.writeHead(500); res.end('{"error":"down"}'); return; }
      const input: string[] = JSON.parse(body).input;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: input.map((t, index) => ({ index, embedding: [t.length, 1, 0.5] })) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const value = (text: string, series: string) => Number(text.split('\n').find((l) => l.startsWith(`${series} `))?.split(' ').pop() ?? NaN);

describe('provider metrics', () => {
  it('counts embedder calls by outcome and times the answered and failed ones', async () => {
    const { engine } = await testEngine({ file: false, embedder: { kind: 'openai', baseURL, model: 'len-3', timeoutMs: 2000 },
      breakers: { provider: { failures: 2, resetTimeoutMs: 60_000 } } });
    try {
      healthy = true;
      await Promise.all(['Likes tea', 'Likes green tea'].map((text) => engine.submit({ userId: 'pm', text }).decided));
      let text = await engine.registry.metrics();
      const ok = value(text, 'memdedup_provider_calls_total{provider="embedder",outcome="ok"}');
      expect(ok).toBeGreaterThan(0);
      expect(value(text, 'memdedup_provider_duration_seconds_count{provider="embedder"}')).toBe(ok);

      healthy = false;
      for (let i = 0; i < 4; i++) await engine.submit({ userId: `pm-${i}`, text: `Drinks coffee ${i}` }).decided;
      text = await engine.registry.metrics();
      const errors = value(text, 'memdedup_provider_calls_total{provider="embedder",outcome="error"}');
      const rejected = value(text, 'memdedup_provider_calls_total{provider="embedder",outcome="rejected"}');
      expect(errors).toBeGreaterThanOrEqual(2);
      expect(rejected).toBeGreaterThan(0);
      // Refused calls sent no request, so they have no latency.
      expect(value(text, 'memdedup_provider_duration_seconds_count{provider="embedder"}')).toBe(ok + errors);
      expect(value(text, 'memdedup_breakers{scope="provider",state="open"}')).toBe(1);
      expect(value(text, 'memdedup_breaker_transitions_total{scope="provider",to="open"}')).toBe(1);
    } finally {
      await engine.close();
    }
  });
});
