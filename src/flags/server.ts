// Server mode: unleash-client polls an Unleash server; the bootstrap file answers until it does.
//
// States: starting -> ready (bootstrap loaded, or first fetch) -> synchronized (a fetch succeeded).
// Before ready every flag answers its fallback; `ready` is unleash-client's own event, which comes a
// couple of ticks after the data, and until it does unleash-client itself answers fallbacks.
// Its `synchronized` event also fires for the bootstrap, so we tell the two apart ourselves: the
// bootstrap is applied in the microtasks right after start(), before any fetch can have returned, so
// with a non-empty bootstrap the first 'changed' is the bootstrap and every later one the server's.
import { readFile } from 'node:fs/promises';
import { invalidInput, MemdedupError } from '../errors.js';
import { type Definitions, parseDefinitions, summarize } from './definitions.js';
import { FlagsEmitter, fallbackFor, fallbackVariant, toFlagVariant } from './emitter.js';
import { type Context, InMemStorageProvider, Unleash } from './sdk.js';
import type { FallbackVariant, FlagChange, FlagContext, FlagDefinitions, Flags, FlagSummary, FlagVariant } from './types.js';

export interface ServerFlagsOptions {
  url: string;
  token: string;
  appName: string;
  refreshIntervalMs: number;
  bootstrapFile: string | undefined;
  timeoutMs: number;
}

export class ServerFlags extends FlagsEmitter implements Flags {
  readonly mode = 'unleash' as const;
  readonly source: string;
  private readonly unleash: Unleash;
  private ready = false;
  private _synchronized = false;
  private bootstrapChanges: number;
  private onSynchronized: (() => void) | undefined;
  private closed = false;

  constructor(o: ServerFlagsOptions, bootstrap: Definitions | undefined) {
    super();
    this.source = o.url;
    this.bootstrapChanges = bootstrap && bootstrap.features.length > 0 ? 1 : 0;
    this.unleash = new Unleash({
      url: o.url,
      appName: o.appName,
      customHeaders: { Authorization: o.token },
      refreshInterval: o.refreshIntervalMs,
      disableMetrics: true,
      disableAutoStart: true,
      // Engines and tests may each hold a client; the count warning is meant for accidental re-inits.
      skipInstanceCountWarning: true,
      // The default file backup in os.tmpdir() is shared by every process with the same appName;
      // the bootstrap file is our documented fallback instead.
      storageProvider: new InMemStorageProvider(),
      ...(bootstrap ? { bootstrap: { data: bootstrap.features, segments: bootstrap.segments } } : {}),
    });
    // Attached before start: an unreachable server must never surface as an unhandled 'error'.
    this.unleash.on('error', (e: unknown) => this.warn(e));
    this.unleash.on('warn', (msg: unknown) => this.warn(msg));
    this.unleash.on('ready', () => {
      this.ready = true;
      this.settle();
    });
    this.unleash.on('changed', () => {
      if (this.bootstrapChanges > 0) this.bootstrapChanges--;
      else this.markSynchronized();
      this.changed();
    });
    this.unleash.on('unchanged', () => this.markSynchronized());
  }

  get synchronized(): boolean {
    return this._synchronized && this.ready;
  }

  /** Resolves once synchronized, or after timeoutMs on whatever the bootstrap gave. */
  async open(timeoutMs: number): Promise<this> {
    const synced = new Promise<void>((resolve) => { this.onSynchronized = resolve; });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    this.unleash.start().catch((e: unknown) => this.warn(e));
    await Promise.race([synced, timeout]);
    clearTimeout(timer);
    return this;
  }

  isEnabled(name: string, context?: FlagContext, fallback?: boolean): boolean {
    try {
      if (!this.ready || this.unleash.getFeatureToggleDefinition(name) === undefined) return fallbackFor(name, fallback);
      return this.unleash.isEnabled(name, context as Context | undefined, false);
    } catch {
      return fallbackFor(name, fallback);
    }
  }

  getVariant(name: string, context?: FlagContext, fallback?: FallbackVariant): FlagVariant {
    try {
      // Before the first definitions unleash-client would warn on every call; the answer is the fallback either way.
      if (!this.ready) return fallbackVariant(fallback);
      return toFlagVariant(this.unleash.getVariant(name, context as Context | undefined, fallback as Parameters<Unleash['getVariant']>[2]));
    } catch {
      return fallbackVariant(fallback);
    }
  }

  list(): FlagSummary[] {
    return (this.unleash.getFeatureToggleDefinitions() ?? []).map(summarize);
  }

  definitions(): FlagDefinitions {
    // Before the first definitions every flag answers its fallback here; a replica with none does the same.
    const features = this.ready ? (this.unleash.getFeatureToggleDefinitions() ?? []) : [];
    // unleash-client keeps segments on its repository only (no public getter); strategies name them by id.
    const repo = (this.unleash as unknown as { repository?: { segments?: Map<number, unknown> } }).repository;
    const segments = repo?.segments instanceof Map ? [...repo.segments.values()] : [];
    return { features, segments, synchronized: this.synchronized, source: this.source, mode: this.mode };
  }

  async set(name: string, _change: FlagChange): Promise<FlagSummary> {
    throw new MemdedupError('FLAGS_READ_ONLY', `flags come from Unleash at ${this.source}: toggle the flag ${name} in Unleash`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onSynchronized?.();
    this.unleash.destroy();
  }

  private markSynchronized(): void {
    this._synchronized = true;
    this.settle();
  }

  private settle(): void {
    if (this.synchronized) this.onSynchronized?.();
  }
}

export async function createServerFlags(o: ServerFlagsOptions): Promise<ServerFlags> {
  let bootstrap: Definitions | undefined;
  if (o.bootstrapFile !== undefined) {
    try {
      bootstrap = parseDefinitions(await readFile(o.bootstrapFile, 'utf8'));
    } catch (e) {
      throw invalidInput('flags.bootstrapFile', `${o.bootstrapFile} is not a readable flags file: ${(e as Error).message}`);
    }
  }
  return new ServerFlags(o, bootstrap).open(o.timeoutMs);
}
