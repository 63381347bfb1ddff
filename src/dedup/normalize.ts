// Text normalization: the same fact written differently should normalize to the same string.
// General English resources only (contractions, number words, subject prefixes); nothing learned from data.
import { BARE_CONTRACTIONS, canonicalizeQuantities, expandStateCodes } from './surface.js';

const CONTRACTIONS: [RegExp, string][] = [
  [/\bcan't\b/g, 'can not'], [/\bwon't\b/g, 'will not'], [/\bshan't\b/g, 'shall not'], [/\bain't\b/g, 'is not'],
  [/n't\b/g, ' not'], [/'re\b/g, ' are'], [/'m\b/g, ' am'], [/'ve\b/g, ' have'], [/'ll\b/g, ' will'], [/'d\b/g, ' would'],
  [/\b(he|she|it|that|there|what|who)'s\b/g, '$1 is'],
];

const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const NUMBER_WORDS = new RegExp(`\\b(?:(${Object.keys(TENS).join('|')})(?:[- ](${Object.keys(UNITS).slice(1, 10).join('|')}))?|(${Object.keys(UNITS).join('|')}))\\b`, 'g');

// Who the fact is about is implied by whose memory it is; "The user", "User", "I", "My" add nothing.
const SUBJECT_PREFIX = /^(?:(?:the )?user(?:'s)?|the person|this person|the speaker|speaker|i|my|me|he|she|they|his|her|their)\b[ ,:]*/;

export function numberWordsToDigits(s: string): string {
  return s.replace(NUMBER_WORDS, (_m, tens?: string, unit?: string, single?: string) => {
    if (single) return String(UNITS[single]);
    return String(TENS[tens!]! + (unit ? UNITS[unit]! : 0));
  });
}

/** NFKC, case fold, unified quotes, expanded contractions, number words as digits, no subject prefix, tidy spaces. */
export function normalize(text: string): string {
  // Diacritics go: "Bogotá" and "Bogota" are the same city to a user typing on another keyboard.
  let s = expandStateCodes(text.normalize('NFKC')).normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC').toLowerCase();
  s = s.replace(/[\u2018\u2019\u201b\u2032`´]/g, "'").replace(/[\u201c\u201d\u201e\u2033]/g, '"').replace(/[\u2010-\u2015]/g, '-');
  for (const [re, to] of CONTRACTIONS) s = re.test(s) ? s.replace(re, to) : s;
  for (const [re, to] of BARE_CONTRACTIONS) s = s.replace(re, to);
  // Hyphenated compounds read like their spaced form ("seventh-grade", "back-to-back").
  s = s.replace(/(\p{L})-(?=\p{L})/gu, '$1 ');
  s = canonicalizeQuantities(numberWordsToDigits(s));
  s = s.replace(/\s+/g, ' ').trim();
  s = s.replace(/^[\s"'.,;:!?()[\]{}-]+|[\s"'.,;:!?()[\]{}-]+$/g, '');
  s = s.replace(SUBJECT_PREFIX, '');
  // A first-person copula means the same as the third-person one once the subject is gone.
  s = s.replace(/^(?:am|are)\b/, 'is').replace(/^have\b/, 'has').replace(/^was\b/, 'was');
  return s.trim();
}

const ARTICLES = new Set(['a', 'an', 'the']);

/** The exact-tier key: normalized words without articles or punctuation. */
export function exactKeyText(normalized: string): string {
  return normalized.split(/[^\p{L}\p{N}]+/u).filter((w) => w && !ARTICLES.has(w)).join(' ');
}
