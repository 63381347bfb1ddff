// Text normalization: the same fact written differently should normalize to the same string.
// General English resources only (contractions, number words, subject prefixes); nothing learned from data.
import { numberWordsToDigits } from './numbers.js';
import { BARE_CONTRACTIONS, canonicalizeQuantities, canonicalizeSymbols, expandStateCodes } from './surface.js';

export { numberWordsToDigits };

const CONTRACTIONS: [RegExp, string][] = [
  [/\bcan't\b/g, 'can not'], [/\bwon't\b/g, 'will not'], [/\bshan't\b/g, 'shall not'], [/\bain't\b/g, 'is not'],
  [/n't\b/g, ' not'], [/'re\b/g, ' are'], [/'m\b/g, ' am'], [/'ve\b/g, ' have'], [/'ll\b/g, ' will'], [/'d\b/g, ' would'],
  [/\b(he|she|it|that|there|what|who)'s\b/g, '$1 is'],
];

// Who the fact is about is implied by whose memory it is; "The user", "User", "I", "My" add nothing.
const SUBJECT_PREFIX = /^(?:(?:the )?user(?:'s)?|the person|this person|the speaker|speaker|i|my|me|he|she|they|his|her|their)\b[ ,:]*/;

/** NFKC, case fold, unified quotes, expanded contractions, number words as digits, no subject prefix, tidy spaces. */
export function normalize(text: string): string {
  // Diacritics go: "Bogotá" and "Bogota" are the same city to a user typing on another keyboard.
  let s = canonicalizeSymbols(expandStateCodes(text.normalize('NFKC'))).normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC').toLowerCase();
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
