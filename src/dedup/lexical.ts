// The built-in lexical embedder: word stems plus character trigrams, hashed into a sparse vector.
// Needs no model and no download; learns nothing at run time.
import { createHash } from 'node:crypto';
import { exactKeyText, normalize } from './normalize.js';
import type { Prepared } from './types.js';

export const STOPWORDS = new Set(('a an the and or but of to in on at for with by from as is am are was were be been being ' +
  'has have had do does did this that these those it its i me my we our you your he him his she her they them their ' +
  'user very really quite so just also too there here who which what when where how about into over than then').split(' '));

/** Light suffix stripping: enough to match plurals and simple inflections. */
export function stem(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ing') && w.length > 5) return w.slice(0, -3);
  if (w.endsWith('ed') && w.length > 4) return w.slice(0, -2);
  if (w.endsWith('es') && /(?:ch|sh|x|z)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

export function words(normalized: string): string[] {
  return normalized.split(/[^\p{L}\p{N}']+/u).map((w) => w.replace(/^'+|'+$/g, '')).filter(Boolean);
}

export function contentTokens(normalized: string): string[] {
  return words(normalized).filter((w) => !STOPWORDS.has(w)).map(stem);
}

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

export function prepareLexical(text: string): Prepared {
  const normalized = normalize(text);
  const keyText = exactKeyText(normalized);
  const tokens = contentTokens(normalized);
  return {
    text, normalized, tokens,
    key: createHash('sha1').update(keyText).digest('base64url'),
    vector: lexicalVector(tokens, keyText),
  };
}
