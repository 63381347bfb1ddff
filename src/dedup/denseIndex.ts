// Dense vectors of one user, searchable without a full scan: random-hyperplane LSH (4 tables x 10 bits),
// probing each table's bucket and its 10 one-bit neighbours, then exact dot products on what that yields.
import { dot } from './providers/embedder.js';

const TABLES = 4;
const BITS = 10;

const planesByDim = new Map<number, Float32Array[]>();
/** Deterministic hyperplanes per dimension (mulberry32), shared by every user. */
function planes(dim: number): Float32Array[] {
  let p = planesByDim.get(dim);
  if (p) return p;
  let seed = 0x9e3779b9 ^ dim;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  p = Array.from({ length: TABLES * BITS }, () => Float32Array.from({ length: dim }, rand));
  planesByDim.set(dim, p);
  return p;
}

function signatures(v: Float32Array): number[] {
  const ps = planes(v.length);
  const out: number[] = [];
  for (let t = 0; t < TABLES; t++) {
    let sig = 0;
    for (let b = 0; b < BITS; b++) if (dot(ps[t * BITS + b]!, v) >= 0) sig |= 1 << b;
    out.push(sig);
  }
  return out;
}

export interface DenseEntry { id: string; vector: Float32Array; model: string }

export class DenseIndex {
  private readonly entries = new Map<string, { e: DenseEntry; sigs: number[] }>();
  private readonly buckets: Map<number, Set<string>>[] = Array.from({ length: TABLES }, () => new Map());

  get size(): number { return this.entries.size; }

  add(e: DenseEntry): void {
    this.remove(e.id);
    const sigs = signatures(e.vector);
    this.entries.set(e.id, { e, sigs });
    sigs.forEach((sig, t) => {
      let s = this.buckets[t]!.get(sig);
      if (!s) this.buckets[t]!.set(sig, (s = new Set()));
      s.add(e.id);
    });
  }

  remove(id: string): void {
    const x = this.entries.get(id);
    if (!x) return;
    this.entries.delete(id);
    x.sigs.forEach((sig, t) => this.buckets[t]!.get(sig)?.delete(id));
  }

  /** Nearest entries of the same model, best first. */
  search(v: Float32Array, model: string, k: number): { id: string; score: number }[] {
    const seen = new Set<string>();
    signatures(v).forEach((sig, t) => {
      for (let flip = -1; flip < BITS; flip++) {
        const probe = flip < 0 ? sig : sig ^ (1 << flip);
        for (const id of this.buckets[t]!.get(probe) ?? []) seen.add(id);
      }
    });
    const out: { id: string; score: number }[] = [];
    for (const id of seen) {
      const x = this.entries.get(id)!;
      if (x.e.model === model) out.push({ id, score: dot(v, x.e.vector) });
    }
    return out.sort((a, b) => b.score - a.score).slice(0, k);
  }
}
