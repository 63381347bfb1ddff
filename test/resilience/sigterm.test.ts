// SIGTERM to `memdedup serve` under load: exit 0, and after a restart every accepted candidate is decided.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serve(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [resolve('bin/memdedup.js'), 'serve'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (d) => { out += d; });
  const base = await new Promise<string>((res, rej) => {
    child.stdout!.on('data', (d) => { out += d; const m = /serving on (\S+)/.exec(out); if (m) res(m[1]!); });
    child.once('exit', (code) => rej(new Error(`serve exited ${code}: ${out}`)));
  });
  return { child, base };
}

describe('SIGTERM under load', () => {
  it('exits 0 and loses no accepted candidate', async () => {
    const dir = tempDir();
    const env = { MEMDEDUP_DB: join(dir, 'term.db'), MEMDEDUP_FLAGS_FILE: writeFlagsFile(dir) };
    const first = await serve(env);
    const accepted: string[] = [];
    const posts = [];
    for (let b = 0; b < 20; b++) {
      const candidates = Array.from({ length: 100 }, (_, i) => ({ userId: `t${(b * 100 + i) % 40}`, text: `Note ${b}-${i} on subject ${b * 100 + i}` }));
      posts.push(fetch(`${first.base}/api/memory/candidates`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ candidates }) }).then(async (r) => {
        if (r.status === 202) for (const x of ((await r.json()) as { results: { id: string; status: string }[] }).results) if (x.status === 'accepted') accepted.push(x.id);
        // SIGTERM as soon as the first request was accepted: the others are in flight or queued.
        if (accepted.length && first.child.exitCode === null && !first.child.killed) first.child.kill('SIGTERM');
      }).catch(() => undefined));
    }
    await Promise.all(posts);
    const code = await new Promise((r) => (first.child.exitCode !== null ? r(first.child.exitCode) : first.child.once('exit', r)));
    expect(code).toBe(0);
    expect(accepted.length).toBeGreaterThan(0);

    const second = await serve(env);
    try {
      const seen = new Set<string>();
      for (let t0 = Date.now(); Date.now() - t0 < 30_000 && accepted.some((id) => !seen.has(id));) {
        for (let u = 0; u < 40; u++) {
          const r = await fetch(`${second.base}/api/memory/users/t${u}/events?limit=1000`);
          for (const e of ((await r.json()) as { events: { candidateId: string }[] }).events) seen.add(e.candidateId);
        }
        await sleep(200);
      }
      expect(accepted.filter((id) => !seen.has(id))).toEqual([]);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  }, 90_000);
});
