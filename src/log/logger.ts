// Structured logs (pino). The host may hand in its own logger; otherwise one is made at options.logLevel.
import { pino, type Logger } from 'pino';
import { invalidInput } from '../errors.js';

export type { Logger };

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function checkLogLevel(level: unknown): void {
  if (typeof level !== 'string' || !LEVELS.includes(level)) throw invalidInput('options.logLevel', `must be one of ${LEVELS.join(', ')}`);
}

export function createLogger(level: string, given?: Logger): Logger {
  if (given) return given.child({ component: 'memdedup' });
  checkLogLevel(level);
  // stderr, not stdout: the engine lives inside someone else's process, whose stdout is its own output.
  return pino({ name: 'memdedup', level }, pino.destination({ dest: 2, sync: false }));
}
