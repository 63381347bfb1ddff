// A memory's prepared features as persisted with its row (columns `features`, `feature_version`, migration 6):
// what the index needs of every memory on a cold load (normalized text, exact key, retrieval tokens, lexical
// vector), so a load does not re-normalise. The shape and the frame are not in it: they are computed for the few
// memories that are compared (the frame has its own persisted form, `analysis`, see frame.ts).
import { sparseVector, type SparseVector } from './lexical.js';
import type { StoredFeatures } from '../store/types.js';
import type { Prepared } from './types.js';

/**
 * Bump when normalize(), exactKeyText(), the content-token filter, root(), stem() or lexicalVector() change what
 * they produce: rows persisted at another version are recomputed on load (and written back at this one).
 */
export const FEATURE_VERSION = 1;

export type { StoredFeatures };

export interface Features { normalized: string; key: string; tokens: string[]; vector: SparseVector }

const b64 = (a: Uint32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** JSON; the vector's ids and weights as base64 of their bytes (exact, and cheaper to read than number lists). */
export function encodeFeatures(p: Prepared): StoredFeatures {
  return { version: FEATURE_VERSION, data: JSON.stringify({ n: p.normalized, k: p.key, t: p.tokens, i: b64(p.vector.ids), w: b64(p.vector.weights) }) };
}

/** The features, when stored at the current version and well formed; undefined means "compute them again". */
export function decodeFeatures(f: StoredFeatures | undefined): Features | undefined {
  if (!f || f.version !== FEATURE_VERSION) return undefined;
  try {
    const o = JSON.parse(f.data) as { n?: unknown; k?: unknown; t?: unknown; i?: unknown; w?: unknown };
    if (typeof o.n !== 'string' || typeof o.k !== 'string' || !Array.isArray(o.t) || typeof o.i !== 'string' || typeof o.w !== 'string') return undefined;
    // Copied into fresh buffers: a decoded Buffer may sit at an offset that is not a multiple of 8.
    const ib = Buffer.from(o.i, 'base64'), wb = Buffer.from(o.w, 'base64');
    if (ib.byteLength % 4 !== 0 || wb.byteLength !== ib.byteLength * 2) return undefined;
    const ids = new Uint32Array(new Uint8Array(ib).buffer), weights = new Float64Array(new Uint8Array(wb).buffer);
    return { normalized: o.n, key: o.k, tokens: o.t as string[], vector: sparseVector(ids, weights) };
  } catch {
    return undefined;
  }
}
