// Prometheus's own tools in tests: promtool, and a throwaway Prometheus server on a free loopback port.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './postgres.js';

export function hasBinary(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

export const hasPromtool = (): boolean => hasBinary('promtool');
export const hasPrometheus = (): boolean => hasBinary('prometheus');

/** Runs promtool; resolves with its exit code and output (never throws on a non-zero exit). */
export function promtool(args: string[], input?: string): { code: number; out: string } {
  try {
    const out = execFileSync('promtool', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    return { code: 0, out };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { code: err.status ?? 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

export interface RunningPrometheus {
  url: string;
  dir: string;
  log(): string;
  stop(): Promise<void>;
}

/** Starts `prometheus` with the given config (rule files may be written into `dir` first by `files`). */
export async function startPrometheus(config: (dir: string) => string, files: Record<string, string> = {}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'memdedup-prom-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'prometheus.yml'), config(dir));
  const port = await freePort();
  const child: ChildProcess = spawn('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d) => { log += d; });
  child.stderr!.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) { await stop(); throw new Error(`prometheus exited ${child.exitCode}: ${log.slice(-800)}`); }
    try { if ((await fetch(`${url}/-/ready`)).ok) break; } catch { /* not yet */ }
    if (Date.now() > deadline) { await stop(); throw new Error(`prometheus not ready after 30 s: ${log.slice(-800)}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, dir, log: () => log, stop };
}
