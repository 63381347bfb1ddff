// Flag definitions held in memory and evaluated by unleash-client's own evaluator, with the fallback rule:
// what the embedded flags (the file) and a worker's replica flags (the host's definitions) both are.
import { summarize } from './definitions.js';
import { fallbackFor, fallbackVariant, toFlagVariant } from './emitter.js';
import { MemoryRepository } from './memory-repository.js';
import { type Context, defaultStrategies, UnleashClient } from './sdk.js';
import type { FallbackVariant, FlagContext, FlagSummary, FlagVariant } from './types.js';

/** Never called: isEnabled answers missing flags itself, before asking the evaluator. */
const UNREACHABLE_FALLBACK = (): boolean => false;

export class DefinitionsEvaluator {
  readonly repository = new MemoryRepository();
  private readonly client = new UnleashClient(this.repository, defaultStrategies);

  constructor(onWarn: (e: unknown) => void) {
    // unleash-client reports malformed definitions by emitting 'error', which would throw without a listener.
    this.client.on('error', onWarn);
    this.client.on('warn', onWarn);
  }

  /** Never throws; a flag missing from the definitions answers its fallback. */
  isEnabled(name: string, context?: FlagContext, fallback?: boolean): boolean {
    try {
      if (this.repository.getToggle(name) === undefined) return fallbackFor(name, fallback);
      return this.client.isEnabled(name, (context ?? {}) as Context, UNREACHABLE_FALLBACK);
    } catch {
      return fallbackFor(name, fallback);
    }
  }

  /** Never throws. */
  getVariant(name: string, context?: FlagContext, fallback?: FallbackVariant): FlagVariant {
    try {
      return toFlagVariant(this.client.getVariant(name, (context ?? {}) as Context, fallback as Parameters<UnleashClient['getVariant']>[2]));
    } catch {
      return fallbackVariant(fallback);
    }
  }

  list(): FlagSummary[] {
    return this.repository.getToggles().map(summarize);
  }
}
