// A fact as a frame: who it is about (the implicit user, or an explicit noun phrase), what it says of them
// (predicate lemma plus particle), and which words fill which role (object, or the preposition that marks it).
// Built from part-of-speech tags (tagger.ts), once per memory: the frame is cached in the user's index and
// persisted with the memory (column `analysis`, versioned by FRAME_VERSION) so a cold load does not re-tag.
// The only word lists here are closed grammatical classes: pronouns, determiners, particles, prepositions.
import { tag, tagFragment, type Tagged } from './tagger.js';
import { canBeVerb, lemmas } from './wordnet.js';

const verbLemma = (w: string) => lemmas(w, 'verb').sort((a, b) => a.length - b.length)[0] ?? w;

/** Bump when frameOf() changes what it produces: persisted frames of another version are rebuilt on load. */
export const FRAME_VERSION = 1;

export interface Frame {
  v: number;
  /** Lemmas naming who the fact is about; empty when it is the user ("the user's dog" is ["dog"]). */
  subject: string[];
  /** Main verb lemma ("be" for a verbless fact). */
  predicate: string;
  /** Phrasal-verb particle right after the predicate ("rent out"), or ''. */
  particle: string;
  /** Content lemmas after the predicate, each with its role: 'obj' or the preposition before it. */
  roles: [string, string][];
  /** Runs of proper nouns, lower-cased words ("new", "york"). */
  names: string[][];
}

