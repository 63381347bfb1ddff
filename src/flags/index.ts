// Feature flags for memdedup: one evaluator (unleash-client) in two modes.
//
//   embedded  the flags file (Unleash client-features format) is the source of truth; watched,
//             reloaded, editable through `set`; the seed's environment variables override it.
//   unleash   an Unleash server is, polled every refreshIntervalMs; the bootstrap file answers
//             while it is unreachable; `set` is refused (FLAGS_READ_ONLY).
//
// A flag missing from the definitions answers `fallback ?? FLAG_DEFAULTS.get(name) ?? false`, so the
// seed's five flags stay on and any other name is off.
import { invalidInput } from '../errors.js';
import type { FlagsOptions } from '../options.js';
import { type DefaultFlagsFiles, SHIPPED_FLAGS_FILE } from './defaults.js';
import { EmbeddedFlags } from './embedded.js';
import { readEnvOverrides } from './env-overrides.js';
import { createServerFlags } from './server.js';
import type { Flags } from './types.js';

/** @default appName 'memdedup', refreshIntervalMs 15 000 (unleash-client's), timeoutMs 5 000, watch true */
export const DEFAULT_FLAGS_OPTIONS = Object.freeze({ appName: 'memdedup', refreshIntervalMs: 15_000, timeoutMs: 5_000, watch: true });

export interface CreateFlagsDeps {
  /** Where the seed's variables are read, once. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Embedded mode without `file`: what to read and where `set` writes. @default the shipped file, toggles in memory */
  defaults?: DefaultFlagsFiles;
}

/**
 * Embedded: resolves once the file is loaded, and rejects with INVALID_INPUT if it is missing or
 * invalid, or if a seed environment variable is malformed. Server: resolves once synchronized with
 * Unleash, or after `timeoutMs` on the bootstrap (then `synchronized` is false until a fetch works).
 */
export async function createFlags(options: FlagsOptions, deps: CreateFlagsDeps = {}): Promise<Flags> {
  if (options === null || typeof options !== 'object') throw invalidInput('flags', 'must be an object');
  if (options.kind === 'embedded') {
    if (options.file !== undefined) nonEmptyString('flags.file', options.file);
    if (options.watch !== undefined && typeof options.watch !== 'boolean') throw invalidInput('flags.watch', 'must be a boolean');
    const overrides = readEnvOverrides(deps.env ?? process.env);
    const watch = options.watch ?? DEFAULT_FLAGS_OPTIONS.watch;
    if (options.file !== undefined) return new EmbeddedFlags(options.file, overrides, watch).open();
    const files = deps.defaults ?? { read: SHIPPED_FLAGS_FILE, write: undefined };
    return new EmbeddedFlags(files.read, overrides, watch, files.write ?? null).open();
  }
  if (options.kind === 'unleash') {
    nonEmptyString('flags.url', options.url);
    if (!URL.canParse(options.url) || !/^https?:$/.test(new URL(options.url).protocol)) throw invalidInput('flags.url', 'must be an http(s) URL');
    nonEmptyString('flags.token', options.token);
    if (options.appName !== undefined) nonEmptyString('flags.appName', options.appName);
    if (options.bootstrapFile !== undefined) nonEmptyString('flags.bootstrapFile', options.bootstrapFile);
    return createServerFlags({
      url: options.url,
      token: options.token,
      appName: options.appName ?? DEFAULT_FLAGS_OPTIONS.appName,
      refreshIntervalMs: positiveInt('flags.refreshIntervalMs', options.refreshIntervalMs, DEFAULT_FLAGS_OPTIONS.refreshIntervalMs),
      bootstrapFile: options.bootstrapFile,
      timeoutMs: positiveInt('flags.timeoutMs', options.timeoutMs, DEFAULT_FLAGS_OPTIONS.timeoutMs),
    });
  }
  throw invalidInput('flags.kind', "must be 'embedded' or 'unleash'");
}

function nonEmptyString(field: string, v: unknown): void {
  if (typeof v !== 'string' || v === '') throw invalidInput(field, 'must be a non-empty string');
}

function positiveInt(field: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw invalidInput(field, 'must be a positive integer');
  return v;
}

export { defaultFlagsFiles, flagsFileBesideStore, SHIPPED_FLAGS_FILE } from './defaults.js';
export type { DefaultFlagsFiles } from './defaults.js';
export { ENV_OVERRIDES } from './env-overrides.js';
export { FLAG_DEFAULTS, FLAG_NAMES } from './types.js';
export type { FlagChange, FlagContext, FlagName, Flags, FlagsEventMap, FlagSummary } from './types.js';
export type { FlagsOptions } from '../options.js';
