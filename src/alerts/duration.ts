// Prometheus durations ("90s", "5m", "1h30m") to milliseconds, so one string serves both renderings.
import { invalidInput } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
const PART = /(\d+)(ms|s|m|h|d|w|y)/g;

export function parseDuration(field: string, v: unknown): number {
  if (typeof v !== 'string' || !/^(\d+(ms|s|m|h|d|w|y))+$/.test(v)) {
    throw invalidInput(field, 'must be a Prometheus duration such as 30s, 5m or 1h');
  }
  let ms = 0;
  for (const [, n, unit] of v.matchAll(PART)) ms += Number(n) * UNITS[unit!]!;
  return ms;
}
