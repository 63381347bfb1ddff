// One catalogue of stable error codes (fastify's lib/errors.js is the model).

export const ERROR_CODES = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  FLAGS_READ_ONLY: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  /** The store refused a candidate that passed validation (one bad row, isolated by the group commit). */
  STORE_REJECTED: 422,
  OVERLOADED: 503,
  CLOSED: 503,
  STORE_UNAVAILABLE: 503,
  /** The worker thread deciding this user is restarting, or the engine stopped deciding after repeated crashes. */
  WORKER_UNAVAILABLE: 503,
  VERSION_CONFLICT: 409,
  PROVIDER_ERROR: 502,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class MemdedupError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MemdedupError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.details = details;
  }
}

export function isMemdedupError(e: unknown, code?: ErrorCode): e is MemdedupError {
  return e instanceof MemdedupError && (code === undefined || e.code === code);
}

/** Normalise anything thrown into an Error once, so callers never handle `unknown`. */
export function coerceError(e: unknown): Error & { code?: string } {
  if (e instanceof Error) return e as Error & { code?: string };
  return new Error(typeof e === 'string' ? e : JSON.stringify(e));
}

export function invalidInput(field: string, problem: string): MemdedupError {
  return new MemdedupError('INVALID_INPUT', `${field} ${problem}`, [{ field, problem }]);
}
