// A provider outage through the engine's provider seam (Deduper.providerStates, `breaker` events):
// a deduper that asks a real loopback HTTP "embedder" through ONE opossum breaker shared by all users.
// The dedup issue builds the real OpenAI-compatible embedder; this test pins what the engine does with it:
// one provider breaker opens (not one per user), candidates fall back (none dead-lettered), status shows
// the state, and after recovery the breaker closes and the sweep re-dedups what fell back.
import CircuitBreaker from 'opossum';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Deduper } from '../../src/dedup/types.js';
import { Engine } from '../../src/engine.js';
import type { EngineEventMap } from '../../src/engineEvents.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';

let server: Server | undefined;
let engine: Engine | undefined;
afterEach(async () => { await engine?.close(); server?.close(); engine = undefined; server = undefined; });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type State = 'closed' | 'open' | 'halfOpen';

/** Wraps the lexical cascade: prepare() first asks the embedder, through a provider breaker. */
function withEmbedder(url: string, onState: (state: State) => void) {
  return (base: Deduper): Deduper => {
    const call = async (texts: string[]) => {
      const r = await fetch(url, { method: 'POST', body: JSON.stringify({ input: texts }) });
      if (!r.ok) throw Object.assign(new Error(`embedder answered ${r.status}`), { status: r.status });
      return r.json();
    };
    const breaker = new CircuitBreaker(call, { resetTimeout: 1000, volumeThreshold: 5, errorThresholdPercentage: 1, timeout: 2000 });
    for (const s of ['open', 'halfOpen', 'close'] as const) breaker.on(s, () => onState(s === 'close' ? 'closed' : s));
    const state = (): State => (breaker.opened ? 'open' : breaker.halfOpen ? 'halfOpen' : 'closed');
    return {
      prepare: async (texts) => { await breaker.fire(texts); return base.prepare(texts); },
      createIndex: (m) => base.createIndex(m),
      decide: (p, i, o) => base.decide(p, i, o),
      providerStates: () => ({ embedder: state() }),
    };
  };
}

describe('provider outage', () => {
  it('opens one provider breaker, falls back, and the sweep re-dedups after recovery', async () => {
    let healthy = false;
    let requests = 0;
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => { requests++; res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' }); res.end('{}'); });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/embeddings`;
    const dir = tempDir();
    engine = await Engine.create({ logLevel: 'silent', store: { kind: 'sqlite', path: `${dir}/prov.db` }, flags: { kind: 'embedded', file: writeFlagsFile(dir) },
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 } },
    // Like the real providers, the breaker's transitions reach the engine as `breaker` events.
    { deduper: withEmbedder(url, (state) => engine?.emitter.safeEmit('breaker', { scope: 'provider', name: 'embedder', state })) });
    const transitions: EngineEventMap['breaker'][0][] = [];
    engine.emitter.on('breaker', (e) => transitions.push(e));

    const subs = [];
    for (let u = 0; u < 30; u++) {
      subs.push(engine.submit({ userId: `p${u}`, text: 'Loves hiking in the mountains' }));
      subs.push(engine.submit({ userId: `p${u}`, text: 'Loves mountain hiking' }));
    }
    const ds = await Promise.all(subs.map((s) => s.decided));
    expect(new Set(ds.map((d) => d.action))).toEqual(new Set(['fallback']));
    expect((engine.status() as any).breakers).toEqual({ provider: { embedder: 'open' }, user: { live: 30, open: 0 } });
    // One breaker for everyone, none per user (a slow machine may see a half-open trial fail and re-open).
    expect(transitions[0]).toEqual({ scope: 'provider', name: 'embedder', state: 'open' });
    expect(transitions.every((t) => t.scope === 'provider' && t.name === 'embedder')).toBe(true);
    // One breaker for everyone: the lanes in flight (concurrency 15) plus a few, not 5 per user.
    expect(requests).toBeLessThanOrEqual(20);
    expect(await engine.deadLetters()).toEqual([]);
    // While the provider is down the sweep does nothing (it would only compare lexically again).
    expect(await engine.sweep()).toMatchObject({ checked: 0 });

    healthy = true;
    await sleep(1100);
    const before = requests;
    expect((await engine.submit({ userId: 'p0', text: 'Collects vintage stamps' }).decided).action).toBe('added');
    expect(requests).toBeGreaterThan(before);
    expect((engine.status() as any).breakers.provider).toEqual({ embedder: 'closed' });
    expect(transitions.map((t) => t.state).slice(-2)).toEqual(['halfOpen', 'closed']);
    await engine.sweep();
    for (let u = 0; u < 30; u++) {
      const ms = await engine.memories(`p${u}`);
      expect(ms.filter((m) => /hiking/.test(m.text))).toHaveLength(1);
      expect(ms.some((m) => m.needsRecheck)).toBe(false);
    }
  });
});
