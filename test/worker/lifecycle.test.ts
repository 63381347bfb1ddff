// Worker threads never keep the host alive once the engine is closed, and a decision in flight does keep it alive.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';

const dist = pathToFileURL(join(import.meta.dirname, '../../dist/index.js')).href;

function host(script: string): { code: number | null; out: string; ms: number } {
  const t0 = Date.now();
  const file = join(tempDir(), 'host.mjs');
  writeFileSync(file, script);
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout + r.stderr, ms: Date.now() - t0 };
}

describe('worker lifecycle', () => {
  it('the host process exits by itself after close(), and a pending decision is awaited before that', () => {
    const dir = tempDir();
    const r = host(`
      import { createEngine } from ${JSON.stringify(dist)};
      const e = await createEngine({ thread: 'worker', workers: 2, store: { kind: 'sqlite', path: ${JSON.stringify(join(dir, 'db.sqlite'))} },
        flags: { kind: 'embedded', file: ${JSON.stringify(writeFlagsFile(dir))} }, logLevel: 'silent' });
      // Nothing but this promise is pending: the workers must keep the process alive until it resolves.
      const d = await e.submit({ userId: 'u', text: 'Has a dog named Max' }).decided;
      console.log('decided', d.action, e.status().threads.running);
      await e.close();
      console.log('closed', e.status().threads.running);
    `);
    expect(r.out).toContain('decided added 2');
    expect(r.out).toContain('closed 0');
    expect(r.code).toBe(0);
  }, 90_000);
});
