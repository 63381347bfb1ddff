// The built-in lexical embedder: word stems plus character trigrams, hashed into a sparse vector.
// Needs no model and no download; learns nothing at run time. It ranks neighbours; the policy decides.
import { createHash } from 'node:crypto';
import { exactKeyText, normalize } from './normalize.js';
import { root } from './align.js';
import type { Frame } from './frame.js';
import { contentStems, shapeOf, type Shape } from './shape.js';
import type { Prepared } from './types.js';

export { stem, words } from './shape.js';

const WORD_WEIGHT = Math.sqrt(0.75);
const GRAM_WEIGHT = Math.sqrt(0.25);

/**
 * A sparse vector in typed arrays: feature ids and weights in the order the features were first seen, and an
 * open-addressing table (slot -> index + 1, 0 empty) to find an id. The order is kept, not sorted, so cosine()
 * sums in exactly the order the Map it replaced did: the same doubles, the same neighbour ranking.
 */
export interface SparseVector {
  readonly ids: Uint32Array;
  readonly weights: Float64Array;
  readonly table: Uint32Array;
}

const slotOf = (id: number, mask: number) => (Math.imul(id, 0x9e3779b1) >>> 0) & mask;

/** A SparseVector of these ids (distinct) and weights. */
export function sparseVector(ids: Uint32Array, weights: Float64Array): SparseVector {
  let size = 8;
  while (size < ids.length * 2) size <<= 1;
  const table = new Uint32Array(size), mask = size - 1;
  for (let i = 0; i < ids.length; i++) {
    let s = slotOf(ids[i]!, mask);
    while (table[s] !== 0) s = (s + 1) & mask;
    table[s] = i + 1;
  }
  return { ids, weights, table };
}

function weightOf(v: SparseVector, id: number): number | undefined {
  const { table, ids } = v, mask = table.length - 1;
  for (let s = slotOf(id, mask); ; s = (s + 1) & mask) {
    const at = table[s]!;
    if (at === 0) return undefined;
    if (ids[at - 1] === id) return v.weights[at - 1];
  }
}

// hash32 of 'w:' + token and 'g:' + trigram (FNV-1a), without building those strings: the prefix is hashed once.
const FNV_W = hash32Step(hash32Step(2166136261, 119), 58);
const FNV_G = hash32Step(hash32Step(2166136261, 103), 58);
function hash32Step(h: number, c: number): number { return Math.imul(h ^ c, 16777619); }
function wordHash(t: string): number {
  let h = FNV_W;
  for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 16777619);
  return h >>> 0;
}
const SPACE = 32;
/** Trigram at i of ` ${keyText} `, read from keyText itself. */
function gramHash(keyText: string, i: number): number {
  const n = keyText.length;
  let h = FNV_G;
  for (let j = i; j < i + 3; j++) h = Math.imul(h ^ (j === 0 || j === n + 1 ? SPACE : keyText.charCodeAt(j - 1)), 16777619);
  return h >>> 0;
}

/**
 * Distinct hashes in first-seen order with their counts, in reused scratch arrays (no Map, no allocation per text):
 * the same order and counts the Maps it replaced iterated.
 */
class Counter {
  ids = new Uint32Array(64);
  counts = new Float64Array(64);
  n = 0;
  private table = new Int32Array(256);
  private stamp = new Int32Array(256);
  private epoch = 0;

  reset(max: number): void {
    this.n = 0;
    if (this.ids.length < max) { this.ids = new Uint32Array(max * 2); this.counts = new Float64Array(max * 2); }
    if (this.table.length < max * 2) {
      let size = this.table.length;
      while (size < max * 2) size <<= 1;
      this.table = new Int32Array(size);
      this.stamp = new Int32Array(size);
      this.epoch = 0;
    }
    // A slot is live only when stamped with this epoch: nothing to clear between texts.
    if (++this.epoch > 0x7fffffff - 1) { this.stamp.fill(0); this.epoch = 1; }
  }

  add(h: number): void {
    const mask = this.table.length - 1;
    for (let s = slotOf(h, mask); ; s = (s + 1) & mask) {
      if (this.stamp[s] !== this.epoch) {
        this.stamp[s] = this.epoch;
        this.table[s] = this.n;
        this.ids[this.n] = h;
        this.counts[this.n++] = 1;
        return;
      }
      const at = this.table[s]!;
      if (this.ids[at] === h) { this.counts[at]!++; return; }
    }
  }

