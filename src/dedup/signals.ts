// Guard signals: reasons two similar texts are NOT the same fact.
import { words } from './lexical.js';
import type { Prepared } from './types.js';

const NEGATORS = new Set(['not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'without', 'cannot']);

// A general antonym table (common adjective and verb opposites), not drawn from any data set.
const ANTONYM_PAIRS: [string, string][] = [
  ['like', 'dislike'], ['likes', 'dislikes'], ['love', 'hate'], ['loves', 'hates'], ['enjoy', 'dislike'], ['enjoys', 'dislikes'],
  ['married', 'divorced'], ['married', 'single'], ['alive', 'dead'], ['employed', 'unemployed'], ['happy', 'unhappy'],
  ['old', 'young'], ['older', 'younger'], ['tall', 'short'], ['early', 'late'], ['hot', 'cold'], ['big', 'small'],
  ['large', 'small'], ['introvert', 'extrovert'], ['introverted', 'extroverted'], ['before', 'after'], ['always', 'never'],
  ['allowed', 'forbidden'], ['start', 'stop'], ['started', 'stopped'], ['starts', 'stops'], ['win', 'lose'], ['won', 'lost'],
  ['buy', 'sell'], ['bought', 'sold'], ['accept', 'reject'], ['agree', 'disagree'], ['visible', 'invisible'],
  ['left', 'right'], ['more', 'less'], ['most', 'least'], ['best', 'worst'], ['good', 'bad'], ['vegan', 'carnivore'],
  ['morning', 'evening'], ['night', 'day'], ['sober', 'drunk'], ['rich', 'poor'], ['full-time', 'part-time'],
  ['remote', 'office'], ['online', 'offline'], ['open', 'closed'], ['sweet', 'savory'], ['quiet', 'loud'],
];
const ANTONYMS = new Map<string, Set<string>>();
for (const [a, b] of ANTONYM_PAIRS) {
  if (!ANTONYMS.has(a)) ANTONYMS.set(a, new Set());
  if (!ANTONYMS.has(b)) ANTONYMS.set(b, new Set());
  ANTONYMS.get(a)!.add(b); ANTONYMS.get(b)!.add(a);
}

export interface Signals {
  negationMismatch: boolean;
  numberMismatch: boolean;
  antonym: boolean;
  /** The candidate holds every content token of the memory, and more. */
  containsMore: boolean;
  /** The memory holds every content token of the candidate, and more. */
  containedIn: boolean;
  /** Tokens the two share, over the smaller set. */
  overlap: number;
}

function negationCount(normalized: string): number {
  let n = 0;
  for (const w of words(normalized)) if (NEGATORS.has(w)) n++;
  return n;
}

const NUMBER = /\d+(?:[.,:/]\d+)*/g;

export function signals(cand: Prepared, mem: Prepared): Signals {
  const cNums = cand.normalized.match(NUMBER) ?? [];
  const mNums = mem.normalized.match(NUMBER) ?? [];
  const numberMismatch = (cNums.length > 0 && mNums.length > 0 && cNums.join(' ') !== mNums.join(' '));
  const cw = new Set(words(cand.normalized));
  const mw = new Set(words(mem.normalized));
  let antonym = false;
  for (const w of cw) {
    const opp = ANTONYMS.get(w);
    if (opp && !mw.has(w)) for (const o of opp) if (mw.has(o) && !cw.has(o)) { antonym = true; break; }
    if (antonym) break;
  }
  const ct = new Set(cand.tokens);
  const mt = new Set(mem.tokens);
  let shared = 0;
  for (const t of ct) if (mt.has(t)) shared++;
  return {
    negationMismatch: negationCount(cand.normalized) % 2 !== negationCount(mem.normalized) % 2,
    numberMismatch,
    antonym,
    containsMore: mt.size > 0 && shared === mt.size && ct.size > mt.size,
    containedIn: ct.size > 0 && shared === ct.size && mt.size > ct.size,
    overlap: Math.min(ct.size, mt.size) ? shared / Math.min(ct.size, mt.size) : 0,
  };
}
