// A child process is SIGKILLed while submitting under load; a new engine on the same file must decide
// every candidate whose `accepted` resolved, exactly once.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';

const DIST = pathToFileURL(resolve('dist/index.js')).href;

describe('crash recovery', () => {
  it('loses no accepted candidate and decides none twice after SIGKILL', async () => {
    const dir = tempDir();
    const flags = writeFlagsFile(dir);
    const db = join(dir, 'crash.db');
    const child = join(dir, 'child.mjs');
    writeFileSync(child, `
      const mod = await import(${JSON.stringify(DIST)});
      const engine = await mod.createEngine({ store: { kind: 'sqlite', path: ${JSON.stringify(db)} }, flags: { kind: 'embedded', file: ${JSON.stringify(flags)} } });
      let i = 0;
      (function burst() {
        for (let k = 0; k < 200; k++, i++) {
          const s = engine.submit({ userId: 'c' + (i % 50), text: 'Fact ' + (i % 2000) + ' on topic ' + (i % 7), id: 'crash-' + i });
          s.accepted.then(() => process.stdout.write(s.id + '\\n'));
        }
        if (i < 30000) setImmediate(burst);
      })();
    `);
    const p = spawn(process.execPath, [child], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    const t0 = Date.now();
    while (Date.now() - t0 < 20_000 && out.split('\n').length < 2000 && p.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    p.kill('SIGKILL');
    await new Promise((r) => p.once('exit', r));
    const seen = new Set(out.split('\n').filter((l) => l.startsWith('crash-')));
    expect(seen.size, err).toBeGreaterThan(500);

    const engine = await createEngine({ store: { kind: 'sqlite', path: db }, flags: { kind: 'embedded', file: flags }, logLevel: 'silent' });
    await engine.drain();
    const counts = new Map<string, number>();
    for (let u = 0; u < 50; u++) for (const e of await engine.events(`c${u}`)) counts.set(e.candidateId!, (counts.get(e.candidateId!) ?? 0) + 1);
    const lost = [...seen].filter((id) => !counts.has(id));
    expect(lost).toEqual([]);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    await engine.close();
  }, 120_000);
});
