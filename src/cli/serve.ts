// `memdedup serve`: the engine on the embedded defaults behind the HTTP API. Env overrides the defaults.
import { createEngine } from '../engine.js';
import { SHIPPED_FLAGS_FILE } from '../flags/defaults.js';
import { createApp, listen } from '../http/server.js';
import type { EngineOptions } from '../options.js';
import { postgresStoreFromEnv } from './storeEnv.js';
import { loadServeConfig } from './serveConfig.js';
import { providersFromEnv } from './providerEnv.js';

/** How long SIGTERM waits for the engine to drain before leaving the rest in the journal. */
const DRAIN_ON_EXIT_MS = 20_000;

export function serveOptionsFromEnv(env: NodeJS.ProcessEnv): EngineOptions {
  const o: EngineOptions = {
    store: { kind: 'sqlite', path: env.MEMDEDUP_DB || './data/memdedup.db' },
    // No MEMDEDUP_FLAGS_FILE: the shipped flags, toggles written beside the database (see src/flags/defaults.ts).
    flags: env.MEMDEDUP_FLAGS_FILE ? { kind: 'embedded', file: env.MEMDEDUP_FLAGS_FILE } : { kind: 'embedded' },
  };
  if (env.DATABASE_URL) o.store = postgresStoreFromEnv(env.DATABASE_URL, env);
  if (env.UNLEASH_URL) {
    // Server mode: Unleash decides; the flags file is only the bootstrap used while Unleash is unreachable.
    o.flags = {
      kind: 'unleash', url: env.UNLEASH_URL, token: env.UNLEASH_API_TOKEN ?? '', appName: env.UNLEASH_APP_NAME || 'memdedup',
      refreshIntervalMs: env.UNLEASH_REFRESH_INTERVAL_MS ? Number(env.UNLEASH_REFRESH_INTERVAL_MS) : undefined,
      bootstrapFile: env.MEMDEDUP_FLAGS_FILE || SHIPPED_FLAGS_FILE,
    };
  }
  if (env.LOG_LEVEL) o.logLevel = env.LOG_LEVEL;
  Object.assign(o, providersFromEnv(env));
  return o;
}

export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { config, file } = loadServeConfig(env);
  // The config file's engine options apply; the environment wins where it says something.
  const fromEnv = serveOptionsFromEnv(env);
  const options: EngineOptions = { ...fromEnv, ...(config.engine as EngineOptions) };
  if (env.MEMDEDUP_DB || env.DATABASE_URL) options.store = fromEnv.store;
  if (env.MEMDEDUP_FLAGS_FILE || env.UNLEASH_URL) options.flags = fromEnv.flags;
  if (env.LOG_LEVEL) options.logLevel = fromEnv.logLevel;
  Object.assign(options, providersFromEnv(env));
  const engine = await createEngine(options);
  const host = env.HOST || '127.0.0.1';
  const port = Number(env.PORT || 8080);
  const app = createApp(engine, { token: env.MEMDEDUP_API_TOKEN || undefined, protectOps: config.protectOps, diagnostics: config.diagnostics });
  const srv = await listen(app, host, port);
  process.stdout.write(`memdedup serving on ${srv.url} (config ${file ?? 'defaults'}, diagnostics ${config.diagnostics ? 'on' : 'off'}, auth ${env.MEMDEDUP_API_TOKEN ? 'on' : 'off'})\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`memdedup: ${signal}, draining\n`);
    const closed = srv.close();
    const drained = await engine.drain(DRAIN_ON_EXIT_MS);
    await engine.close();
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2000).unref())]);
    process.stdout.write(`memdedup: stopped (${drained ? 'drained' : 'rest left in the journal'})\n`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