  /** Index of h, or -1. */
  find(h: number): number {
    const mask = this.table.length - 1;
    for (let s = slotOf(h, mask); ; s = (s + 1) & mask) {
      if (this.stamp[s] !== this.epoch) return -1;
      const at = this.table[s]!;
      if (this.ids[at] === h) return at;
    }
  }

  norm(): number {
    let norm = 0;
    for (let i = 0; i < this.n; i++) norm += this.counts[i]! * this.counts[i]!;
    return Math.sqrt(norm) || 1;
  }
}

const wordCounts = new Counter();
const gramCounts = new Counter();

/** cos(a, b) = 0.75 * cos(word stems) + 0.25 * cos(char trigrams). */
export function lexicalVector(tokens: string[], keyText: string): SparseVector {
  const wc = wordCounts, gc = gramCounts;
  wc.reset(tokens.length);
  for (const t of tokens) wc.add(wordHash(t));
  gc.reset(keyText.length);
  for (let i = 0; i + 3 <= keyText.length + 2; i++) gc.add(gramHash(keyText, i));
  // Words first, then the trigrams not already there (a hash collision adds up), each scaled by its part's norm:
  // the same sums in the same order as the Map version, so the same doubles.
  const wn = wc.norm(), gn = gc.norm();
  let n = wc.n;
  for (let i = 0; i < gc.n; i++) if (wc.find(gc.ids[i]!) < 0) n++;
  const ids = new Uint32Array(n), weights = new Float64Array(n);
  for (let i = 0; i < wc.n; i++) { ids[i] = wc.ids[i]!; weights[i] = 0 + (wc.counts[i]! / wn) * WORD_WEIGHT; }
  let k = wc.n;
  for (let i = 0; i < gc.n; i++) {
    const g = (gc.counts[i]! / gn) * GRAM_WEIGHT;
    const at = wc.find(gc.ids[i]!);
    if (at >= 0) weights[at] = weights[at]! + g;
    else { ids[k] = gc.ids[i]!; weights[k++] = 0 + g; }
  }
  return sparseVector(ids, weights);
}

/** Dot product of two L2-normalized sparse vectors: the shorter one walked, in its order, looked up in the other. */
export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.ids.length <= b.ids.length ? [a, b] : [b, a];
  const { ids, weights } = small;
  let dot = 0;
  for (let i = 0; i < ids.length; i++) { const w = weightOf(large, ids[i]!); if (w !== undefined) dot += weights[i]! * w; }
  return dot;
}

/**
 * A prepared text whose shape is computed on first use: every memory of a cold-loaded user needs its key, tokens
 * and vector for the index, but only the few that are compared need the shape (scopes, tense, WordNet look-ups).
 */
class LexicalPrepared implements Prepared {
  declare analysis?: string;
  declare dense?: Float32Array;
  declare model?: string;
  declare notes?: string[];
  private computedShape?: Shape;
  private analysedFrame?: Frame;
  /** Told when the frame is set (the index of a memory tracks what to persist, see UserIndex.takeFramed). */
  declare onFrame?: () => void;

  constructor(readonly text: string, readonly normalized: string, readonly key: string, readonly tokens: string[],
    readonly vector: SparseVector) {}

  get shape(): Shape { return (this.computedShape ??= shapeOf(this.normalized)); }

  get frame(): Frame | undefined { return this.analysedFrame; }
  set frame(f: Frame | undefined) {
    this.analysedFrame = f;
    if (f) this.onFrame?.();
  }
}

/** The exact-tier key of a normalized text. */
export function exactKey(keyText: string): string {
  return createHash('sha1').update(keyText).digest('base64url');
}

/** `analysis`: the memory's persisted frame, read on first comparison instead of tagging the text again. */
export function prepareLexical(text: string, analysis?: string | null): Prepared {
  const normalized = normalize(text);
  const keyText = exactKeyText(normalized);
  // Retrieval keys on derivational roots so "dyslexic" finds "dyslexia"; the policy still sees every form.
  const tokens = contentStems(normalized).map(root);
  const p = new LexicalPrepared(text, normalized, exactKey(keyText), tokens, lexicalVector(tokens, keyText));
  if (analysis) p.analysis = analysis;
  return p;
}

/** A prepared text from features computed earlier (persisted with the memory, see features.ts). */
export function preparedFrom(text: string, f: { normalized: string; key: string; tokens: string[]; vector: SparseVector },
  analysis?: string | null): Prepared {
  const p = new LexicalPrepared(text, f.normalized, f.key, f.tokens, f.vector);
  if (analysis) p.analysis = analysis;
  return p;
}
