// The flags a worker thread evaluates: the host's definitions, pushed on every change (src/worker/pool.ts).
// One flags client per engine: the host polls Unleash or watches the file; a replica only evaluates, with the
// same unleash-client evaluator and the same fallback rule, so a user gets the same answer in every thread.
import { MemdedupError } from '../errors.js';
import { FlagsEmitter } from './emitter.js';
import { DefinitionsEvaluator } from './evaluator.js';
import type { FeatureInterface, Segment } from './sdk.js';
import type { FallbackVariant, FlagChange, FlagContext, FlagDefinitions, Flags, FlagSummary, FlagVariant } from './types.js';

export class ReplicaFlags extends FlagsEmitter implements Flags {
  private readonly evaluator = new DefinitionsEvaluator((e) => this.warn(e));
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
    this.evaluator.repository.replace(d.features as FeatureInterface[], d.segments as Segment[]);
    this.changed();
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
    return this.state;
  }

  async set(name: string, _change: FlagChange): Promise<FlagSummary> {
    throw new MemdedupError('FLAGS_READ_ONLY', `flag ${name}: a worker's flags are the engine's; set them on the engine`);
  }

  async close(): Promise<void> { /* nothing to stop: the host owns the source */ }
}
