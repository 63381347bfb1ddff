// One word against several: the same thing written as a closed or open compound ("coworking" / "co working"),
// as an initialism ("NHS" / "National Health Service", "SF" / "San Francisco"), or as a multi-word term WordNet
// lists as a synonym ("sci-fi" / "science fiction"). Only tokens the word-for-word alignment left unmatched take part.
import type { Tok } from './shape.js';
import { related } from './wordnet.js';

export interface SpanMatch { span: number[]; strength: number }

/** Adjacent content tokens: nothing but function words between them (at most one). */
const adjacent = (a: Tok, b: Tok) => b.wi - a.wi >= 1 && b.wi - a.wi <= 2;
const letters = (w: string) => w.replace(/\./g, '');

export function spanMatch(t: Tok, toks: Tok[], taken: number[]): SpanMatch | undefined {
  const free = (k: number) => k < toks.length && taken[k] === -1 && !toks[k]!.value;
  const w = letters(t.w);
  for (let k = 0; k + 1 < toks.length; k++) {
    if (!free(k) || !free(k + 1)) continue;
    const a = toks[k]!, b = toks[k + 1]!;
    // A compound written closed, open or hyphenated: words side by side with nothing between.
    if (b.wi === a.wi + 1 && (a.w + b.w === t.w || a.w + b.s === t.s)) return { span: [k, k + 1], strength: 1 };
    // A phrase WordNet knows, against the single word.
    if (b.wi === a.wi + 1 && w.length > 2 && (related(`${a.w}-${b.w}`, t.w) || related(`${a.w}_${b.w}`, t.w))) {
      return { span: [k, k + 1], strength: 0.8 };
    }
  }
  // An initialism: its letters are the first letters of as many adjacent tokens.
  if (w.length >= 2 && w.length <= 5 && /^\p{L}+$/u.test(w)) {
    for (let k = 0; k + w.length <= toks.length; k++) {
      const span = Array.from({ length: w.length }, (_, d) => k + d);
      if (span.every((j, d) => free(j) && toks[j]!.w[0] === w[d] && (d === 0 || adjacent(toks[j - 1]!, toks[j]!)))) {
        return { span, strength: 0.9 };
      }
    }
  }
  return undefined;
}

/** Two adjacent unmatched tokens on each side that WordNet lists as one term ("sci fi" / "science fiction"). */
export function pairPairMatch(a: Tok[], aTo: number[], b: Tok[], bTo: number[]): [number, number, number, number] | undefined {
  const pairs = (toks: Tok[], to: number[]) => {
    const out: [number, string[]][] = [];
    for (let k = 0; k + 1 < toks.length; k++) {
      const x = toks[k]!, y = toks[k + 1]!;
      if (to[k] === -1 && to[k + 1] === -1 && !x.value && !y.value && y.wi === x.wi + 1) out.push([k, [`${x.w}-${y.w}`, `${x.w}_${y.w}`]]);
    }
    return out;
  };
  const pb = pairs(b, bTo);
  if (!pb.length) return undefined;
  for (const [i, fa] of pairs(a, aTo)) for (const [j, fb] of pb) {
    if (fa.some((x) => fb.some((y) => related(x, y)))) return [i, i + 1, j, j + 1];
  }
  return undefined;
}
