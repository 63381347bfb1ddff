// The built-in lexical embedder: word stems plus character trigrams, hashed into a sparse vector.
// Needs no model and no download; learns nothing at run time. It ranks neighbours; the policy decides.
import { createHash } from 'node:crypto';
import { exactKeyText, normalize } from './normalize.js';
import { root } from './align.js';
import { shapeOf } from './shape.js';
import type { Prepared } from './types.js';

export { stem, words } from './shape.js';

function hash32(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const WORD_WEIGHT = Math.sqrt(0.75);
const GRAM_WEIGHT = Math.sqrt(0.25);

function addNormalized(into: Map<number, number>, feats: Map<number, number>, weight: number): void {
  let norm = 0;
  for (const v of feats.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (const [k, v] of feats) into.set(k, (into.get(k) ?? 0) + (v / norm) * weight);
}

/** cos(a, b) = 0.75 * cos(word stems) + 0.25 * cos(char trigrams). */
export function lexicalVector(tokens: string[], keyText: string): Map<number, number> {
  const wordsF = new Map<number, number>();
  for (const t of tokens) { const h = hash32('w:' + t); wordsF.set(h, (wordsF.get(h) ?? 0) + 1); }
  const grams = new Map<number, number>();
  const s = ` ${keyText} `;
  for (let i = 0; i + 3 <= s.length; i++) { const h = hash32('g:' + s.slice(i, i + 3)); grams.set(h, (grams.get(h) ?? 0) + 1); }
  const v = new Map<number, number>();
  addNormalized(v, wordsF, WORD_WEIGHT);
  addNormalized(v, grams, GRAM_WEIGHT);
  return v;
}

export function cosine(a: Map<number, number>, b: Map<number, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [k, v] of small) { const w = large.get(k); if (w !== undefined) dot += v * w; }
  return dot;
}

/** `analysis`: the memory's persisted frame, read on first comparison instead of tagging the text again. */
export function prepareLexical(text: string, analysis?: string | null): Prepared {
  const normalized = normalize(text);
  const keyText = exactKeyText(normalized);
  const shape = shapeOf(normalized);
  // Retrieval keys on derivational roots so "dyslexic" finds "dyslexia"; the policy still sees every form.
  const tokens = shape.toks.map((t) => root(t.s));
  return {
    text, normalized, tokens, shape, ...(analysis ? { analysis } : {}),
    key: createHash('sha1').update(keyText).digest('base64url'),
    vector: lexicalVector(tokens, keyText),
  };
}
