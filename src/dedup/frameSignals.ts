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

/** Same referent: every word of each subject has a counterpart in the other (both empty: the user). */
export function sameSubject(a: string[], b: string[]): boolean {
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

/** One name run is split by the alignment: part of it is shared, part is not. */
function splitName(f: Frame, s: Shape, to: number[]): boolean {
  for (const run of f.names) {
    if (run.length < 2) continue;
    const toks = s.toks.filter((t) => run.includes(t.w));
    if (toks.some((t) => to[t.i] !== -1) && toks.some((t) => to[t.i] === -1)) return true;
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
    subjectChange: !sameSubject(mem.subject, cand.subject),
    relationChange, roleChange, objectDropped,
    nameExtended: splitName(mem, A, al.memTo) || splitName(cand, B, al.candTo),
  };
}
