// Embedded mode: no server. The flags file is the source of truth, unleash-client's evaluator reads it
// from memory, and the file is watched so an edit (by hand or through `set`) applies without restart.
//
// Reloads and `set` run one at a time on a promise chain, so a `set` never writes over a concurrent
// one and a reload never applies an older file after a newer one.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { invalidInput, MemdedupError } from '../errors.js';
import { applyChange, type Definitions, newFeature, parseDefinitions, serializeDefinitions, summarize } from './definitions.js';
import { FlagsEmitter } from './emitter.js';
import { applyOverrides, type Override } from './env-overrides.js';
import { watchFile, writeFileAtomic } from './flags-file.js';
import { DefinitionsEvaluator } from './evaluator.js';
import type { MemoryRepository } from './memory-repository.js';
import { FLAG_DEFAULTS, type FallbackVariant, type FlagChange, type FlagContext, type FlagDefinitions, type Flags, type FlagSummary, type FlagVariant } from './types.js';

export class EmbeddedFlags extends FlagsEmitter implements Flags {
  readonly mode = 'embedded' as const;
  /** The file the definitions were last read from (the write target once `set` has written it). */
  private file: string;
  /** Where `set` writes: the file itself, another path (shipped defaults), or undefined (memory only). */
  private readonly writeTo: string | undefined;
  private readonly evaluator = new DefinitionsEvaluator((e) => this.warn(e));
  private get repository(): MemoryRepository { return this.evaluator.repository; }
  private readonly overrides: readonly Override[];
  private readonly watch: boolean;
  private defs: Definitions = { doc: {}, features: [], segments: [] };
  /** Text of the last good load: an unchanged file is not re-parsed, and a bad one not applied. */
  private lastText: string | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private reloadQueued = false;
  private stopWatch: (() => void) | undefined;
  private closed = false;
  private _synchronized = false;

  /** `writeTo`: where `set` writes; the file itself when not given, `null` for memory only. */
  constructor(file: string, overrides: readonly Override[], watch: boolean, writeTo: string | null = file) {
    super();
    this.file = file;
    this.writeTo = writeTo ?? undefined;
    this.overrides = overrides;
    this.watch = watch;
  }

  get source(): string {
    return this.file;
  }

  get synchronized(): boolean {
    return this._synchronized;
  }

  /** Rejects with INVALID_INPUT when the file is missing or invalid: there is no last good state yet. */
  async open(): Promise<this> {
    // Watch before the first read, so an edit landing in between is not missed.
    // The shipped defaults are not watched: only a file the host owns changes under a running engine.
    if (this.watch && this.file === this.writeTo) this.stopWatch = watchFile(this.file, () => void this.reload());
    try {
      await this.serial(async () => {
        let text: string;
        try {
          text = await readFile(this.source, 'utf8');
        } catch (e) {
          throw invalidInput('flags.file', `${this.source} cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`);
        }
        try {
          this.apply(parseDefinitions(text), text);
        } catch (e) {
          throw invalidInput('flags.file', `${this.source} is not a valid flags file: ${(e as Error).message}`);
        }
      });
    } catch (e) {
      await this.close();
      throw e;
    }
    this._synchronized = true;
    return this;
  }

  isEnabled(name: string, context?: FlagContext, fallback?: boolean): boolean {
    return this.evaluator.isEnabled(name, context, fallback);
  }

  getVariant(name: string, context?: FlagContext, fallback?: FallbackVariant): FlagVariant {
    return this.evaluator.getVariant(name, context, fallback);
  }

  list(): FlagSummary[] {
    return this.evaluator.list();
  }

  definitions(): FlagDefinitions {
    return { features: this.repository.getToggles(), segments: this.repository.getSegments(), synchronized: this.synchronized, source: this.source, mode: this.mode };
  }

  set(name: string, change: FlagChange): Promise<FlagSummary> {
    return this.serial(async () => {
      if (this.closed) throw new MemdedupError('CLOSED', 'flags are closed');
      validateChange(name, change);
      // Start from the file as it is now, so a hand edit made since the last reload is kept.
      let base = this.defs;
      const current = this.writeTo === undefined ? undefined : await readFile(this.writeTo, 'utf8').catch(() => undefined);
      if (current !== undefined) {
        try { base = parseDefinitions(current); } catch { /* keep editing the last good state */ }
      }
      const i = base.features.findIndex((f) => f.name === name);
      if (i < 0 && !FLAG_DEFAULTS.has(name)) throw new MemdedupError('NOT_FOUND', `flag ${name} is not defined in ${this.source}`);
      const features = base.features.slice();
      const next = applyChange(i >= 0 ? features[i]! : newFeature(name), change);
      if (i >= 0) features[i] = next;
      else features.push(next);
      const defs = { ...base, features };
      const text = serializeDefinitions(defs);
      if (this.writeTo !== undefined) {
        await mkdir(dirname(this.writeTo), { recursive: true });
        await writeFileAtomic(this.writeTo, text);
        this.follow(this.writeTo);
      }
      this.apply(defs, text);
      return summarize(this.repository.getToggle(name) ?? next);
    });
  }

  /** After the first write beside the database, that file is the one watched and reloaded. */
  private follow(file: string): void {
    if (file === this.file) return;
    this.file = file;
    if (this.watch && !this.closed) {
      this.stopWatch?.();
      this.stopWatch = watchFile(file, () => void this.reload());
    }
  }

  close(): Promise<void> {
    this.closed = true;
    this.stopWatch?.();
    this.stopWatch = undefined;
    return this.chain.then(() => undefined);
  }

  /** Coalesces: while one reload waits its turn, more change events add nothing. */
  private reload(): Promise<void> {
    if (this.reloadQueued || this.closed) return Promise.resolve();
    this.reloadQueued = true;
    return this.serial(async () => {
      this.reloadQueued = false;
      if (this.closed) return;
      let text: string;
      try {
        text = await readFile(this.source, 'utf8');
      } catch (e) {
        this.warn(new Error(`flags file ${this.source} cannot be read, keeping the last good state: ${(e as Error).message}`));
        return;
      }
      if (text === this.lastText) return;
      try {
        this.apply(parseDefinitions(text), text);
      } catch (e) {
        this.warn(new Error(`flags file ${this.source} ignored, keeping the last good state: ${(e as Error).message}`));
      }
    });
  }

  private apply(defs: Definitions, text: string): void {
    this.defs = defs;
    this.lastText = text;
    this.repository.replace(applyOverrides(defs.features, this.overrides), defs.segments);
    this.changed();
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function validateChange(name: string, change: FlagChange): void {
  if (typeof name !== 'string' || name === '') throw invalidInput('name', 'must be a non-empty string');
  if (change === null || typeof change !== 'object') throw invalidInput('change', 'must be an object {enabled?, rollout?}');
  const { enabled, rollout } = change;
  if (enabled !== undefined && typeof enabled !== 'boolean') throw invalidInput('enabled', 'must be true or false');
  if (rollout !== undefined && !(Number.isInteger(rollout) && rollout >= 0 && rollout <= 100)) {
    throw invalidInput('rollout', 'must be an integer from 0 to 100');
  }
  if (enabled === undefined && rollout === undefined) throw invalidInput('change', 'must set enabled or rollout');
}
