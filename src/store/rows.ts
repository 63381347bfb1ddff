// Row <-> glossary mapping shared by every SQL store (column names are the same in each).
import type { Candidate, MemdedupEvent, Memory, Priority } from '../types.js';
import type { MemoryVector, StoredFeatures } from './types.js';

type Row = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function rowToMemory(r: Row): Memory {
  return {
    id: String(r.id), userId: String(r.user_id), text: String(r.text), status: r.status as Memory['status'],
    version: num(r.version), seenCount: num(r.seen_count), needsRecheck: Boolean(num(r.needs_recheck)),
    sources: JSON.parse(String(r.sources ?? '[]')) as string[], createdAt: num(r.created_at), updatedAt: num(r.updated_at),
    ...(r.analysis !== null && r.analysis !== undefined ? { analysis: String(r.analysis) } : {}),
  };
}

export function memoryParams(m: Memory): unknown[] {
  return [m.id, m.userId, m.text, m.status, m.version, m.seenCount, m.needsRecheck ? 1 : 0,
    JSON.stringify(m.sources), m.createdAt, m.updatedAt, m.analysis ?? null];
}
export const MEMORY_COLUMNS = 'id, user_id, text, status, version, seen_count, needs_recheck, sources, created_at, updated_at, analysis';
/** Values per memory row in MEMORY_COLUMNS. */
export const MEMORY_ARITY = 11;

export function rowToEvent(r: Row): MemdedupEvent {
  return {
    id: String(r.id), userId: String(r.user_id), candidateId: strOrNull(r.candidate_id), action: r.action as MemdedupEvent['action'],
    memoryId: strOrNull(r.memory_id), comparedMemoryId: strOrNull(r.compared_memory_id), comparedText: strOrNull(r.compared_text),
    candidateText: strOrNull(r.candidate_text), previousText: strOrNull(r.previous_text),
    method: (r.method ?? null) as MemdedupEvent['method'], score: r.score === null || r.score === undefined ? null : num(r.score),
    reasons: JSON.parse(String(r.reasons ?? '[]')) as string[], undoes: strOrNull(r.undoes), undoneBy: strOrNull(r.undone_by),
    policy: r.policy === null || r.policy === undefined ? 'default' : String(r.policy), at: num(r.at),
  };
}

export function eventParams(e: MemdedupEvent): unknown[] {
  return [e.id, e.userId, e.candidateId, e.action, e.memoryId, e.comparedMemoryId, e.comparedText, e.candidateText,
    e.previousText, e.method, e.score, JSON.stringify(e.reasons), e.undoes, e.undoneBy, e.at, e.policy];
}
export const EVENT_COLUMNS = 'id, user_id, candidate_id, action, memory_id, compared_memory_id, compared_text, candidate_text, previous_text, method, score, reasons, undoes, undone_by, at, policy';
/** Parameters per event row (multi-row INSERTs). */
export const EVENT_PARAMS = 16;

export function rowToCandidate(r: Row): Candidate {
  const c: Candidate = {
    id: String(r.id), userId: String(r.user_id), text: String(r.text), priority: r.priority as Priority,
    acceptedAt: num(r.accepted_at), attempts: num(r.attempts),
  };
  if (r.source !== null && r.source !== undefined) c.source = String(r.source);
  if (r.last_error !== null && r.last_error !== undefined) c.lastError = String(r.last_error);
  return c;
}

/** Provider-vector columns of a memory row, written with it (see memoryVectorParams) and read by loadUser. */
export const VECTOR_COLUMNS = 'embedding_model, embedding_dims, embedding';

/** [model, dims, float32 little-endian bytes] or nulls. */
export function vectorParams(v: MemoryVector | undefined): unknown[] {
  if (!v) return [null, null, null];
  return [v.model, v.vector.length, Buffer.from(v.vector.buffer, v.vector.byteOffset, v.vector.byteLength)];
}

/** The row's stored vector, if it has a well-formed one. */
export function rowToVector(r: Row): MemoryVector | undefined {
  const bytes = r.embedding as Uint8Array | null | undefined;
  const dims = num(r.embedding_dims);
  if (!bytes || !r.embedding_model || !(dims > 0) || bytes.byteLength !== dims * 4) return undefined;
  // Copy into a fresh buffer: a driver's Buffer may sit at an offset that is not a multiple of 4.
  return { model: String(r.embedding_model), vector: new Float32Array(new Uint8Array(bytes).buffer) };
}

/** Prepared-feature columns of a memory row (migration 6), written by putFeatures and dropped when the text changes. */
export const FEATURE_COLUMNS = 'features, feature_version';

/** Stored features of a user's rows, by memory id (any version: the deduper decides what it can reuse). */
export function rowsToFeatures(rows: Row[]): Map<string, StoredFeatures> | undefined {
  let out: Map<string, StoredFeatures> | undefined;
  for (const r of rows) {
    if (r.features === null || r.features === undefined || r.feature_version === null || r.feature_version === undefined) continue;
    (out ??= new Map()).set(String(r.id), { version: num(r.feature_version), data: String(r.features) });
  }
  return out;
}

/** Vectors of a user's rows, by memory id; undefined when none has one (so an empty snapshot stays `{version, memories}`). */
export function rowsToVectors(rows: Row[]): Map<string, MemoryVector> | undefined {
  let out: Map<string, MemoryVector> | undefined;
  for (const r of rows) {
    const v = rowToVector(r);
    if (v) (out ??= new Map()).set(String(r.id), v);
  }
  return out;
}
