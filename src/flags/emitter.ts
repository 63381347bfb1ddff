// What both modes share: the fallback rule and events that a throwing listener cannot break.
import { EventEmitter } from 'node:events';
import { coerceError } from '../errors.js';
import { FLAG_DEFAULTS, type FallbackVariant, type FlagsEventMap, type FlagVariant } from './types.js';

export function fallbackFor(name: string, fallback: boolean | undefined): boolean {
  return fallback ?? FLAG_DEFAULTS.get(name) ?? false;
}

/** Unleash's default variant. */
export const DISABLED_VARIANT: Readonly<FallbackVariant> = Object.freeze({ name: 'disabled', enabled: false });

/** The fallback variant as an answer: a copy, so a caller mutating it cannot change the next one. */
export function fallbackVariant(fallback: FallbackVariant | undefined, featureEnabled = false): FlagVariant {
  const f = fallback ?? DISABLED_VARIANT;
  return { ...f, feature_enabled: featureEnabled, featureEnabled };
}

/** unleash-client's answer in our shape: both spellings present whatever its version gives. */
export function toFlagVariant(v: { name: string; enabled: boolean; payload?: unknown; feature_enabled?: boolean; featureEnabled?: boolean }): FlagVariant {
  const fe = Boolean(v.feature_enabled ?? v.featureEnabled);
  const out: FlagVariant = { name: v.name, enabled: v.enabled, feature_enabled: fe, featureEnabled: fe };
  if (v.payload !== undefined) out.payload = v.payload as FlagVariant['payload'];
  return out;
}

export class FlagsEmitter extends EventEmitter<FlagsEventMap> {
  protected warn(e: unknown): void {
    this.safeEmit('warn', coerceError(e));
  }

  protected changed(): void {
    this.safeEmit('changed');
  }

  private safeEmit<E extends keyof FlagsEventMap>(event: E, ...args: FlagsEventMap[E]): void {
    try {
      (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
    } catch {
      // a logging listener that throws must not break a reload or a fetch
    }
  }
}
