// Every command parses with the one parser: --help answers its usage with exit 0, an unknown option
// exits 2 with a message naming it. Runs the real bin (dist/, built by pretest).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'memdedup.js');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });

const COMMANDS = ['serve', 'migrate-store', 'dashboard', 'rules', 'sweep', 'eval'];

describe('memdedup CLI', () => {
  it.each(COMMANDS)('%s --help prints its usage and exits 0', (cmd) => {
    const r = run(cmd, '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`usage: memdedup ${cmd}`);
    expect(r.stderr).toBe('');
    expect(run(cmd, '-h').status).toBe(0);
  });

  it.each(COMMANDS)('%s --bogus exits 2 naming the option, without starting anything', (cmd) => {
    const r = run(cmd, '--bogus');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^memdedup ${cmd}: Unknown option '--bogus'`));
    expect(r.stderr).toContain(`usage: memdedup ${cmd}`);
    expect(r.stdout).toBe('');
  });

  it('refuses a missing option value and a stray argument with exit 2', () => {
    expect(run('sweep', '--user').status).toBe(2);
    expect(run('rules', 'extra').status).toBe(2);
    const r = run('eval');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('give exactly one of --pairs or --stream');
  });

  it('an unknown command exits 2; no command prints the overview', () => {
    expect(run('frobnicate').status).toBe(2);
    const r = run();
    expect(r.status).toBe(0);
    for (const cmd of COMMANDS) expect(r.stdout).toContain(cmd);
  });
});
