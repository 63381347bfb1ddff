// The engine runs inside someone else's process: its logs go to stderr, the host's stdout stays the host's.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';

it('an engine logging at info writes nothing to stdout', () => {
  const dir = tempDir();
  const flags = writeFlagsFile(dir);
  const script = join(dir, 'host.mjs');
  writeFileSync(script, `
    const mod = await import(${JSON.stringify(pathToFileURL(resolve('dist/index.js')).href)});
    const engine = await mod.createEngine({ store: { kind: 'sqlite', path: ':memory:' }, flags: { kind: 'embedded', file: ${JSON.stringify(flags)} }, logLevel: 'info' });
    for (let i = 0; i < 20; i++) engine.submit({ userId: 'u' + i, text: 'Likes tea' });
    await engine.drain(); await engine.close();
    console.log('host output');
  `);
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toBe('host output\n');
  expect(r.stderr).toContain('decisions in the last interval');
  // At info, no line per batch (there were up to 20).
  expect(r.stderr).not.toContain('batch decided');
});
