// The flags a worker thread evaluates: the host's definitions, pushed on every change (src/worker/pool.ts).
// One flags client per engine: the host polls Unleash or watches the file; a replica only evaluates, with the
// same unleash-client evaluator and the same fallback rule, so a user gets the same answer in every thread.
import { MemdedupError } from '../errors.js';
import { summarize } from './definitions.js';
import { FlagsEmitter, fallbackFor, fallbackVariant, toFlagVariant } from './emitter.js';
import { MemoryRepository } from './memory-repository.js';
import { type Context, defaultStrategies, type FeatureInterface, type Segment, UnleashClient } from './sdk.js';
import type { FallbackVariant, FlagChange, FlagContext, FlagDefinitions, Flags, FlagSummary, FlagVariant } from './types.js';

/** Never called: isEnabled answers missing flags itself, before asking the evaluator. */
const UNREACHABLE_FALLBACK = (): boolean => false;

export class ReplicaFlags extends FlagsEmitter implements Flags {
  private readonly repository = new MemoryRepository();
  private readonly client = new UnleashClient(this.repository, defaultStrategies);
  private state: FlagDefinitions;

  constructor(initial: FlagDefinitions) {
    super();
    this.state = initial;
    this.replace(initial);
  }

  get mode(): Flags['mode'] { return this.state.mode; }
  get source(): string { return this.state.source; }
  get synchronized(): boolean { return this.state.synchronized; }

  /** Swaps the definitions whole: an evaluation never sees half of an update. */
  replace(d: FlagDefinitions): void {
    this.state = d;
    this.repository.replace(d.features as FeatureInterface[], d.segments as Segment[]);
    this.changed();
  }

  isEnabled(name: string, context?: FlagContext, fallback?: boolean): boolean {
    try {
      if (this.repository.getToggle(name) === undefined) return fallbackFor(name, fallback);
      return this.client.isEnabled(name, (context ?? {}) as Context, UNREACHABLE_FALLBACK);
    } catch {
      return fallbackFor(name, fallback);
    }
  }

  getVariant(name: string, context?: FlagContext, fallback?: FallbackVariant): FlagVariant {
    try {
      if (this.repository.getToggle(name) === undefined) return fallbackVariant(fallback);
      return toFlagVariant(this.client.getVariant(name, (context ?? {}) as Context, fallback as Parameters<UnleashClient['getVariant']>[2]));
    } catch {
      return fallbackVariant(fallback);
    }
  }

  list(): FlagSummary[] {
    return this.repository.getToggles().map(summarize);
  }

  definitions(): FlagDefinitions {
    return this.state;
  }

  async set(name: string, _change: FlagChange): Promise<FlagSummary> {
    throw new MemdedupError('FLAGS_READ_ONLY', `flag ${name}: a worker's flags are the engine's; set them on the engine`);
  }

  async close(): Promise<void> { /* nothing to stop: the host owns the source */ }
}
