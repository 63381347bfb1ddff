// The shape of a fact: its content tokens in order, with what the guards need to know about each.
import { COPULAS, DISLIKE_PHRASES, LIGHT_VERBS, MONTHS, NEGATORS, PARTICLES, SENTIMENT, STOPWORDS, WEEKDAYS } from './lexicon.js';

export interface Tok {
  /** The word as normalized (possessive removed). */
  w: string;
  /** Its stem (inflection removed). */
  s: string;
  /** Position among the fact's content tokens. */
  i: number;
  /** A quantity, date, time or other value that can change without changing the attribute. */
  value: boolean;
  /** Written as a possessor ("sister's", "parents'"). */
  poss: boolean;
  /** Carries liking or dislike (kept out of coverage; the polarity guard reads it). */
  sentiment: number;
}

export interface Shape {
  toks: Tok[];
  /** Negators counted (parity matters). */
  negations: number;
  /** Overall stance towards the object: +1 liking, -1 dislike, 0 none (negation applied). */
  polarity: number;
  /** Content tokens before the first copula ("favourite band | is | abba"), -1 without one. */
  copulaAt: number;
  /** "was mentored", "is being treated": the subject undergoes the action. */
  passive: boolean;
  /** Normalized words (stopwords included), for phrase guards. */
  words: string[];
}

/** Inflection only: plurals, -ed, -ing, third person; a final e and a doubled consonant are dropped so forms meet. */
export function stem(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  let s = w;
  if (s.endsWith('ies') && s.length > 4) s = s.slice(0, -3) + 'y';
  else if (s.endsWith('ied') && s.length > 4) s = s.slice(0, -3) + 'y';
  else if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (s.endsWith('ing') && s.length > 5) s = s.slice(0, -3);
  else if (s.endsWith('ed') && s.length > 4 && !s.endsWith('eed')) s = s.slice(0, -2);
  else if (/(?:ch|sh|x|z|ss)es$/.test(s)) s = s.slice(0, -2);
  else if (s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us') && !s.endsWith('is')) s = s.slice(0, -1);
  if (s.length > 3 && s.endsWith('e')) s = s.slice(0, -1);
  if (s.length > 3 && /([b-df-hj-np-tv-z])\1$/.test(s) && !/(?:ll|ss|zz)$/.test(s)) s = s.slice(0, -1);
  return s;
}

export function words(normalized: string): string[] {
  return normalized.split(/[^\p{L}\p{N}':.$]+/u).map((w) => w.replace(/^[':.]+|[':.]+$/g, '')).filter(Boolean);
}

const VALUE = /^(?:\$?\d[\d.,:/]*(?:st|nd|rd|th|s|k)?|\d+)$/;

export function shapeOf(normalized: string): Shape {
  const ws = words(normalized);
  const toks: Tok[] = [];
  let negations = 0, copulaAt = -1, sentiment = 0, passive = false;
  for (let k = 0; k < ws.length; k++) {
    let w = ws[k]!;
    if (NEGATORS.has(w)) { negations++; continue; }
    if (COPULAS.has(w) && copulaAt < 0) copulaAt = toks.length;
    if ((COPULAS.has(w) || w === 'been' || w === 'being' || w === 'get' || w === 'gets' || w === 'got') && /(?:ed|en)$/.test(ws[k + 1] ?? '') && ws[k + 1] !== 'named') passive = true;
    let poss = false;
    if (/'s$/.test(w)) { w = w.slice(0, -2); poss = true; } else if (/s'$/.test(w)) { w = w.slice(0, -1); poss = true; }
    w = w.replace(/'/g, '');
    if (!w || STOPWORDS.has(w) || LIGHT_VERBS.has(w)) continue;
    const sent = SENTIMENT.get(w) ?? 0;
    if (sent) sentiment = sent;
    toks.push({ w, s: stem(w), i: toks.length, value: VALUE.test(w) || MONTHS.has(w) || WEEKDAYS.has(w), poss, sentiment: sent });
  }
  if (DISLIKE_PHRASES.some((re) => re.test(normalized))) { sentiment = -1; negations = Math.max(0, negations - 1); }
  const polarity = sentiment * (negations % 2 ? -1 : 1);
  return { toks, negations, polarity, copulaAt, passive, words: ws };
}

export { PARTICLES };
