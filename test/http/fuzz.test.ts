// Hostile input: thousands of malformed requests get 4xx answers from the catalogue, never a 5xx or a crash;
// and 200 concurrent clients lose no accepted candidate.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROLS, controlCharCandidate, fuzzCases, rng, type FuzzCase } from './fuzzCases.js';
import { tempDir } from '../helpers/engine.js';
import { freshStore, STORE_KINDS, stopPostgres } from '../helpers/stores.js';
import { startTestServer, type TestServer } from './helpers.js';

const FUZZ_REQUESTS = 5200;
const RAW_REQUESTS = 300;
const PARALLEL = 32;

let t: TestServer;
afterAll(() => stopPostgres());
const auth = { authorization: 'Bearer fuzz-token' };

async function send(c: FuzzCase): Promise<{ status: number; json: unknown; text: string }> {
  const r = await fetch(t.srv.url + c.path, { method: c.method, headers: { ...auth, ...c.headers }, body: c.body });
  const text = await r.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, json, text };
}

/** Bytes fetch() refuses to send: raw control characters and invalid UTF-8 in the request line and headers. */
function rawRequest(port: number, bytes: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let data = '';
    s.setTimeout(5000, () => s.destroy());
    s.on('data', (d) => { data += d.toString('latin1'); if (/\r\n\r\n/.test(data)) s.end(); });
    s.on('error', () => undefined);
    s.on('close', () => { const m = /^HTTP\/1\.1 (\d{3})/.exec(data); resolve(m ? Number(m[1]) : 0); });
    s.write(bytes);
  });
}

function rawCases(n: number): Buffer[] {
  const r = rng(11);
  const out: Buffer[] = [];
  const junk = () => Buffer.from(Array.from({ length: 1 + Math.floor(r() * 12) }, () => Math.floor(r() * 256)));
  for (let i = 0; i < n; i++) {
    const head = (path: Buffer, extra = '') => Buffer.concat([Buffer.from('GET '), path, Buffer.from(` HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer fuzz-token\r\n${extra}Connection: close\r\n\r\n`)]);
    switch (i % 4) {
      case 0: out.push(head(Buffer.concat([Buffer.from('/api/memory/users/'), junk(), Buffer.from('/memories')]))); break;
      case 1: out.push(head(Buffer.from('/api/memory/events/\u0000\u0007/undo'))); break;
      case 2: out.push(head(Buffer.from('/api/memory/users/a/events'), `X-Junk: ${'\u00ff'.repeat(10)}\r\n`)); break;
      default: {
        const body = Buffer.concat([Buffer.from('{"userId":"'), junk(), Buffer.from('","text":"'), junk(), Buffer.from('"}')]);
        out.push(Buffer.concat([Buffer.from(`POST /api/memory/candidates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer fuzz-token\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
      }
    }
  }
  return out;
}

describe.each(STORE_KINDS)('hostile input on %s', (kind) => {
  beforeAll(async () => {
    const dir = tempDir();
    t = await startTestServer({ token: 'fuzz-token' }, { dir, store: await freshStore(kind, dir) });
  });
  afterAll(async () => { await t.close(); });

  it(`answers ${FUZZ_REQUESTS} malformed requests and ${RAW_REQUESTS} raw ones without a 5xx or a crash`, async () => {
    const cases = fuzzCases(FUZZ_REQUESTS);
    const statuses = new Map<number, number>();
    const fivexx: string[] = [];
    let notCatalogue = 0;
    for (let i = 0; i < cases.length; i += PARALLEL) {
      const replies = await Promise.all(cases.slice(i, i + PARALLEL).map(async (c) => ({ c, r: await send(c) })));
      for (const { c, r } of replies) {
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status >= 500) fivexx.push(`${r.status} ${c.method} ${c.path.slice(0, 80)} ${r.text.slice(0, 120)}`);
        // Every error answer is JSON from the catalogue, and never a stack trace.
        if (r.status >= 400 && c.method !== 'HEAD' && typeof (r.json as { error?: { code?: unknown } })?.error?.code !== 'string') notCatalogue++;
        expect(r.text).not.toMatch(/at .+\.(ts|js):\d+/);
      }
    }
    const raw = rawCases(RAW_REQUESTS);
    for (let i = 0; i < raw.length; i += PARALLEL) {
      for (const status of await Promise.all(raw.slice(i, i + PARALLEL).map((b) => rawRequest(t.srv.server.address() && (t.srv.server.address() as net.AddressInfo).port, b)))) {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500) fivexx.push(`raw ${status}`);
      }
    }
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    console.log(`fuzz (${kind}): ${total} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(total).toBeGreaterThanOrEqual(5000);
    expect(fivexx).toEqual([]);
    expect(notCatalogue).toBe(0);
    // Alive and well: health, a real submission, and the engine still open.
    expect((await fetch(`${t.srv.url}/healthz`)).status).toBe(200);
    const ok = await send({ method: 'POST', path: '/api/memory/candidates?wait=1', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'after-fuzz', text: 'Still works' }) });
    expect(ok.status).toBe(200);
    expect(t.engine.status().closed).toBe(false);
    expect(t.engine.flags.list().every((f) => f.enabled)).toBe(true);
  }, 600_000);

  it('answers 400 for a control character in any field (202 for tab, newline, CR in text), never a 5xx or a hang', async () => {
    const r = rng(23);
    const bodies = Array.from({ length: 400 }, () => controlCharCandidate(r));
    const has = (v: string | undefined, chars: string[]) => v !== undefined && chars.some((ch) => v.includes(ch));
    const inText = CONTROLS.filter((ch) => !['\t', '\n', '\r'].includes(ch));
    const allowed = (c: Record<string, string>) => !has(c.text, inText) && !has(c.userId, CONTROLS) && !has(c.source, inText) && !has(c.id, CONTROLS);
    const expected = bodies.map((b) => {
      const list = (b as { candidates?: Record<string, string>[] }).candidates ?? [b];
      return list.every(allowed) ? 202 : 400;
    });
    const got: number[] = [];
    for (let i = 0; i < bodies.length; i += PARALLEL) {
      got.push(...(await Promise.all(bodies.slice(i, i + PARALLEL).map(async (b) =>
        (await send({ method: 'POST', path: '/api/memory/candidates', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) })).status))));
    }
    expect(got).toEqual(expected);
    expect(expected.filter((s) => s === 202).length).toBeGreaterThan(0);
    expect(await t.engine.drain(30_000)).toBe(true);
  }, 120_000);

  it('loses no accepted candidate with 200 concurrent clients', async () => {
    const clients = 200;
    const replies = await Promise.all(Array.from({ length: clients }, (_, i) => send({
      method: 'POST', path: '/api/memory/candidates', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ candidates: Array.from({ length: 5 }, (_, k) => ({ userId: `cc${i % 25}`, text: `Owns a distinct gadget number ${i}-${k}` })) }),
    })));
    expect(replies.every((r) => r.status === 202)).toBe(true);
    const ids = replies.flatMap((r) => (r.json as { results: { id: string; status: string }[] }).results.filter((x) => x.status === 'accepted').map((x) => x.id));
    expect(ids).toHaveLength(clients * 5);
    expect(await t.engine.drain(30_000)).toBe(true);
    const seen = new Set<string>();
    for (let u = 0; u < 25; u++) for (const e of await t.engine.events(`cc${u}`)) if (e.candidateId) seen.add(e.candidateId);
    expect(ids.filter((id) => !seen.has(id))).toEqual([]);
  });
});
