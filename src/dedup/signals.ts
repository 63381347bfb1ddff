// Guard signals: reasons two similar texts are NOT the same fact, and how they relate when they are close.
import { align, type Alignment } from './align.js';
import { frameFor } from './frame.js';
import { frameSignals, type FrameSignals } from './frameSignals.js';
import { ANTONYMS, FUNCTIONAL } from './lexicon.js';
import { PARTICLES, type Shape, type Tok } from './shape.js';
import type { Prepared } from './types.js';
import { canBeVerb, isCommonNoun, isKindOf, onlyVerb } from './wordnet.js';

export interface Signals {
  al: Alignment;
  /** Share of the memory's content tokens the candidate covers (sentiment words aside). */
  memCoverage: number;
  candCoverage: number;
  negationMismatch: boolean;
  /** One side has an odd number of negators, the other even (whatever they apply to). */
  negationParity: boolean;
  /** One likes what the other dislikes. */
  polarityFlip: boolean;
  antonym: boolean;
  /** The candidate says the memory's state ended (stopped, quit, moved, sold ...). */
  stateChange: boolean;
  /** Only values (numbers, dates, times) differ; the rest is the same. */
  numberMismatch: boolean;
  /** The same single-valued attribute ("favourite band is", "lives in") with a different value. */
  valueMismatch: boolean;
  /** A possessor appears on one side only ("sister's name" vs "name"). */
  possessorChange: boolean;
  /** Active on one side, passive on the other ("mentors" vs "was mentored"). */
  voiceChange: boolean;
  /** The candidate adds words before what it shares, and one of them is a verb: a different relation. */
  leadingRelation: boolean;
  /** One side reports a dated occasion, or the two differ in tense: two occurrences, not one fact restated. */
  separateEpisode: boolean;
  /** What only the candidate says is a general term for what the memory says ("a woman" / "a person"): nothing new. */
  moreGeneral: boolean;
  /** What only the memory says is a general term the candidate names a kind of ("a sleep disorder" / "narcolepsy"). */
  moreSpecific: boolean;
  /** The memory's words are all in the candidate, which says more. */
  containsMore: boolean;
  /** The candidate's words are all in the memory, which says more (after what they share). */
  containedIn: boolean;
  /** What only one side says qualifies a word the other side matched only loosely (a synonym, not the same word). */
  looseQualifier: boolean;
  /** From the frames: subject, relation, roles, names. */
  frame: FrameSignals;
}

const coverage = (toks: Tok[], to: number[]) => {
  const counted = toks.filter((t) => !t.sentiment);
  return counted.length ? counted.filter((t) => to[t.i] !== -1).length / counted.length : toks.length ? toks.filter((t) => to[t.i] !== -1).length / toks.length : 0;
};

/** The scope applies to shared content: its head word is shared, or two of its words are (particles aside). */
function inScope(s: Shape, scope: number[], strength: number[]): boolean {
  // Synonyms are too loose here: "losing his job" must not end "a business venture".
  const shared = (i: number) => strength[i]! >= 0.9;
  if (!scope.length) return false;
  if (shared(scope[0]!)) return true;
  return scope.filter((i) => shared(i) && !PARTICLES.has(s.toks[i]!.w)).length >= 2;
}

/** First index in `toks` that has a counterpart. */
const firstMatched = (to: number[]) => to.findIndex((j) => j !== -1);

// The signals of the candidate being decided against each memory it met: applyPolicy asks again for its nearest
// neighbour when no memory had anything to say (an eighth of the bench's candidates). Only one candidate is kept.
let memoCand: Prepared | undefined;
const memo = new Map<Prepared, Signals>();

/** The signals of a pair; read-only (they are shared between the calls for the same pair). */
export function signals(cand: Prepared, mem: Prepared): Signals {
  if (cand !== memoCand) { memoCand = cand; memo.clear(); }
  let s = memo.get(mem);
  if (!s) memo.set(mem, (s = pairSignals(cand, mem)));
  return s;
}

