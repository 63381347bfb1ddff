// How `memdedup serve` finds its configuration file, and what the file may hold.
//
//   MEMDEDUP_CONFIG=path      that file;
//   else NODE_ENV=production  config/production.json (diagnostics off);
//   else                      no file: the defaults below.
// Environment variables still win over the file for HOST, PORT, MEMDEDUP_DB, MEMDEDUP_FLAGS_FILE,
// MEMDEDUP_API_TOKEN and MEMDEDUP_DIAGNOSTICS (0/1).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { MemdedupError } from '../errors.js';

export const ServeConfig = z.object({
  /** The seed's diagnostic endpoints under /api/memory. */
  diagnostics: z.boolean().default(true),
  /** Require the API token on /metrics, /healthz and /readyz too. */
  protectOps: z.boolean().default(false),
  /** Engine options (see README.md, "Options"); validated by the engine. */
  engine: z.record(z.string(), z.unknown()).default({}),
}).strict();

export type ServeConfig = z.output<typeof ServeConfig>;

/** The package's own config/ folder (dist/cli/ -> ../../config). */
export const PACKAGE_CONFIG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'config');

export function configPath(env: NodeJS.ProcessEnv): string | undefined {
  if (env.MEMDEDUP_CONFIG) return resolve(env.MEMDEDUP_CONFIG);
  if (env.NODE_ENV === 'production') return join(PACKAGE_CONFIG_DIR, 'production.json');
  return undefined;
}

export function loadServeConfig(env: NodeJS.ProcessEnv): { config: ServeConfig; file: string | undefined } {
  const file = configPath(env);
  let raw: unknown = {};
  if (file) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new MemdedupError('INVALID_INPUT', `config file ${file} cannot be read as JSON: ${(e as Error).message}`);
    }
  }
  const r = ServeConfig.safeParse(raw);
  if (!r.success) {
    throw new MemdedupError('INVALID_INPUT', `config file ${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  }
  const config = r.data;
  if (env.MEMDEDUP_DIAGNOSTICS === '0' || env.MEMDEDUP_DIAGNOSTICS === 'false') config.diagnostics = false;
  if (env.MEMDEDUP_DIAGNOSTICS === '1' || env.MEMDEDUP_DIAGNOSTICS === 'true') config.diagnostics = true;
  return { config, file };
}
