// examples/chat-server as a user runs it: `npm pack` the project, install the tarball (and express) into
// a fresh folder, run the example from there, talk to it over loopback, stop it with SIGTERM.
//
// The pack skips prepack (dist/ is built by pretest; prepack's clean would pull dist/ from under the
// tests running in parallel). better-sqlite3's native build is reused from the project's own
// node_modules when the version is the same (compiling it takes minutes); otherwise it is rebuilt.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'chat-server');
const work = tempDir('memdedup-example-');
const host = join(work, 'host');
let child: ReturnType<typeof spawn> | undefined;
afterAll(() => { if (child && child.exitCode === null) child.kill('SIGKILL'); });

const sh = (cmd: string, args: string[], cwd: string) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 540_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${(r.stderr || r.stdout).slice(-800)}`);
  return r.stdout;
};
const version = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version as string;

async function post(base: string, path: string, body: unknown) {
  const r = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, json: await r.json() as any };
}

describe('examples/chat-server from the packed package', () => {
  it('installs from the tarball, answers chat turns, serves the memory API and metrics, drains on SIGTERM', async () => {
    const packed = JSON.parse(sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT))[0];
    const files: string[] = packed.files.map((f: { path: string }) => f.path);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('config/flags.json');
    // No source map pointing at ../src, which is not packed.
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('src/'))).toEqual([]);

    sh('mkdir', ['-p', host], work);
    const pkg = JSON.parse(readFileSync(join(EXAMPLE, 'package.json'), 'utf8'));
    delete pkg.dependencies.memdedup; // installed from the tarball below
    writeFileSync(join(host, 'package.json'), JSON.stringify(pkg, null, 2));
    copyFileSync(join(EXAMPLE, 'server.mjs'), join(host, 'server.mjs'));
    const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', join(work, tgz), `express@${pkg.dependencies.express}`], host);
    const ours = join(ROOT, 'node_modules', 'better-sqlite3');
    const theirs = join(host, 'node_modules', 'better-sqlite3');
    if (version(ours) === version(theirs) && existsSync(join(ours, 'build', 'Release', 'better_sqlite3.node'))) {
      cpSync(join(ours, 'build', 'Release', 'better_sqlite3.node'), join(theirs, 'build', 'Release', 'better_sqlite3.node'));
    } else {
      sh('npm', ['rebuild', 'better-sqlite3'], host);
    }

    child = spawn(process.execPath, ['server.mjs'], { cwd: host, env: { ...process.env, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout!.on('data', (d) => { out += d; });
    child.stderr!.on('data', (d) => { err += d; });
    const exited = new Promise<number | null>((r) => child!.on('exit', (code) => r(code)));
    const base = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no listening line: ${out} ${err}`)), 60_000);
      child!.stdout!.on('data', () => { const m = /on (http:\/\/\S+)/.exec(out); if (m) { clearTimeout(t); resolve(m[1]!); } });
      child!.on('exit', (code) => { clearTimeout(t); reject(new Error(`exited ${code}: ${err.slice(-600)}`)); });
    });

    const t1 = await post(base, '/chat?wait=1', { userId: 'alice', message: 'I am vegetarian. What should I cook tonight?' });
    expect(t1.status).toBe(200);
    expect(t1.json).toMatchObject({ facts: ['User is vegetarian.'], decisions: ['added'], remembered: [] });
    const t2 = await post(base, '/chat?wait=1', { userId: 'alice', message: "I'm vegetarian. My dog is called Rex." });
    expect(t2.json.facts).toEqual(['User is vegetarian.', "User's dog is called Rex."]);
    expect(t2.json.decisions).toEqual(['duplicate', 'added']);
    expect(t2.json.remembered).toEqual(['User is vegetarian.']);
    const t3 = await post(base, '/chat', { userId: 'alice', message: 'Any recipe ideas with what you know?' });
    expect(t3.json.remembered.sort()).toEqual(['User is vegetarian.', "User's dog is called Rex."]);

    const mems = await (await fetch(`${base}/api/memory/users/alice/memories`)).json() as { memories: { text: string }[] };
    expect(mems.memories.map((m) => m.text).sort()).toEqual(['User is vegetarian.', "User's dog is called Rex."]);
    const missing = await fetch(`${base}/api/memory/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe('NOT_FOUND');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^memdedup_decisions_total\{[^}]*action="duplicate"[^}]*\} 1$/m);
    // The data folder is the host's, next to where it runs; nothing went into the installed package.
    expect(existsSync(join(host, 'data', 'memdedup.db'))).toBe(true);
    expect(existsSync(join(host, 'node_modules', 'memdedup', 'data'))).toBe(false);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('stopped (drained)');
    // Quiet at the default level: no per-batch log lines on stderr.
    expect(err).not.toContain('batch decided');
  }, 600_000);
});
