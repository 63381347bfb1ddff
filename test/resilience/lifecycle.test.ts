// Lifecycle: close() is idempotent, a throwing listener cannot stop processing, the engine's timers do not
// keep the process alive, and drain() decides everything accepted.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testEngine, tempDir, writeFlagsFile } from '../helpers/engine.js';

describe('lifecycle', () => {
  it('survives throwing listeners, drains, and closes idempotently', async () => {
    const { engine } = await testEngine({ file: false });
    for (const name of ['decided', 'batch', 'submitted', 'breaker', 'fallback', 'retry'] as const) {
      engine.emitter.on(name, () => { throw new Error(`listener of ${name} is broken`); });
    }
    const subs = Array.from({ length: 50 }, (_, i) => engine.submit({ userId: `l${i % 5}`, text: `Fact about topic ${i}` }));
    expect(await engine.drain(10_000)).toBe(true);
    const ds = await Promise.all(subs.map((s) => s.decided));
    expect(ds.every((d) => d.action === 'added' || d.action === 'superseded')).toBe(true);
    const a = engine.close();
    expect(engine.close()).toBe(a);
    await a;
    expect(engine.status().closed).toBe(true);
  });

  it('lets the host process exit without close(): every engine timer is unref\'d', async () => {
    const dir = tempDir();
    const script = join(dir, 'exit.mjs');
    writeFileSync(script, `
      const { createEngine } = await import(${JSON.stringify(pathToFileURL(resolve('dist/index.js')).href)});
      const engine = await createEngine({ store: { kind: 'sqlite', path: ${JSON.stringify(join(dir, 'x.db'))} },
        flags: { kind: 'embedded', file: ${JSON.stringify(writeFlagsFile(dir))} } });
      await engine.submit({ userId: 'x', text: 'Has a timer' }).decided;
      console.log('decided');
    `);
    const code = await new Promise((r) => {
      const p = spawn(process.execPath, [script], { stdio: 'ignore' });
      const t = setTimeout(() => { p.kill('SIGKILL'); r('hung'); }, 15_000);
      p.on('exit', (c) => { clearTimeout(t); r(c); });
    });
    expect(code).toBe(0);
  });
});