function pairSignals(cand: Prepared, mem: Prepared): Signals {
  const A = mem.shape, B = cand.shape;
  const al = align(A, B);
  const memCoverage = coverage(A.toks, al.memTo);
  const candCoverage = coverage(B.toks, al.candTo);
  const memOnly = al.memOnly;
  const candOnly = al.candOnly;

  let antonym = false;
  const cw = new Set(B.words), mw = new Set(A.words);
  for (const w of cw) {
    const opp = ANTONYMS.get(w);
    if (opp && !mw.has(w)) for (const o of opp) if (mw.has(o) && !cw.has(o)) { antonym = true; break; }
    if (antonym) break;
  }
  // A state change or a negation only counts when what it applies to is shared.
  const stateChange = B.hasCessation && !A.hasCessation && inScope(B, B.ended, al.candStrength);
  const extraNeg = A.negations % 2 !== B.negations % 2;
  const negationMismatch = extraNeg && (A.negations > B.negations ? inScope(A, A.negated, al.memStrength) : inScope(B, B.negated, al.candStrength));

  const numberMismatch = memOnly.length > 0 && candOnly.length > 0 && memOnly.every((t) => t.value) && candOnly.every((t) => t.value);

  // Value slot: everything before the copula (or the functional predicate) matches, the differences come after it.
  let valueMismatch = false;
  if (memOnly.length && candOnly.length && memOnly.length <= 2 && candOnly.length <= 2) {
    const slotStart = (s: typeof A, to: number[]) => {
      if (s.copulaAt > 0) {
        const subject = s.toks.slice(0, s.copulaAt);
        if (subject.every((t) => to[t.i] !== -1) && subject.some((t) => isCommonNoun(t.w))) return s.copulaAt;
      }
      const f = s.toks.findIndex((t) => FUNCTIONAL.has(t.w) && to[t.i] !== -1);
      return f >= 0 && s.toks.slice(0, f + 1).every((t) => to[t.i] !== -1) ? f + 1 : -1;
    };
    const sa = slotStart(A, al.memTo), sb = slotStart(B, al.candTo);
    // "is cutting" / "is slicing" is an action, not an attribute value.
    const progressive = (s: typeof A, at: number) => s.copulaAt === at && /ing$/.test(s.toks[at]?.w ?? '');
    valueMismatch = sa >= 0 && sb >= 0 && memOnly.every((t) => t.i >= sa) && candOnly.every((t) => t.i >= sb)
      && !progressive(A, sa) && !progressive(B, sb);
  }
  const possessorChange = al.memOnly.some((t) => t.poss) || al.candOnly.some((t) => t.poss);
  // "babysitter" / "dog sitter": the added word qualifies a word matched as a synonym only.
  const loose = (only: Tok[], s: Shape, strength: number[]) => only.some((t) => {
    const next = s.toks[t.i + 1];
    return next !== undefined && next.wi === t.wi + 1 && strength[next.i]! > 0 && strength[next.i]! < 0.9;
  });
  const looseQualifier = loose(al.candOnly, B, al.candStrength) || loose(al.memOnly, A, al.memStrength);
  const voiceChange = A.passive !== B.passive;
  const fb = firstMatched(al.candTo);
  const lb = al.candTo.length - 1 - [...al.candTo].reverse().findIndex((j) => j !== -1);
  const leadingRelation = fb > 0 && B.toks.slice(0, fb).some((t) => canBeVerb(t.w))
    // A verb inserted among the shared words ("volunteers at the shelter" / "donates a car to the shelter she volunteers at").
    || (fb >= 0 && B.toks.slice(fb + 1, lb).some((t) => al.candTo[t.i] === -1 && onlyVerb(t.w)));
  const fa = firstMatched(al.memTo);
  return {
    al, memCoverage, candCoverage,
    negationMismatch: negationMismatch || (extraNeg && memOnly.length === 0 && candOnly.length === 0),
    // A negation inside what the candidate adds ("... without needing help") is about the new part only.
    negationParity: extraNeg && !(B.negations > A.negations && B.negated.length > 0 && B.negated.every((i) => al.candTo[i] === -1)),
    polarityFlip: A.polarity * B.polarity < 0,
    moreGeneral: candOnly.length > 0 && candOnly.length <= 2 && memOnly.length > 0 && memOnly.length <= 4 && contiguous(candOnly)
      && specializes(candOnly, memOnly),
    moreSpecific: memOnly.length > 0 && memOnly.length <= 3 && candOnly.length > 0 && candOnly.length <= 3 && contiguous(memOnly) && specializes(memOnly, candOnly),
    separateEpisode: A.episodic !== B.episodic || (A.tense !== 'none' && B.tense !== 'none' && A.tense !== B.tense),
    antonym, stateChange, numberMismatch, valueMismatch, possessorChange, voiceChange, leadingRelation, looseQualifier,
    frame: frameSignals(frameFor(mem), frameFor(cand), A, B, al),
    containsMore: memOnly.length === 0 && candOnly.length > 0 && A.toks.length > 0,
    containedIn: candOnly.length === 0 && memOnly.length > 0 && B.toks.length > 0 && fa >= 0 && memOnly.every((t) => t.i > fa),
  };
}

const contiguous = (ts: Tok[]) => ts.every((t, k) => k === 0 || t.wi === ts[k - 1]!.wi + 1);

/** The memory-only words (as a phrase, or their last word, the head) have a hyponym among the candidate-only words. */
function specializes(memOnly: Tok[], candOnly: Tok[]): boolean {
  const general = [memOnly.map((t) => t.w).join(' ')];
  if (memOnly.length > 1) general.push(memOnly[memOnly.length - 1]!.w);
  const specific: string[] = [];
  for (let k = 0; k < candOnly.length; k++) {
    specific.push(candOnly[k]!.w);
    if (k + 1 < candOnly.length && candOnly[k + 1]!.wi === candOnly[k]!.wi + 1) specific.push(`${candOnly[k]!.w} ${candOnly[k + 1]!.w}`);
  }
  return general.some((g) => specific.some((sp) => isKindOf(sp, g)));
}
