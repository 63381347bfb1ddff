// Synthetic facts from templates of attributes and values: no data set is read.
// A fact is an index into a large space; each kind of candidate (surface duplicate, reworded, refinement,
// conflict, new) is a different rendering of a fact, so the workload's mix is known by construction.
import { pick } from './rng.mjs';

const cross = (mods, nouns) => mods.flatMap((m) => nouns.map((n) => `${m} ${n}`));

const FOODS = cross(['spicy', 'sweet', 'homemade', 'vegan', 'grilled', 'fresh', 'smoked', 'crispy'],
  ['ramen', 'tacos', 'curry', 'pizza', 'salad', 'dumplings', 'pancakes', 'sushi', 'noodles', 'burgers']);
const ACTIVITIES = cross(['trail', 'indoor', 'competitive', 'casual', 'night', 'solo'],
  ['running', 'climbing', 'swimming', 'cycling', 'chess', 'tennis', 'yoga', 'kayaking', 'photography', 'gardening']);
const CITIES = ['Lisbon', 'Osaka', 'Denver', 'Nairobi', 'Lyon', 'Quito', 'Hanoi', 'Tallinn', 'Perth', 'Austin', 'Bergen',
  'Cusco', 'Leeds', 'Porto', 'Kyoto', 'Dakar', 'Malmo', 'Ghent', 'Tucson', 'Recife', 'Split', 'Krakow', 'Busan', 'Zurich'];
const JOBS = cross(['junior', 'senior', 'freelance', 'lead'], ['nurse', 'architect', 'electrician', 'teacher', 'pilot',
  'baker', 'translator', 'geologist', 'paramedic', 'accountant', 'designer', 'carpenter']);
const ALLERGENS = ['peanuts', 'shellfish', 'pollen', 'cats', 'penicillin', 'latex', 'gluten', 'soy', 'bee stings', 'dust mites',
  'sesame', 'mustard', 'kiwi', 'eggs', 'walnuts', 'mold'];
const LANGUAGES = ['Portuguese', 'Japanese', 'Swahili', 'Finnish', 'Korean', 'Dutch', 'Tagalog', 'Hungarian', 'Greek',
  'Turkish', 'Polish', 'Icelandic', 'Hebrew', 'Vietnamese', 'Czech', 'Catalan'];
const THINGS = cross(['red', 'vintage', 'electric', 'second-hand', 'tiny', 'folding'],
  ['bicycle', 'piano', 'camera', 'kayak', 'scooter', 'telescope', 'guitar', 'sailboat', 'drone', 'typewriter']);
const SKILLS = cross(['basic', 'advanced', 'conversational', 'classical'],
  ['pottery', 'welding', 'calligraphy', 'knitting', 'woodworking', 'baking', 'painting', 'singing', 'archery', 'fencing']);
const CONTEXTS = ['in the morning', 'with friends', 'at home', 'on holidays', 'after work', 'in summer', 'in winter',
  'on Sundays', 'with family', 'when traveling', 'on rainy days', 'at night', 'during lunch breaks', 'with coworkers',
  'on Fridays', 'in the city', 'at the lake', 'in the mountains', 'near the coast', 'every spring'];
// How often: multiplies the template space so that 100k facts of one user can still be half templates.
const TIMES = ['', ' twice a week', ' every month', ' lately', ' occasionally', ' as a hobby', ' for years', ' on most weekends'];
const REFINEMENTS = [', especially on Saturdays', ' with an old school friend', ', mostly near the river', ' since childhood',
  ', usually before breakfast', ' at a club downtown', ' with their partner', ', ideally outdoors'];
const RELATIONS = ['friend', 'cousin', 'neighbor', 'coworker', 'mentor', 'dog', 'cat', 'parrot', 'niece', 'nephew', 'landlord', 'dentist'];
const SYL = ['ka', 'lo', 'mi', 'ren', 'to', 'sa', 'vi', 'dor', 'el', 'nu', 'ba', 'qui', 'zan', 'te', 'ro', 'fa', 'li', 'mor', 'pe', 'shu', 'an', 'go', 'ri', 'ves'];
const NAMES = SYL.flatMap((a) => SYL.flatMap((b) => SYL.map((c) => { const n = a + b + c; return n[0].toUpperCase() + n.slice(1); })));

