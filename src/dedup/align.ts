// Aligns the content tokens of a memory and a candidate: which words of each have a counterpart in the other.
import type { Shape, Tok } from './shape.js';
import { related, relatedPhrase } from './wordnet.js';
import { pairPairMatch, spanMatch } from './spans.js';

export interface Alignment {
  /** For each memory token, the candidate token index it matched (or -1), and how strongly. */
  memTo: number[];
  candTo: number[];
  strength: number;
  /** Match strength per memory / candidate token (0 when unmatched). */
  memStrength: number[];
  candStrength: number[];
  /** Memory / candidate tokens without a counterpart. */
  memOnly: Tok[];
  candOnly: Tok[];
  /** Sum of match strengths over (memory tokens + candidate tokens) / 2: 1 = same content words. */
  dice: number;
}

/** Damerau–Levenshtein distance, capped: we only care whether it is <= 1. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return true;
  const restA = a.slice(i + 1), restB = b.slice(i + 1);
  if (a.length === b.length) {
    if (restA === restB) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // transposition
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

// Derivational suffixes: "dyslexic"/"dyslexia", "supporter"/"support", "adoptive"/"adopt".
const DERIVATION = /(?:ations?|itions?|ments?|ness|ity|isms?|ists?|ians?|ive|ical|ic|ia|al|ers?|ors?|ly|y)$/;
export function root(s: string): string {
  const r = s.replace(DERIVATION, '');
  return r.length >= 4 ? r : s;
}

/** How strongly two tokens mean the same: 1 same stem, 0.9 a typo or spelling variant, 0.8 a derivation or synonym. */
export function tokenMatch(a: Tok, b: Tok): number {
  if (a.s === b.s) return 1;
  if (a.value || b.value) return 0;
  if (a.w.length >= 5 && b.w.length >= 5 && withinOneEdit(a.w, b.w)) return 0.9;
  if (a.r === b.r && (a.r !== a.s || b.r !== b.s)) return 0.8;
  if (related(a.w, b.w)) return 0.8;
  if ((a.particle && relatedPhrase(a.w, a.particle, b.w)) || (b.particle && relatedPhrase(b.w, b.particle, a.w))) return 0.8;
  return 0;
}

export function align(mem: Shape, cand: Shape): Alignment {
  const pairs: [number, number, number][] = [];
  for (const a of mem.toks) for (const b of cand.toks) {
    const m = tokenMatch(a, b);
    if (m > 0) pairs.push([m, a.i, b.i]);
  }
  // Greedy: strongest first, then the closest relative position (keeps word order when words repeat).
  pairs.sort((x, y) => y[0] - x[0] || Math.abs(x[1] - x[2]) - Math.abs(y[1] - y[2]));
  const memTo = mem.toks.map(() => -1), candTo = cand.toks.map(() => -1);
  const memStrength = mem.toks.map(() => 0), candStrength = cand.toks.map(() => 0);
  let strength = 0;
  for (const [m, i, j] of pairs) {
    if (memTo[i] !== -1 || candTo[j] !== -1) continue;
    memTo[i] = j; candTo[j] = i; strength += m;
    memStrength[i] = m; candStrength[j] = m;
  }
  strength += alignSpans(mem, cand, memTo, candTo, memStrength, candStrength);
  strength += alignSpans(cand, mem, candTo, memTo, candStrength, memStrength);
  const pp = pairPairMatch(mem.toks, memTo, cand.toks, candTo);
  if (pp) {
    const [i1, i2, j1, j2] = pp;
    memTo[i1] = j1; memTo[i2] = j2; candTo[j1] = i1; candTo[j2] = i2;
    memStrength[i1] = memStrength[i2] = candStrength[j1] = candStrength[j2] = 0.8;
    strength += 1.6;
  }
  const n = mem.toks.length + cand.toks.length;
  return {
    memTo, candTo, strength, memStrength, candStrength,
    memOnly: mem.toks.filter((t) => memTo[t.i] === -1),
    candOnly: cand.toks.filter((t) => candTo[t.i] === -1),
    dice: n ? (2 * strength) / n : 0,
  };
}

/**
 * Many-to-one matches among the tokens still unaligned: one token of `one` against a span of adjacent tokens of
 * `many` (a closed compound, an initialism, a WordNet phrase). Returns the strength added (counted per token).
 */
function alignSpans(one: Shape, many: Shape, oneTo: number[], manyTo: number[], oneStrength: number[], manyStrength: number[]): number {
  let added = 0;
  for (const t of one.toks) {
    if (oneTo[t.i] !== -1 || t.value) continue;
    const m = spanMatch(t, many.toks, manyTo);
    if (!m) continue;
    oneTo[t.i] = m.span[0]!;
    oneStrength[t.i] = m.strength;
    for (const j of m.span) { manyTo[j] = t.i; manyStrength[j] = m.strength; }
    added += (m.strength * (1 + m.span.length)) / 2;
  }
  return added;
}
