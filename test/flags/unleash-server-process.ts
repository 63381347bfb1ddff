// A real Unleash server for tests: installed once from npm into <repo>/.cache (never a dependency of
// the package), run on a PostgreSQL cluster the caller provides, driven through its Admin API.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/postgres.js';

/** 7.5.1 is the last unleash-server that runs on Node 20 (7.6 and 8.x need Node 22). */
export const UNLEASH_SERVER_VERSION = process.env.UNLEASH_SERVER_VERSION ?? '7.5.1';
const CACHE = join(fileURLToPath(new URL('../..', import.meta.url)), '.cache', `unleash-server-${UNLEASH_SERVER_VERSION}`);
const ENTRY = join(CACHE, 'node_modules', 'unleash-server', 'dist', 'server.js');

export const ADMIN_TOKEN = '*:*.memdedup-admin-token';
/** A backend (client SDK) token for the project `default` in the environment `development`. */
export const CLIENT_TOKEN = 'default:development.memdedup-client-token';

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-4000); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

/** Installs into a scratch folder and renames it into place, so a killed install is never mistaken for a cache. */
export async function ensureUnleashServer(): Promise<string> {
  if (existsSync(ENTRY)) return ENTRY;
  const scratch = `${CACHE}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    await run('npm', ['install', '--prefix', scratch, '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev',
      '--loglevel=error', `unleash-server@${UNLEASH_SERVER_VERSION}`]);
    if (!existsSync(ENTRY)) {
      rmSync(CACHE, { recursive: true, force: true });
      renameSync(scratch, CACHE);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return ENTRY;
}

export interface RunningUnleash {
  /** Base URL; the client SDK URL is `${base}/api`. */
  base: string;
  admin(method: string, path: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startUnleashServer(databaseUrl: string): Promise<RunningUnleash> {
  const entry = await ensureUnleashServer();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { NODE_ENV: _testEnv, ...env } = process.env; // vitest's NODE_ENV=test changes unleash-server's behaviour
  const child: ChildProcess = spawn(process.execPath, [entry], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...env,
      TZ: 'UTC',
      DATABASE_URL: databaseUrl,
      DATABASE_SSL: 'false',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      INIT_ADMIN_API_TOKENS: ADMIN_TOKEN,
      INIT_BACKEND_API_TOKENS: CLIENT_TOKEN,
      CHECK_VERSION: 'false',
      SEND_TELEMETRY: 'false',
      LOG_LEVEL: 'warn',
    },
  });
  let log = '';
  const keep = (d: Buffer): void => { log = (log + d.toString()).slice(-8000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`unleash-server exited ${child.exitCode}:\n${log}`);
    const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`unleash-server not healthy after 180 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }

  const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: ADMIN_TOKEN, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return { base, admin, stop };
}
