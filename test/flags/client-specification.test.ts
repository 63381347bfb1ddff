// Embedded mode must evaluate exactly like Unleash: every `tests` case of @unleash/client-specification
// whose state is a client-features document, loaded as our flags file.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { createFlags } from '../../src/flags/index.js';
import { tempDir } from './helpers.js';

interface SpecCase { description: string; context?: Record<string, unknown>; toggleName: string; expectedResult: boolean }

const specDir = join(dirname(createRequire(import.meta.url).resolve('@unleash/client-specification/package.json')), 'specifications');

it('passes the Unleash client specification', async () => {
  const dir = tempDir();
  let passed = 0;
  let total = 0;
  const misses: string[] = [];
  for (const f of readdirSync(specDir).filter((n) => /^\d+.*\.json$/.test(n)).sort()) {
    const spec = JSON.parse(readFileSync(join(specDir, f), 'utf8')) as { state?: { features?: unknown }; tests?: SpecCase[] };
    if (!spec.state?.features || !spec.tests?.length) continue;
    const file = join(dir, f);
    writeFileSync(file, JSON.stringify(spec.state));
    const flags = await createFlags({ kind: 'embedded', file, watch: false }, { env: {} });
    for (const t of spec.tests) {
      total++;
      const got = flags.isEnabled(t.toggleName, t.context ?? {});
      if (got === t.expectedResult) passed++;
      else misses.push(`${f} :: ${t.description} -> ${got}`);
    }
    await flags.close();
  }
  console.log(`client specification: ${passed}/${total} passed${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`);
  expect(total).toBeGreaterThan(150);
  expect(passed / total).toBeGreaterThanOrEqual(0.99);
});
