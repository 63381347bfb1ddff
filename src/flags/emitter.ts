// What both modes share: the fallback rule and events that a throwing listener cannot break.
import { EventEmitter } from 'node:events';
import { coerceError } from '../errors.js';
import { FLAG_DEFAULTS, type FlagsEventMap } from './types.js';

export function fallbackFor(name: string, fallback: boolean | undefined): boolean {
  return fallback ?? FLAG_DEFAULTS.get(name) ?? false;
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
