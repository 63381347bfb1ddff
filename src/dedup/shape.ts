// The shape of a fact: its content tokens in order, with what the guards need to know about each.
import { root } from './align.js';
import { canBeVerb } from './wordnet.js';
import { CESSATION, CESSATION_PHRASES, COPULAS, DISLIKE_PHRASES, LIGHT_VERBS, MONTHS, NEGATORS, PARTICLES, SCOPE_BREAK, SENTIMENT, STOPWORDS, WEEKDAYS } from './lexicon.js';

export interface Tok {
  /** The word as normalized (possessive removed). */
  w: string;
  /** Its stem (inflection removed). */
  s: string;
  /** root(s): the stem without a derivational suffix (computed once here: tokenMatch compares it per pair). */
  r: string;
  /** Position among the fact's content tokens. */
  i: number;
  /** Position among all the fact's words (stopwords included): adjacency means a phrase. */
  wi: number;
  /** A quantity, date, time or other value that can change without changing the attribute. */
  value: boolean;
  /** Written as a possessor ("sister's", "parents'"). */
  poss: boolean;
  /** Carries liking or dislike (kept out of coverage; the polarity guard reads it). */
  sentiment: number;
  /** The particle or preposition after it, for phrasal verbs WordNet knows ("put on" = "gain", "go to" = "attend"). */
  particle?: string;
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
  /** Content tokens in the scope of a negator (up to the next clause or preposition). */
  negated: number[];
  /** Content tokens in the scope of a state-change verb ("stopped | learning russian"). */
  ended: number[];
  /** Some state-change verb occurs. */
  hasCessation: boolean;
  /** Anchored to one past or coming occasion ("last week", "yesterday", "recently"): an episode, not a standing fact. */
  episodic: boolean;
  /** The first content word is a past-tense form ("joined"), or a present one ("joins"), or neither. */
  tense: 'past' | 'present' | 'none';
}

const PHRASAL = new Set(['on', 'off', 'up', 'down', 'out', 'in', 'to', 'into', 'over', 'away', 'back', 'for', 'with']);
const TIME_WORDS = new Set(['day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'ago', 'last', 'next', 'morning',
  'evening', 'night', 'weekend', 'today', 'yesterday', 'tomorrow', 'time', 'times']);
const PREPOSITIONS = new Set(['with', 'from', 'at', 'in', 'on', 'for', 'to']);

const EPISODE = /\b(?:last (?:week|weekend|month|year|night|friday|saturday|sunday|monday|tuesday|wednesday|thursday|summer|winter|spring|fall)|yesterday|recently|ago|this (?:morning|afternoon|evening|past)|over the weekend|tonight|today|earlier)\b/;

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

/** Written as a possessor: "sister's" (2), "parents'" (1) characters to drop; 0 otherwise. */
const possessive = (w: string): number => (w.endsWith("'s") ? 2 : w.endsWith("s'") ? 1 : 0);

