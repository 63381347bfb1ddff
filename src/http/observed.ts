// What the HTTP layer reads from the engine's observability part when it is there (registry, alert
// state, logger), read structurally so this layer works with or without it.
import type { Engine } from '../engine.js';
import type { MetricsSource } from './opsRoutes.js';

/** An in-process alert (observability's AlertState), read defensively. */
export interface AlertLike { alertname?: string; name?: string; severity?: string; state?: string; firing?: boolean }

interface Observed {
  registry?: MetricsSource;
  alerts?: { states(): AlertLike[] };
  logger?: { info(obj: Record<string, unknown>, msg?: string): void; error(obj: Record<string, unknown>, msg?: string): void };
}

const observed = (engine: Engine) => engine as unknown as Observed;

export function engineRegistry(engine: Engine): MetricsSource | undefined {
  const r = observed(engine).registry;
  return r && typeof r.metrics === 'function' ? r : undefined;
}

/** Every alert with its state: the engine's evaluator, else an `alerts` list in engine.status(). */
export function alertStates(engine: Engine): AlertLike[] {
  const a = observed(engine).alerts;
  if (a && typeof a.states === 'function') return a.states();
  const fromStatus = (engine.status() as Record<string, unknown>).alerts;
  return Array.isArray(fromStatus) ? (fromStatus as AlertLike[]) : [];
}

export function firingAlerts(engine: Engine, severity?: string): AlertLike[] {
  return alertStates(engine).filter((a) => a && (a.firing === true || a.state === 'firing') && (!severity || a.severity === severity));
}

export const alertName = (a: AlertLike) => a.alertname ?? a.name ?? '?';

/** The engine's logger when it has one; structured lines on stdout otherwise. */
export function engineLog(engine: Engine): (line: Record<string, unknown>) => void {
  const logger = observed(engine).logger;
  if (logger && typeof logger.info === 'function') {
    return ({ msg, level, ...rest }) => (level === 'error' ? logger.error(rest, String(msg ?? '')) : logger.info(rest, String(msg ?? '')));
  }
  return (line) => process.stdout.write(`${JSON.stringify({ time: Date.now(), ...line })}\n`);
}