// The user, written as a prefix: "User", "The user's", "I", "I'm", "My", pronouns.
const USER_POSSESSIVE = /^(?:the\s+)?(?:user|person|speaker)(?:'s|s'|’s)\s+/i;
const USER_SUBJECT = /^(?:(?:the\s+)?(?:user|person|speaker)|i(?:'m|’m| am)?|he|she|they)\b[\s,:]*/i;
const POSSESSIVE_DETERMINERS = new Set(['my', 'his', 'her', 'their', 'our', 'your', 'its']);
/** Pronouns that stand for the user in a fact about the user. */
const USER_PRONOUNS = new Set(['i', 'me', 'she', 'he', 'they', 'her', 'him', 'them', 'my', 'his', 'their', 'user']);
/** Phrasal-verb particles (a closed class); prepositions proper mark roles instead. */
const PARTICLES = new Set(['out', 'up', 'off', 'away', 'down', 'over', 'back', 'around', 'through']);
const CONTENT_POS = new Set(['NOUN', 'PROPN', 'ADJ', 'NUM', 'VERB', 'ADV']);
const NOMINAL = new Set(['NOUN', 'PROPN', 'PRON', 'NUM', 'ADJ']);
/** What can follow a verb the tagger took for a noun ("her sister lives | in ..."). */
const AFTER_VERB = new Set(['DET', 'ADP', 'PROPN', 'NUM', 'PRON', 'ADJ', 'SYM', 'PART', 'ADV', 'PUNCT']);

/** The text the tagger reads, and whether the user's possessive opened it ("The user's dog" -> "Her dog"). */
function forTagging(text: string): { toks: Tagged[]; possessive: boolean } {
  // "Favourite flower: peony" reads as "Favourite flower is peony".
  let t = text.trim().replace(/[.!]+$/, '').replace(/^([^:]{1,40}?)\s*:\s+/, '$1 is ');
  if (USER_POSSESSIVE.test(t)) return { toks: tag(t.replace(USER_POSSESSIVE, 'Her ')), possessive: true };
  const first = /^\S+/.exec(t)?.[0]?.toLowerCase() ?? '';
  if (POSSESSIVE_DETERMINERS.has(first)) return { toks: tag(t), possessive: true };
  const firstPerson = /^i\b/i.test(t);
  t = t.replace(USER_SUBJECT, '');
  // The fragment's first word is not a name just because it is capitalised; "I ride" is tagged as written.
  const toks = tagFragment(t.charAt(0).toLowerCase() + t.slice(1), firstPerson ? 'I' : 'She');
  // Right after the pronoun, a word that can be a verb and is not followed by one is the verb ("She ride | a bike").
  const [head, next] = toks;
  // A gerund after it is its complement, not the verb ("She dislikes | being ...").
  const gerund = next && /ing$/i.test(next.text);
  if (head && head.pos !== 'VERB' && head.pos !== 'AUX' && next && ((next.pos !== 'VERB' && next.pos !== 'AUX') || gerund) && next.lemma !== "'s"
    && head.pos !== 'DET' && head.pos !== 'ADP' && head.pos !== 'PRON' && canBeVerb(head.text.toLowerCase())) {
    toks[0] = { ...head, pos: 'VERB', lemma: verbLemma(head.text.toLowerCase()) };
  }
  return { toks, possessive: false };
}

/** Index of the main verb's first word (VERB or AUX), repairing a verb the tagger read as a noun. */
function verbAt(toks: Tagged[], possessive: boolean): number {
  const v = taggedVerbAt(toks);
  if (v >= 0) return v;
  // "Her uncle bakes sourdough": after the subject noun, a third-person form that can be a verb is the verb.
  for (let i = possessive ? 2 : 1; i < toks.length && toks[i]!.pos !== 'ADP'; i++) {
    const t = toks[i]!, w = t.text.toLowerCase();
    if (t.pos === 'NOUN' && (toks[i - 1]!.pos === 'NOUN' || toks[i - 1]!.pos === 'PROPN') && /[^s]s$/.test(w) && canBeVerb(w)) {
      toks[i] = { ...t, pos: 'VERB', lemma: verbLemma(w) };
      return i;
    }
  }
  return -1;
}

function taggedVerbAt(toks: Tagged[]): number {
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!, prev = toks[i - 1], next = toks[i + 1];
    const afterDeterminer = prev && (prev.pos === 'DET' || POSSESSIVE_DETERMINERS.has(prev.lemma) || prev.lemma === "'s");
    // A "verb" right before an auxiliary is the subject noun ("She partner | is ...").
    const beforeAux = t.pos === 'VERB' && next?.pos === 'AUX' && !/ing$/i.test(next.text);
    if (beforeAux) toks[i] = { ...t, pos: 'NOUN', lemma: t.text.toLowerCase() };
    if ((t.pos === 'VERB' || t.pos === 'AUX') && !afterDeterminer && !beforeAux && next?.lemma !== "'s") return i;
    // "Her kids love the zoo": a noun after a noun, that can be a verb, followed by what follows verbs.
    if (t.pos === 'NOUN' && prev?.pos === 'NOUN' && (!next || AFTER_VERB.has(next.pos)) && canBeVerb(t.text.toLowerCase())) {
      toks[i] = { ...t, pos: 'VERB', lemma: verbLemma(t.text.toLowerCase()) };
      return i;
    }
    if (t.pos === 'ADP') return -1; // a preposition before any verb: no verb phrase opens the fact
  }
  return -1;
}

/** Who a subject region is about: [] for the user, else its content lemmas, possessor included ("sister's car"). */
function subjectOf(region: Tagged[]): string[] {
  return region.filter((t) => NOMINAL.has(t.pos) && !USER_PRONOUNS.has(t.lemma) && !POSSESSIVE_DETERMINERS.has(t.lemma))
    .map((t) => t.lemma);
}

export function frameOf(text: string): Frame {
  const { toks, possessive } = forTagging(text);
  const names: string[][] = [];
  let run: string[] = [];
  for (const t of toks) {
    if (t.pos === 'PROPN') run.push(t.text.toLowerCase());
    else { if (run.length) names.push(run); run = []; }
  }
  if (run.length) names.push(run);
  const v = verbAt(toks, possessive);
  // Without a verb, a fact that opens with a possessive is still about what it names ("Her uncle ..."), never the user.
  const firstAdp = toks.findIndex((t) => t.pos === 'ADP');
  const subject = v > 0 ? subjectOf(toks.slice(0, v)) : v < 0 && possessive ? subjectOf(toks.slice(0, firstAdp < 0 ? toks.length : firstAdp)) : [];
  let p = v;
  // Through the auxiliary chain to the main verb: "is | studying", "does not | eat", "has been | living".
  if (p >= 0) {
    for (let k = p + 1; k < toks.length && toks[p]!.pos === 'AUX'; k++) {
      const t = toks[k]!;
      if (t.pos === 'VERB' || t.pos === 'AUX') p = k;
      else if (t.pos !== 'ADV' && t.pos !== 'PART') break;
    }
  }
  const predicate = p >= 0 ? toks[p]!.lemma : 'be';
  const after = toks[p + 1];
  const particle = p >= 0 && after && PARTICLES.has(after.lemma) && after.pos !== 'NOUN' ? after.lemma : '';
  const roles: [string, string][] = [];
  let role = 'obj';
  for (let k = p + 1 + (particle ? 1 : 0); k < toks.length; k++) {
    const t = toks[k]!;
    if (t.pos === 'ADP') role = t.lemma;
    else if (t.pos === 'VERB') role = 'obj';
    if (CONTENT_POS.has(t.pos) && t.pos !== 'VERB' && t.pos !== 'ADV') roles.push([t.lemma, role]);
  }
  return { v: FRAME_VERSION, subject, predicate, particle, roles, names };
}

/** The frame of a prepared text: kept, else parsed from its persisted form (current version), else analysed. */
export function frameFor(p: { text: string; frame?: Frame; analysis?: string }): Frame {
  return (p.frame ??= parseFrame(p.analysis) ?? frameOf(p.text));
}

/** A persisted frame, if it is one of this version. */
export function parseFrame(json: string | null | undefined): Frame | undefined {
  if (!json) return undefined;
  try {
    const f = JSON.parse(json) as Frame;
    return f && f.v === FRAME_VERSION && Array.isArray(f.subject) && Array.isArray(f.roles) ? f : undefined;
  } catch {
    return undefined;
  }
}
