// A user's memories, searchable without a full scan: an inverted index from content token to memory ids,
// walked rarest token first, then exact cosine re-ranking of the few candidates it yields.
import { DenseIndex } from './denseIndex.js';
import { cosine } from './lexical.js';
import type { Neighbour, Prepared, UserIndex } from './types.js';

/** Memories admitted as candidates at most (from the rarest tokens first). */
const CANDIDATE_BUDGET = 256;
/** Postings walked per token at most; longer lists (common words) are skipped once there are candidates. */
const MAX_LIST = 2000;
/** Users with at most this many memories are compared with every one of them. */
const SMALL_USER = 32;
/** Candidates re-ranked by exact cosine. */
const RERANK = 64;

export class InvertedUserIndex implements UserIndex {
  private readonly items = new Map<string, Prepared>();
  private readonly keys = new Map<string, string>();
  private readonly postings = new Map<string, Set<string>>();
  private dense: DenseIndex | null = null;
  private framed: string[] = [];

  get size(): number { return this.items.size; }

  byKey(key: string): string | undefined { return this.keys.get(key); }

  get(id: string): Prepared | undefined { return this.items.get(id); }

  add(id: string, p: Prepared): void {
    if (this.items.has(id)) this.remove(id);
    this.items.set(id, p);
    // A memory's frame is analysed on its first comparison; the cache persists it (takeFramed).
    if (!p.frame) p.onFrame = () => { if (this.items.get(id) === p) this.framed.push(id); };
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

  takeFramed(): string[] {
    const out = this.framed;
    this.framed = [];
    return out;
  }

  search(p: Prepared, k: number): Neighbour[] {
    // Rarest tokens first; each shared token adds its rarity to a memory's tally. Lists longer than
    // MAX_LIST (very common words) are not walked once there are candidates: they say little and cost most.
    const lists: Set<string>[] = [];
    const seen = new Set<string>();
    for (const t of p.tokens) {
      if (seen.has(t)) continue;
      seen.add(t);
      const s = this.postings.get(t);
      if (s) lists.push(s);
    }
    lists.sort((a, b) => a.size - b.size);
    const tally = new Map<string, number>();
    for (const list of lists) {
      if (tally.size > 0 && list.size > MAX_LIST) break;
      const w = 1 / Math.log(2 + list.size);
      const admit = tally.size < CANDIDATE_BUDGET;
      let walked = 0;
      for (const id of list) {
        const t = tally.get(id);
        if (t !== undefined) tally.set(id, t + w);
        else if (admit) tally.set(id, w);
        if (++walked >= MAX_LIST) break;
      }
    }
    // A user with few memories is compared with all of them: cheap, and finds relations that share no word
    // ("a musical instrument" / "a cello").
    let ids = this.items.size <= SMALL_USER ? [...this.items.keys()] : [...tally.keys()];
    if (ids.length > RERANK) ids = ids.sort((a, b) => tally.get(b)! - tally.get(a)!).slice(0, RERANK);
    // Scores in a typed array and only the k best as Neighbours; ties keep the retrieval order (as a stable sort did).
    const n = ids.length;
    const scores = new Float64Array(n);
    const qs: Prepared[] = new Array(n);
    const order: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const q = this.items.get(ids[i]!)!;
      qs[i] = q;
      scores[i] = cosine(p.vector, q.vector);
      order[i] = i;
    }
    order.sort((a, b) => scores[b]! - scores[a]! || a - b);
    const out: Neighbour[] = [];
    for (let r = 0; r < Math.min(k, n); r++) { const i = order[r]!; out.push({ id: ids[i]!, prepared: qs[i]!, score: scores[i]! }); }
    return out;
  }

  searchDense(p: Prepared, k: number): Neighbour[] {
    if (!this.dense || !p.dense || !p.model) return [];
    return this.dense.search(p.dense, p.model, k).map(({ id, score }) => ({ id, prepared: this.items.get(id)!, score }));
  }
}
