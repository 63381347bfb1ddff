// Guards read from two facts' frames (frame.ts): whom each is about, which relation it states, which role each
// shared word fills, and whether a shared name became part of a longer one.
import type { Alignment } from './align.js';
import type { Frame } from './frame.js';
import { stem, type Shape } from './shape.js';
import { related } from './wordnet.js';

export interface FrameSignals {
  /** The two facts are about different people or things (one of them may be the user). */
  subjectChange: boolean;
  /** The same verb with another particle ("rents" / "rents out"), or "has" against "is" over the same object. */
  relationChange: boolean;
  /** A shared word fills opposed roles ("from German" / "into German"). */
  roleChange: boolean;
  /** A shared proper name is part of a longer name on one side only ("York" / "New York"). */
  nameExtended: boolean;
  /** The memory's object is missing from the candidate ("interviews candidates" / "is interviewing"). */
  objectDropped: boolean;
}

const sameWord = (a: string, b: string) => a === b || stem(a) === stem(b) || related(a, b);

/**
 * Same referent: every word of each subject has a counterpart in the other (both empty: the user). A subject word
 * the other fact says as its verb is an attribute, not another referent ("ferret's name is X" / "ferret is named X").
 */
export function sameSubject(fa: Frame, fb: Frame): boolean {
  const a = fa.subject.filter((w) => !sameWord(w, fb.predicate)), b = fb.subject.filter((w) => !sameWord(w, fa.predicate));
  if (!a.length || !b.length) return a.length === b.length;
  return a.every((x) => b.some((y) => sameWord(x, y))) && b.every((y) => a.some((x) => sameWord(x, y)));
}

// Prepositions that give a shared word opposite roles (a closed class).
const OPPOSED: [string, string[]][] = [
  ['from', ['to', 'into', 'onto', 'toward', 'towards']], ['for', ['against']], ['with', ['without']],
  ['before', ['after']], ['above', ['below']], ['over', ['under']], ['in', ['out']],
];
const opposed = (x: string, y: string) => OPPOSED.some(([a, bs]) => (x === a && bs.includes(y)) || (y === a && bs.includes(x)));
const LIGHT = new Set(['be', 'have']);

function roleOf(f: Frame, w: string): string | undefined {
  return f.roles.find(([x]) => x === w)?.[1];
}

/** A name of `f` whose words are all shared, next to a name word of `g` that is not: "York" / "New York". */
function nameInsideLonger(f: Frame, fs: Shape, fTo: number[], g: Frame, gs: Shape, gTo: number[]): boolean {
  const gNameWords = new Set(g.names.flat());
  for (const run of f.names) {
    const toks = fs.toks.filter((t) => run.includes(t.w));
    if (!toks.length || toks.some((t) => fTo[t.i] === -1)) continue;
    for (const t of toks) {
      const u = gs.toks[fTo[t.i]!]!;
      if (!gNameWords.has(u.w)) continue;
      const nb = [gs.toks[u.i - 1], gs.toks[u.i + 1]];
      if (nb.some((x) => x && Math.abs(x.wi - u.wi) === 1 && gTo[x.i] === -1 && gNameWords.has(x.w))) return true;
    }
  }
  return false;
}

export function frameSignals(mem: Frame, cand: Frame, A: Shape, B: Shape, al: Alignment): FrameSignals {
  const sharedObj = mem.roles.some(([w, r]) => r === 'obj' && cand.roles.some(([x, q]) => q === 'obj' && sameWord(w, x)));
  const relationChange = (mem.predicate === cand.predicate && mem.particle !== cand.particle)
    || (LIGHT.has(mem.predicate) && LIGHT.has(cand.predicate) && mem.predicate !== cand.predicate && sharedObj);
  let roleChange = false;
  for (const [w, r] of mem.roles) {
    const q = roleOf(cand, w);
    if (q && opposed(r, q)) { roleChange = true; break; }
  }
  const memObj = mem.roles.filter(([, r]) => r === 'obj').map(([w]) => w);
  const objectDropped = mem.predicate === cand.predicate && memObj.length > 0
    && !memObj.some((w) => cand.roles.some(([x]) => sameWord(w, x)));
  return {
    subjectChange: !sameSubject(mem, cand),
    relationChange, roleChange, objectDropped,
    nameExtended: nameInsideLonger(mem, A, al.memTo, cand, B, al.candTo) || nameInsideLonger(cand, B, al.candTo, mem, A, al.memTo),
  };
}
