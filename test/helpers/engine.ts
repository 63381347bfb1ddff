// Test helpers: real engines on real SQLite files (or :memory:), with a flags file the test writes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type EngineInternals } from '../../src/engine.js';
import type { EngineOptions } from '../../src/options.js';

export const SEED_FLAGS = ['memory.enabled', 'memory.realtime-dedup', 'memory.enhanced-prompts', 'memory.batch-processing', 'memory.circuit-breakers'];

export function tempDir(prefix = 'memdedup-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a client-features flags file: every seed flag on at 100% unless overridden. */
export function writeFlagsFile(dir: string, overrides: Record<string, unknown> = {}): string {
  const file = join(dir, 'flags.json');
  const features = SEED_FLAGS.map((name) => overrides[name] ?? { name, enabled: true, strategies: [{ name: 'default', parameters: {} }] });
  writeFileSync(file, JSON.stringify({ version: 1, features }, null, 2));
  return file;
}

export async function testEngine(o: EngineOptions & { dir?: string; file?: boolean } = {}, internals?: EngineInternals): Promise<{ engine: Engine; dir: string; dbPath: string; flagsFile: string }> {
  const dir = o.dir ?? tempDir();
  const flagsFile = writeFlagsFile(dir);
  const dbPath = o.file === false ? ':memory:' : join(dir, 'test.db');
  const { dir: _d, file: _f, ...rest } = o;
  // Batch log lines at 'info' would flood the test output; tests that read logs pass their own logger.
  const engine = await Engine.create({ store: { kind: 'sqlite', path: dbPath }, flags: { kind: 'embedded', file: flagsFile }, logLevel: 'silent', ...rest }, internals);
  return { engine, dir, dbPath, flagsFile };
}