// canon: the seeded memory; reword: the same fact said differently; conflict: the same attribute, incompatible.
const ATTRIBUTES = [
  { values: FOODS, canon: (v, c) => `The user likes eating ${v} ${c}`, reword: (v, c) => `User really enjoys ${v}, ${c}`, conflict: (v, c) => `The user does not like eating ${v} ${c}` },
  { values: ACTIVITIES, canon: (v, c) => `The user goes ${v} ${c}`, reword: (v, c) => `${c}, the user often does ${v}`, conflict: (v, c) => `The user never goes ${v} ${c}` },
  { values: CITIES, canon: (v, c) => `The user has an apartment in ${v} used ${c}`, reword: (v, c) => `User keeps a flat in ${v}, used ${c}`, conflict: (v, c) => `The user no longer has an apartment in ${v} used ${c}` },
  { values: JOBS, canon: (v, c) => `The user worked as a ${v} ${c}`, reword: (v, c) => `${c} the user had a job as ${v}`, conflict: (v, c) => `The user never worked as a ${v} ${c}` },
  { values: ALLERGENS, canon: (v, c) => `The user gets allergic reactions to ${v} ${c}`, reword: (v, c) => `User reacts badly to ${v} ${c}`, conflict: (v, c) => `The user does not get allergic reactions to ${v} ${c}` },
  { values: LANGUAGES, canon: (v, c) => `The user speaks ${v} ${c}`, reword: (v, c) => `User uses ${v} when speaking ${c}`, conflict: (v, c) => `The user does not speak ${v} ${c}` },
  { values: THINGS, canon: (v, c) => `The user uses a ${v} ${c}`, reword: (v, c) => `${c} the user relies on their ${v}`, conflict: (v, c) => `The user never uses a ${v} ${c}` },
  { values: SKILLS, canon: (v, c) => `The user practices ${v} ${c}`, reword: (v, c) => `User is practicing ${v} ${c}`, conflict: (v, c) => `The user does not practice ${v} ${c}` },
];
const TEMPLATE_FACTS = ATTRIBUTES.map((a) => a.values.length * CONTEXTS.length * TIMES.length);
const TEMPLATE_SPACE = TEMPLATE_FACTS.reduce((x, y) => x + y, 0);
const NAMED_SPACE = RELATIONS.length * NAMES.length;
/** How many distinct facts exist. */
export const FACT_SPACE = TEMPLATE_SPACE + NAMED_SPACE;

/** The parts of fact `i` (0 <= i < FACT_SPACE). */
function parts(i) {
  if (i >= TEMPLATE_SPACE) {
    const j = i - TEMPLATE_SPACE;
    return { named: true, rel: RELATIONS[j % RELATIONS.length], name: NAMES[Math.floor(j / RELATIONS.length)] };
  }
  let a = 0;
  while (i >= TEMPLATE_FACTS[a]) { i -= TEMPLATE_FACTS[a]; a++; }
  const attr = ATTRIBUTES[a];
  const n = attr.values.length;
  return { named: false, attr, v: attr.values[i % n], c: CONTEXTS[Math.floor(i / n) % CONTEXTS.length], t: TIMES[Math.floor(i / n / CONTEXTS.length)] };
}

/** The canonical text of a fact: what a user's seeded memory says. */
export function canon(i) {
  const p = parts(i);
  return p.named ? `The user has a ${p.rel} named ${p.name}` : p.attr.canon(p.v, p.c) + p.t;
}

const SURFACE = [
  (t) => t.toLowerCase(),
  (t) => `${t}.`,
  (t) => t.replace(/^The user /, 'User '),
  (t) => `  ${t.toUpperCase()}  `,
  (t) => t.replace(/ /g, '  '),
  (t) => t.replace(/^The user /, 'the user ') + '!',
];

/** The same fact with surface changes only (case, punctuation, spacing, subject wording). */
export function surface(i, r) { return pick(r, SURFACE)(canon(i)); }

export function reword(i) {
  const p = parts(i);
  return p.named ? `${p.name} is the user's ${p.rel}` : p.attr.reword(p.v, p.c) + p.t;
}

/** The fact with more detail: it should update the memory. */
export function refine(i, r) { return canon(i) + pick(r, REFINEMENTS); }

/** A contradiction of the fact: it should supersede the memory. */
export function conflict(i) {
  const p = parts(i);
  return p.named ? `The user does not have a ${p.rel} named ${p.name}` : p.attr.conflict(p.v, p.c) + p.t;
}

/** A random fact: half from the attribute templates, half named relations (the larger part of the space). */
export function randomFact(r) {
  return r() < 0.5 ? Math.floor(r() * TEMPLATE_SPACE) : TEMPLATE_SPACE + Math.floor(r() * NAMED_SPACE);
}

/** `n` distinct fact ids. */
export function distinctFacts(n, r) {
  if (n > FACT_SPACE * 0.9) throw new Error(`only ${FACT_SPACE} distinct facts`);
  const out = new Set();
  while (out.size < n) out.add(randomFact(r));
  return [...out];
}

export const KINDS = ['surface', 'reworded', 'refinement', 'conflict', 'new'];

/** The mix: 40 % surface duplicates, 20 % reworded, 10 % refinements, 5 % conflicts, 25 % new. */
export function kind(r) {
  const x = r();
  return x < 0.4 ? 'surface' : x < 0.6 ? 'reworded' : x < 0.7 ? 'refinement' : x < 0.75 ? 'conflict' : 'new';
}

/** A candidate text of `k` for a user holding `facts`; new facts are drawn from the space (rarely a seeded one). */
export function candidateText(k, facts, r) {
  const i = pick(r, facts);
  switch (k) {
    case 'surface': return surface(i, r);
    case 'reworded': return reword(i);
    case 'refinement': return refine(i, r);
    case 'conflict': return conflict(i);
    default: return canon(randomFact(r));
  }
}
