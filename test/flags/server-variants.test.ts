// Server mode answers getVariant like embedded mode: the real unleash-client polls a client-features
// endpoint on loopback (the document Unleash's /api/client/features serves) holding each specification
// state with variant cases, and every variant case of @unleash/client-specification must pass.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createFlags } from '../../src/flags/index.js';

interface VariantCase {
  description: string; context?: Record<string, unknown>; toggleName: string;
  expectedResult: { name: string; enabled: boolean; payload?: unknown; feature_enabled?: boolean };
}

const specDir = join(dirname(createRequire(import.meta.url).resolve('@unleash/client-specification/package.json')), 'specifications');
const servers: Server[] = [];
afterAll(() => { for (const s of servers) s.close(); });

/** Serves `state` at /api/client/features; resolves with the base URL. */
async function featuresServer(state: unknown): Promise<string> {
  const body = JSON.stringify(state);
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/api/client/features')) { res.writeHead(200, { 'content-type': 'application/json' }).end(body); return; }
    res.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}/api`;
}

it('passes every variant case of the client specification in server mode', async () => {
  let total = 0;
  const misses: string[] = [];
  for (const f of readdirSync(specDir).filter((n) => /^\d+.*\.json$/.test(n)).sort()) {
    const spec = JSON.parse(readFileSync(join(specDir, f), 'utf8')) as { state?: { features?: unknown }; variantTests?: VariantCase[] };
    if (!spec.state?.features || !spec.variantTests?.length) continue;
    const url = await featuresServer(spec.state);
    const flags = await createFlags({ kind: 'unleash', url, token: 'default:development.test', timeoutMs: 10_000 });
    expect(flags.synchronized).toBe(true);
    for (const t of spec.variantTests) {
      total++;
      const got = flags.getVariant(t.toggleName, t.context ?? {});
      const e = t.expectedResult;
      const ok = got.name === e.name && got.enabled === e.enabled && (e.feature_enabled === undefined || got.feature_enabled === e.feature_enabled);
      if (!ok) misses.push(`${f} :: ${t.description} -> ${JSON.stringify(got)}`);
    }
    await flags.close();
  }
  console.log(`client specification variants (server mode): ${total - misses.length}/${total}`);
  expect(total).toBe(52);
  expect(misses).toEqual([]);
});

it('answers the fallback before any definitions and never throws', async () => {
  const url = `http://127.0.0.1:1/api`;
  const flags = await createFlags({ kind: 'unleash', url, token: 't', timeoutMs: 100 });
  expect(flags.getVariant('memory.dedup-policy', { userId: 'u' })).toMatchObject({ name: 'disabled', enabled: false, feature_enabled: false });
  expect(flags.getVariant('memory.dedup-policy', { userId: 'u' }, { name: 'default', enabled: true }))
    .toMatchObject({ name: 'default', enabled: true, feature_enabled: false });
  await flags.close();
});
