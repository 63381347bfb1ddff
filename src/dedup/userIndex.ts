// A user's memories, searchable without a full scan: an inverted index from content token to memory ids,
// walked rarest token first, then exact cosine re-ranking of the few candidates it yields.
import { DenseIndex } from './denseIndex.js';
import { cosine } from './lexical.js';
import type { Neighbour, Prepared, UserIndex } from './types.js';

/** Stop widening once this many candidates were gathered from rarer tokens. */
const CANDIDATE_BUDGET = 256;

export class InvertedUserIndex implements UserIndex {
  private readonly items = new Map<string, Prepared>();
  private readonly keys = new Map<string, string>();
  private readonly postings = new Map<string, Set<string>>();
  private dense: DenseIndex | null = null;

  get size(): number { return this.items.size; }

  byKey(key: string): string | undefined { return this.keys.get(key); }

  get(id: string): Prepared | undefined { return this.items.get(id); }

  add(id: string, p: Prepared): void {
    if (this.items.has(id)) this.remove(id);
    this.items.set(id, p);
    if (!this.keys.has(p.key)) this.keys.set(p.key, id);
    if (p.dense && p.model) (this.dense ??= new DenseIndex()).add({ id, vector: p.dense, model: p.model });
    for (const t of new Set(p.tokens)) {
      let s = this.postings.get(t);
      if (!s) this.postings.set(t, (s = new Set()));
      s.add(id);
    }
  }

  remove(id: string): void {
    const p = this.items.get(id);
    if (!p) return;
    this.items.delete(id);
    this.dense?.remove(id);
    if (this.keys.get(p.key) === id) {
      this.keys.delete(p.key);
      // Another memory may share the key (possible after an undo); keep it findable.
      for (const [otherId, q] of this.items) if (q.key === p.key) { this.keys.set(p.key, otherId); break; }
    }
    for (const t of new Set(p.tokens)) {
      const s = this.postings.get(t);
      if (!s) continue;
      s.delete(id);
      if (s.size === 0) this.postings.delete(t);
    }
  }

  search(p: Prepared, k: number): Neighbour[] {
    const lists = [...new Set(p.tokens)].map((t) => this.postings.get(t)).filter((s): s is Set<string> => !!s)
      .sort((a, b) => a.size - b.size);
    const seen = new Set<string>();
    for (const list of lists) {
      if (seen.size >= CANDIDATE_BUDGET && list.size > CANDIDATE_BUDGET) break;
      for (const id of list) seen.add(id);
    }
    const out: Neighbour[] = [];
    for (const id of seen) {
      const q = this.items.get(id)!;
      out.push({ id, prepared: q, score: cosine(p.vector, q.vector) });
    }
    out.sort((a, b) => b.score - a.score);
    return out.slice(0, k);
  }

  searchDense(p: Prepared, k: number): Neighbour[] {
    if (!this.dense || !p.dense || !p.model) return [];
    return this.dense.search(p.dense, p.model, k).map(({ id, score }) => ({ id, prepared: this.items.get(id)!, score }));
  }
}
