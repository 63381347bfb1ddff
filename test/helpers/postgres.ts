// A throwaway PostgreSQL cluster per call: initdb into a temp dir, start on a free port, stop and remove after.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_ROOT = '/usr/lib/postgresql';

function pgBin(): string | null {
  if (!existsSync(PG_ROOT)) return null;
  const newest = readdirSync(PG_ROOT).sort((a, b) => Number(b) - Number(a))[0];
  const bin = newest ? join(PG_ROOT, newest, 'bin') : null;
  return bin && existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')) ? bin : null;
}

/** True when initdb and pg_ctl are installed, the only reason a database test may skip. */
export function hasPostgres(): boolean {
  return pgBin() !== null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningPostgres {
  /** Superuser URL, trust auth, no password. */
  url: string;
  port: number;
  /** Stops the server but keeps its data, as an outage would; `resume` starts it again on the same port. */
  pause(): void;
  resume(): void;
  stop(): void;
}

export async function startPostgres(): Promise<RunningPostgres> {
  const bin = pgBin();
  if (!bin) throw new Error(`PostgreSQL binaries not found under ${PG_ROOT} (apt-get install -y postgresql)`);
  // initdb refuses to run as root, so as root the cluster belongs to the postgres user.
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'memdedup-pg-'));
  const data = join(dir, 'data');
  const run = (cmd: string, args: string[]): void => {
    const exe = join(bin, cmd);
    if (root) execFileSync('runuser', ['-u', 'postgres', '--', exe, ...args], { stdio: 'pipe' });
    else execFileSync(exe, args, { stdio: 'pipe' });
  };
  if (root) {
    const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', opts, 'start']);
  let stopped = false;
  let paused = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    pause() {
      if (stopped || paused) return;
      paused = true;
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    },
    resume() {
      if (stopped || !paused) return;
      run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', opts, 'start']);
      paused = false;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } catch { /* already down */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
