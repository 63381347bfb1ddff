// Provider vectors are kept with the memories: a restart (a cold index load) does not call the embedder for
// memories already embedded with the configured model; a model change re-embeds them once, lazily and batched,
// and stores the new vectors. Counted against a real loopback OpenAI-compatible embeddings server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bagOfWords } from '../helpers/bagOfWords.js';
import { createEngine, type Engine } from '../../src/engine.js';
import type { StoreOptions } from '../../src/options.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';
import { hasPostgres, startPostgres, type RunningPostgres } from '../helpers/postgres.js';

/** Every embeddings request the server answered: the model asked for and the texts. */
const requests: { model: string; input: string[] }[] = [];
let server: http.Server;
let baseURL = '';
let pg: RunningPostgres | undefined;

const vec = (text: string) => bagOfWords(text, 64);

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const j = JSON.parse(body) as { model: string; input: string[] };
      requests.push({ model: j.model, input: j.input });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ model: j.model, data: j.input.map((t, index) => ({ index, embedding: vec(t) })) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  if (hasPostgres()) pg = await startPostgres();
});
afterAll(async () => {
  pg?.stop();
  await new Promise<void>((r) => server.close(() => r()));
});

/** Made-up words (the index spelled in letters: digits would read as numbers that differ), so each fact is simply added. */
const word = (i: number, k: number) => { let w = 'bcdfghjklmnprstvz'[k]!; for (let n = i + 1; n > 0; n = Math.floor(n / 5)) w += 'aeiou'[n % 5]! + 'rstln'[(n + k) % 5]!; return w; };
const FACTS = Array.from({ length: 300 }, (_, i) => `Went to ${word(i, 0)} with ${word(i, 1)} and ${word(i, 2)}`);

const stores: [string, () => StoreOptions][] = [
  ['sqlite', () => ({ kind: 'sqlite', path: join(tempDir('memdedup-vec-'), 'v.db') })],
  ['postgres', () => ({ kind: 'postgres', connectionString: pg!.url, schema: `v_${Date.now()}` })],
];

describe.each(stores)('stored provider vectors (%s)', (kind, storeFor) => {
  it.skipIf(kind === 'postgres' && !hasPostgres())('a restart embeds no stored memory; a model change re-embeds once, batched', async () => {
    const store = storeFor();
    const flags = writeFlagsFile(tempDir());
    const open = (model: string): Promise<Engine> =>
      createEngine({ store, flags: { kind: 'embedded', file: flags }, logLevel: 'silent', embedder: { kind: 'openai', baseURL, model } });
    let stored = new Set<string>();
    /** Texts of stored memories the embedder was asked for since `from`, and in how many requests. */
    const reembedded = (from: number) => {
      const rs = requests.slice(from).filter((r) => r.input.some((t) => stored.has(t)));
      return { requests: rs.length, texts: rs.flatMap((r) => r.input.filter((t) => stored.has(t))) };
    };

    let e = await open('bow-v1');
    const ds = await Promise.all(FACTS.map((text) => e.submit({ userId: 'vec', text }).decided));
    expect(ds.some((d) => d.reasons?.includes('embedder-fallback'))).toBe(false);
    // The index holds the active memories (superseded ones are history): those are what a cold load needs.
    stored = new Set((await e.memories('vec')).map((m) => m.text));
    expect(stored.size).toBeGreaterThan(256);
    await e.close();

    // Restart on the same model: the cold load of the user's index reads the stored vectors.
    let from = requests.length;
    e = await open('bow-v1');
    expect((await e.recall('vec', { limit: 3 })).length).toBe(3);
    const fresh = await e.submit({ userId: 'vec', text: 'Speaks fluent Portuguese' }).decided;
    expect(fresh.action).toBe('added');
    expect(reembedded(from)).toEqual({ requests: 0, texts: [] });
    // Only the new candidate was embedded.
    expect(requests.slice(from).flatMap((r) => r.input)).toEqual(['Speaks fluent Portuguese']);
    await e.close();
    stored.add('Speaks fluent Portuguese');

    // Another model: every stored memory is embedded again once, in batches of at most 256 texts.
    from = requests.length;
    e = await open('bow-v2');
    await e.recall('vec');
    const again = reembedded(from);
    expect(again.texts.sort()).toEqual([...stored].sort());
    expect(again.requests).toBe(2);
    expect(requests.slice(from).every((r) => r.model === 'bow-v2')).toBe(true);
    await e.close();

    // ...and stored: the next restart on that model embeds none of them.
    from = requests.length;
    e = await open('bow-v2');
    await e.recall('vec');
    expect(reembedded(from)).toEqual({ requests: 0, texts: [] });
    // The stored vectors still decide: a reworded copy of a stored fact is a duplicate.
    const dup = await e.submit({ userId: 'vec', text: `${FACTS[5]!.toUpperCase()}.` }).decided;
    expect(dup.action).toBe('duplicate');
    await e.close();
  }, 120_000);
});
