// Part-of-speech tags and lemmas from wink-nlp (wink-eng-lite-web-model), loaded once on first use.
// Memory facts are often subjectless fragments ("Works at a bakery"); taggers read a capitalised first word
// as a noun or a name there, so a fragment is tagged behind a pronoun ("She works at a bakery") and the
// pronoun is dropped again. See docs/decisions.md for why wink and not compromise (measured cost and accuracy).
import { createRequire } from 'node:module';

export interface Tagged {
  /** The token as written. */
  text: string;
  /** Universal POS tag (NOUN, PROPN, VERB, AUX, ADP, DET, PRON, ADJ, NUM, PART, CCONJ, PUNCT, SYM, ...). */
  pos: string;
  /** Lower-case lemma. */
  lemma: string;
}

interface WinkDoc { tokens(): { out(f?: unknown): string[] } }
interface Wink { readDoc(text: string): WinkDoc; its: { pos: unknown; lemma: unknown } }

let wink: Wink | undefined;
function nlp(): Wink {
  if (wink !== undefined) return wink;
  const req = createRequire(import.meta.url);
  try {
    const winkNLP = req('wink-nlp') as (model: unknown, pipe?: string[]) => Wink;
    // Only the POS tagger (lemmas come with it): sentence breaks, negation, sentiment and entities were never read,
    // and skipping them makes a readDoc ~20% cheaper with the same tokens, tags and lemmas (checked on the dev
    // sets' texts and the bench facts, bare and behind a pronoun: 14k texts, no difference).
    wink = winkNLP(req('wink-eng-lite-web-model'), ['pos']);
  } catch (e) {
    // Both are dependencies of the package: a missing one is a broken install, never a reason to decide with less
    // analysis in silence (someone else's fact would merge into the user's).
    throw new Error(`memdedup: wink-nlp with wink-eng-lite-web-model cannot be loaded (${(e as Error).message}); reinstall the package`);
  }
  return wink;
}

/** Lower case without diacritics, as normalize() folds them ("Amélie" and "Amelie" are one name). */
const fold = (w: string) => w.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

/** Tags `text` as written. */
export function tag(text: string): Tagged[] {
  const w = nlp();
  const toks = w.readDoc(text).tokens();
  const t = toks.out(), pos = toks.out(w.its.pos), lemma = toks.out(w.its.lemma);
  return t.map((x, i) => ({ text: x, pos: pos[i]!, lemma: fold(lemma[i] ?? x) }));
}

/** Tags a fragment behind a subject pronoun (`She`, or `I` for a first-person fact) and returns the fragment's tokens only. */
export function tagFragment(fragment: string, pronoun: 'She' | 'I' = 'She'): Tagged[] {
  const out = tag(`${pronoun} ${fragment}`);
  return out.length && out[0]!.text === pronoun ? out.slice(1) : out;
}
