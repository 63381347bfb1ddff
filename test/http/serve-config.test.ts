// `memdedup serve` as a child process: how it finds its config (production turns diagnostics off), auth from
// MEMDEDUP_API_TOKEN, and SIGTERM draining to exit 0. Spawns bin/, so it runs the built dist/.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServeConfig } from '../../src/cli/serveConfig.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';

const BIN = resolve('bin/memdedup.js');

function freePort(): Promise<number> {
  return new Promise((res) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => res(p)); }); });
}

async function serve(env: Record<string, string>): Promise<{ child: ChildProcess; base: string; out: () => string; exit: Promise<number | null> }> {
  const dir = tempDir();
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, NODE_ENV: '', MEMDEDUP_CONFIG: '', MEMDEDUP_API_TOKEN: '', MEMDEDUP_DIAGNOSTICS: '', PORT: String(port),
      MEMDEDUP_DB: join(dir, 's.db'), MEMDEDUP_FLAGS_FILE: writeFlagsFile(dir), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && child.exitCode === null; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base, out: () => out, exit };
}

describe('memdedup serve configuration', () => {
  it('loads config/production.json under NODE_ENV=production, and MEMDEDUP_CONFIG when given', () => {
    expect(loadServeConfig({}).config).toEqual({ diagnostics: true, protectOps: false, durableTimeoutMs: 10_000, engine: {} });
    expect(loadServeConfig({ NODE_ENV: 'production' }).config.diagnostics).toBe(false);
    expect(loadServeConfig({ NODE_ENV: 'production', MEMDEDUP_DIAGNOSTICS: '1' }).config.diagnostics).toBe(true);
    const dir = tempDir();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ diagnostics: false, protectOps: true, engine: { concurrency: 4 } }));
    expect(loadServeConfig({ MEMDEDUP_CONFIG: file }).config).toEqual({ diagnostics: false, protectOps: true, durableTimeoutMs: 10_000, engine: { concurrency: 4 } });
    writeFileSync(file, JSON.stringify({ diagnostic: true }));
    expect(() => loadServeConfig({ MEMDEDUP_CONFIG: file })).toThrow(/diagnostic/);
    writeFileSync(file, '{');
    expect(() => loadServeConfig({ MEMDEDUP_CONFIG: file })).toThrow(/cannot be read as JSON/);
  });

  it('serves diagnostics by default, 404 in production, auth from MEMDEDUP_API_TOKEN, exits 0 on SIGTERM', async () => {
    const dev = await serve({});
    try {
      expect((await fetch(`${dev.base}/api/memory/feature-flags-test`, { method: 'POST' })).status).toBe(200);
    } finally { dev.child.kill('SIGTERM'); }
    expect(await dev.exit).toBe(0);

    const prod = await serve({ NODE_ENV: 'production', MEMDEDUP_API_TOKEN: 'tok' });
    try {
      const h = { authorization: 'Bearer tok' };
      expect((await fetch(`${prod.base}/api/memory/feature-flags-test`, { method: 'POST', headers: h })).status).toBe(404);
      expect((await fetch(`${prod.base}/api/memory/flags`)).status).toBe(401);
      expect((await fetch(`${prod.base}/api/memory/flags`, { headers: h })).status).toBe(200);
      // Accepted work is drained before the exit.
      const r = await fetch(`${prod.base}/api/memory/candidates`, { method: 'POST', headers: { ...h, 'content-type': 'application/json' },
        body: JSON.stringify({ candidates: Array.from({ length: 50 }, (_, i) => ({ userId: `s${i % 5}`, text: `Fact number ${i}` })) }) });
      expect(r.status).toBe(202);
      prod.child.kill('SIGTERM');
      expect(await prod.exit).toBe(0);
      expect(prod.out()).toContain('stopped (drained)');
      expect(prod.out()).toContain('diagnostics off');
    } finally { if (prod.child.exitCode === null) prod.child.kill('SIGKILL'); }
  });

  it('refuses to start on a bad config file', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ diagnostics: 'yes' }));
    const s = await serve({ MEMDEDUP_CONFIG: file });
    expect(await s.exit).toBe(1);
    expect(s.out()).toMatch(/config file .*diagnostics/);
  });
});