/** The word as a content token (possessive and apostrophes removed), or '' for a structure word. */
function contentForm(w: string, poss: number): string {
  const c = (poss ? w.slice(0, -poss) : w).replace(/'/g, '');
  return !c || STOPWORDS.has(c) || LIGHT_VERBS.has(c) ? '' : c;
}

/**
 * The stems of shapeOf(normalized).toks, in order, without the rest of the shape (scopes, tense, WordNet
 * look-ups): what the index needs for every memory on a cold load, where the full shape is needed only for the
 * few that are compared. Must filter exactly as shapeOf does (test/dedup/lazyFeatures.test.ts checks it).
 */
export function contentStems(normalized: string): string[] {
  const out: string[] = [];
  for (const w of words(normalized)) {
    if (NEGATORS.has(w)) continue;
    const c = contentForm(w, possessive(w));
    if (c) out.push(stem(c));
  }
  return out;
}

const VALUE = /^(?:\$?\d[\d.,:/]*(?:st|nd|rd|th|s|k)?|\d+)$/;

export function shapeOf(normalized: string): Shape {
  const ws = words(normalized);
  const toks: Tok[] = [];
  let negations = 0, copulaAt = -1, sentiment = 0, passive = false, hasCessation = false;
  const negated: number[] = [], ended: number[] = [];
  // Open scopes: how many more content tokens each still covers (a clause word closes them).
  let negScope = 0, endScope = 0;
  for (let k = 0; k < ws.length; k++) {
    let w = ws[k]!;
    // A clause word closes open scopes, except a preposition right after a state-change verb ("split up | with X").
    if (SCOPE_BREAK.has(w) && w !== 'to') { negScope = 0; if (!(endScope === 3 && PREPOSITIONS.has(w))) endScope = 0; }
    if (NEGATORS.has(w)) { negations++; negScope = 3; continue; }
    // "not let anything stop him" and "being lost in a book" end nothing.
    const negatedHere = w !== 'longer' && w !== 'anymore' && (negScope > 0 || ws.slice(Math.max(0, k - 4), k).some((x) => NEGATORS.has(x)));
    const adjectival = ['being', 'is', 'am', 'are', 'was', 'were', 'get', 'gets', 'got', 'feel', 'feels', 'felt'].includes(ws[k - 1] ?? '');
    if (!negatedHere && !adjectival && (CESSATION.has(w) || (PARTICLES.has(ws[k + 1] ?? '') && CESSATION_PHRASES.test(`${w} ${ws[k + 1]}`)))) {
      hasCessation = true; endScope = 3;
    }
    if (COPULAS.has(w) && copulaAt < 0) copulaAt = toks.length;
    if ((COPULAS.has(w) || w === 'been' || w === 'being' || w === 'get' || w === 'gets' || w === 'got') && isParticiple(ws[k + 1] ?? '')) passive = true;
    const poss = possessive(w);
    w = contentForm(w, poss);
    if (!w) continue;
    const sent = SENTIMENT.get(w) ?? 0;
    if (sent) sentiment = sent;
    if (negScope > 0) { negated.push(toks.length); negScope--; }
    const timeWord = VALUE.test(w) || MONTHS.has(w) || WEEKDAYS.has(w) || TIME_WORDS.has(w);
    // Times say when, not what: "lost power three days ago" does not end "three days ago".
    if (endScope > 0 && !CESSATION.has(w) && !timeWord) { ended.push(toks.length); endScope--; }
    const next = ws[k + 1];
    const st = stem(w);
    toks.push({ ...(next && PHRASAL.has(next) ? { particle: next } : {}), w, s: st, r: root(st), i: toks.length, wi: k, value: VALUE.test(w) || MONTHS.has(w) || WEEKDAYS.has(w), poss: poss > 0, sentiment: sent });
  }
  if (DISLIKE_PHRASES.some((re) => re.test(normalized))) { sentiment = -1; negations = Math.max(0, negations - 1); }
  const polarity = sentiment * (negations % 2 ? -1 : 1);
  const tense = tenseOf(ws.slice(0, 3));
  return { toks, negations, polarity, copulaAt, passive, words: ws, negated, ended, hasCessation, episodic: EPISODE.test(normalized), tense };
}

export { PARTICLES };

/** Past if one of the first words is a past form, present if one is a present form, else none. */
function tenseOf(head: string[]): Shape['tense'] {
  let present = false;
  for (let k = 0; k < head.length; k++) {
    const w = head[k]!, prev = head[k - 1] ?? '';
    if (w === 'was' || w === 'were' || w === 'had' || IRREGULAR_PAST.has(w)) return 'past';
    // "is named", "are married": a participle after a present copula describes the present.
    if (/ed$/.test(w) && !['is', 'are', 'am', 'be', 'been'].includes(prev) && canBeVerb(w)) return 'past';
    if (w === 'is' || w === 'has' || w === 'does' || (/[^su]s$/.test(w) && canBeVerb(w))) present = true;
  }
  return present ? 'present' : 'none';
}

const IRREGULAR_PARTICIPLES = new Set(['taken', 'given', 'written', 'born', 'known', 'seen', 'done', 'eaten', 'driven', 'chosen',
  'broken', 'stolen', 'forgotten', 'hidden', 'shown', 'thrown', 'told', 'taught', 'bought', 'brought', 'caught', 'paid', 'made',
  'sold', 'held', 'kept', 'left', 'lost', 'met', 'hurt', 'hit', 'bitten', 'beaten', 'raised', 'found', 'sent', 'built']);
/** A passive participle ("mentored", "taken"), not an adjective in -ed used as a state ("named", "married", "interested"). */
function isParticiple(w: string): boolean {
  if (IRREGULAR_PARTICIPLES.has(w)) return true;
  return /ed$/.test(w) && !['named', 'called', 'married', 'interested', 'based', 'engaged', 'retired', 'divorced', 'allergic', 'tired', 'excited', 'located'].includes(w) && canBeVerb(w);
}

const IRREGULAR_PAST = new Set(['went', 'came', 'made', 'took', 'gave', 'got', 'saw', 'met', 'began', 'found', 'bought', 'brought',
  'felt', 'left', 'lost', 'sold', 'told', 'won', 'wrote', 'ran', 'read', 'spent', 'taught', 'thought', 'built', 'drew', 'flew', 'grew']);
