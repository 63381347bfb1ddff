// Everything the host and a worker thread say to each other: the one place that defines the messages.
// Messages are structured-cloned; nothing here holds a function, a class instance or a stream.
import type { CoreStatus } from '../core/core.js';
import { ERROR_CODES, MemdedupError, type ErrorCode } from '../errors.js';
import type { FlagDefinitions } from '../flags/types.js';
import type { ResolvedOptions } from '../options.js';
import type { SweepOptions } from '../resilience/sweeper.js';
import type { Candidate, Decision } from '../types.js';

/** What a worker starts with (workerData). */
export interface WorkerInit {
  /** Resolved options without `logger` and `registry` (the host's; they stay on the host). */
  options: Omit<ResolvedOptions, 'logger' | 'registry'>;
  /** This worker's partition: it decides the users with partitionOf(userId, count) === index. */
  index: number;
  count: number;
  /** Lease owner of this worker's journal rows; a new one each time the worker is (re)started. */
  instanceId: string;
  flags: FlagDefinitions;
  /** Journal polling, background sweep and tombstone expiry (EngineInternals.background). */
  background: boolean;
  /** A module the worker imports for test seams (EngineInternals.workerHooks); see src/worker/hooks.ts. */
  hooks?: string;
}

/** Operations the host asks of the worker that owns a user (or of any worker), answered by a `result`. */
export interface CallMap {
  recall: [userId: string, q: { query?: string; limit: number }];
  undo: [eventId: string];
  forget: [userId: string, memoryId: string];
  erase: [userId: string, at: number];
  sweep: [opts: SweepOptions];
  recheckBacklog: [userId?: string];
  poll: [];
  flush: [];
  drain: [timeoutMs: number];
}
export type CallName = keyof CallMap;

export type HostMessage =
  /** The candidates of one tick as JSON text: one string to copy, and the host keeps it until they are durable. */
  | { t: 'submit'; json: string }
  | { t: 'flags'; flags: FlagDefinitions }
  | { t: 'call'; id: number; name: CallName; args: unknown[] }
  | { t: 'close' };

/** An Error as it crosses the thread boundary (structured clone drops `code` and the class). */
export interface WireError { name: string; message: string; code?: string; status?: number; details?: unknown; stack?: string }

/**
 * One item of a worker's outbox, in the order things happened; a worker posts its outbox once per turn of its loop.
 * acc: durable rows; rej: refused by the store; dec: decided (candidate included: the host may not know it; `ev`:
 * the host emits 'decided' for it); ev: any other engine event (payload errors as WireError); res: a call's
 * answer; log: a log line for the host's logger. The per-candidate events are the host's to emit (CoreSink).
 */
export type OutItem =
  | { k: 'acc'; rows: Candidate[] }
  | { k: 'rej'; c: Candidate; message: string }
  | { k: 'dec'; c: Candidate; d: Decision; ev: boolean }
  | { k: 'ev'; name: string; payload: unknown }
  | { k: 'res'; id: number; ok: true; value: unknown }
  | { k: 'res'; id: number; ok: false; error: WireError }
  | { k: 'log'; level: 'warn' | 'error' | 'info'; obj: Record<string, unknown>; msg: string };

export type WorkerMessage =
  | { t: 'ready' }
  | { t: 'out'; items: OutItem[]; status: CoreStatus }
  /** Every STATUS_MS: the core's status and its flag evaluations since the last report, as [flag, off, on]. */
  | { t: 'status'; status: CoreStatus; flagCounts: Array<[string, number, number]> }
  | { t: 'closed' }
  | { t: 'fatal'; error: WireError };

/** How often a worker reports status and flag counts when nothing else is said (and at least this often). */
export const STATUS_MS = 250;

export function toWire(e: unknown): WireError {
  if (e instanceof Error) {
    const x = e as Error & { code?: unknown; status?: unknown; details?: unknown };
    const w: WireError = { name: e.name, message: e.message, stack: e.stack };
    if (typeof x.code === 'string') w.code = x.code;
    if (typeof x.status === 'number') w.status = x.status;
    if (x.details !== undefined) { try { structuredClone(x.details); w.details = x.details; } catch { /* not clonable: dropped */ } }
    return w;
  }
  return { name: 'Error', message: String(e) };
}

/** Back to an Error on the host: MemdedupError keeps its code (callers branch on it); others keep name and code. */
export function fromWire(w: WireError): Error {
  if (w.name === 'MemdedupError' && w.code !== undefined && w.code in ERROR_CODES) {
    const e = new MemdedupError(w.code as ErrorCode, w.message, w.details);
    if (w.stack) e.stack = w.stack;
    return e;
  }
  const e = new Error(w.message) as Error & { code?: string };
  e.name = w.name;
  if (w.code !== undefined) e.code = w.code;
  if (w.stack) e.stack = w.stack;
  return e;
}

/** Event payloads carry an Error only as `error` (the 'error' event); it crosses as a WireError. */
export function encodePayload(payload: unknown): unknown {
  const p = payload as { error?: unknown };
  return p && p.error instanceof Error ? { ...p, error: toWire(p.error) } : payload;
}

export function decodePayload(name: string, payload: unknown): unknown {
  const p = payload as { error?: unknown };
  return name === 'error' && p && typeof p.error === 'object' && p.error !== null ? { ...p, error: fromWire(p.error as WireError) } : payload;
}
