// Embedded mode must evaluate exactly like Unleash: every `tests` case (isEnabled) and every `variantTests`
// case (getVariant) of @unleash/client-specification whose state is a client-features document, loaded as
// our flags file.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { createFlags } from '../../src/flags/index.js';
import { tempDir } from './helpers.js';

interface SpecCase { description: string; context?: Record<string, unknown>; toggleName: string; expectedResult: boolean }
interface VariantCase {
  description: string; context?: Record<string, unknown>; toggleName: string;
  expectedResult: { name: string; enabled: boolean; payload?: unknown; feature_enabled?: boolean };
}
interface Spec { state?: { features?: unknown }; tests?: SpecCase[]; variantTests?: VariantCase[] }

const specDir = join(dirname(createRequire(import.meta.url).resolve('@unleash/client-specification/package.json')), 'specifications');

it('passes the Unleash client specification, toggles and variants', async () => {
  const dir = tempDir();
  let passed = 0;
  let total = 0;
  let variants = 0;
  const misses: string[] = [];
  for (const f of readdirSync(specDir).filter((n) => /^\d+.*\.json$/.test(n)).sort()) {
    const spec = JSON.parse(readFileSync(join(specDir, f), 'utf8')) as Spec;
    if (!spec.state?.features || !(spec.tests?.length || spec.variantTests?.length)) continue;
    const file = join(dir, f);
    writeFileSync(file, JSON.stringify(spec.state));
    const flags = await createFlags({ kind: 'embedded', file, watch: false }, { env: {} });
    for (const t of spec.tests ?? []) {
      total++;
      const got = flags.isEnabled(t.toggleName, t.context ?? {});
      if (got === t.expectedResult) passed++;
      else misses.push(`${f} :: ${t.description} -> ${got}`);
    }
    for (const t of spec.variantTests ?? []) {
      total++;
      variants++;
      const got = flags.getVariant(t.toggleName, t.context ?? {});
      const e = t.expectedResult;
      const ok = got.name === e.name && got.enabled === e.enabled
        && (e.feature_enabled === undefined || got.feature_enabled === e.feature_enabled)
        && JSON.stringify(got.payload) === JSON.stringify(e.payload);
      if (ok) passed++;
      else misses.push(`${f} :: ${t.description} -> ${JSON.stringify(got)}`);
    }
    await flags.close();
  }
  console.log(`client specification: ${passed}/${total} passed (${variants} variant cases)${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`);
  expect(variants).toBe(52);
  expect(misses).toEqual([]);
  expect(passed).toBe(total);
});
