// Closed-class English word lists the guards use. General resources written by hand (grammar and common
// sentiment vocabulary), never drawn from any evaluation set.

export const NEGATORS = new Set(['not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'without', 'cannot']);

/** Auxiliaries and light verbs: structure words, not content. */
export const LIGHT_VERBS = new Set(['is', 'am', 'are', 'was', 'were', 'be', 'been', 'being', 'has', 'have', 'had', 'having',
  'do', 'does', 'did', 'doing', 'get', 'gets', 'got', 'can', 'could', 'would', 'should', 'shall', 'may', 'might', 'must']);

export const COPULAS = new Set(['is', 'are', 'was', 'were', 'am']);

export const STOPWORDS = new Set(('a an the and or but of to in on at for with by from as ' +
  'this that these those it its i me my we our you your he him his she her they them their theirs ' +
  'user very really quite so just also too there here who which what when where how about into than then ' +
  'onto upon another each every all any some much pretty usually often generally currently now still yet').split(' '));

/** Phrasal-verb particles: "rents" and "rents out" are different relations, so these stay content. */
export const PARTICLES = new Set(['out', 'up', 'off', 'away', 'down', 'over', 'back']);

/** Words that state a liking (+1) or a dislike (-1) of what follows. */
export const SENTIMENT = new Map<string, number>([
  ...['like', 'likes', 'liked', 'love', 'loves', 'loved', 'enjoy', 'enjoys', 'enjoyed', 'adore', 'adores', 'fan', 'fond',
    'favourite', 'favorite', 'passionate', 'keen', 'appreciate', 'appreciates', 'comfortable', 'good'].map((w) => [w, 1] as const),
  ...['dislike', 'dislikes', 'disliked', 'hate', 'hates', 'hated', 'detest', 'detests', 'loathe', 'loathes', 'dread', 'dreads',
    'despise', 'despises', 'annoying', 'annoyed', 'awful', 'unbearable', 'terrible', 'horrible', 'disgusting', 'boring',
    'gross', 'nervous', 'afraid', 'scared', 'anxious', 'uncomfortable', 'bad', 'irritating', 'irritated'].map((w) => [w, -1] as const),
]);
/** "can not stand", "can not bear": a dislike spelled with a negation. */
export const DISLIKE_PHRASES = [/\bcan not (?:stand|bear)\b/, /\b(?:not|never) (?:a )?fan of\b/];

/** Verbs that end a state: the new fact says the old one no longer holds. */
export const CESSATION = new Set(['stop', 'stopped', 'stops', 'stopping', 'quit', 'quits', 'quitting', 'left', 'leave', 'leaves',
  'leaving', 'switched', 'switch', 'switching', 'moved', 'relocated', 'sold', 'selling', 'cancelled', 'canceled', 'divorced', 'died',
  'retired', 'former', 'formerly', 'ex', 'lose', 'loses', 'losing', 'lost', 'traded', 'anymore', 'longer']);
/** Phrasal state changes ("gave up", "broke up"): the verb alone means something else. */
export const CESSATION_PHRASES = /\b(?:gave|give|gives|giving|broke|break|split|splits|called|call|dropped|drop|moved|move) (?:up|off|out)\b/;

/** Where the scope of a negator or a state-change verb ends. */
export const SCOPE_BREAK = new Set(['and', 'but', 'or', 'because', 'since', 'while', 'when', 'after', 'before', 'in', 'on', 'at',
  'for', 'from', 'with', 'by', 'so', 'than', 'that', 'which', 'who', 'although', 'though', 'if', 'unless', 'until', 'as']);

export const MONTHS = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
  'november', 'december', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);
export const WEEKDAYS = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'mondays', 'tuesdays', 'wednesdays', 'thursdays', 'fridays', 'saturdays', 'sundays']);

/** Predicates that hold one value at a time ("lives in X", "prefers X"): a different X replaces the old one. */
export const FUNCTIONAL = new Set(['live', 'lives', 'lived', 'living', 'prefer', 'prefers', 'preferred', 'reside', 'resides',
  'based', 'born', 'favourite', 'favorite', 'named', 'name', 'called', 'age', 'aged', 'turned', 'weighs', 'weigh']);

// A general antonym table (common adjective and verb opposites).
const ANTONYM_PAIRS: [string, string][] = [
  ['married', 'divorced'], ['married', 'single'], ['alive', 'dead'], ['employed', 'unemployed'], ['happy', 'unhappy'],
  ['old', 'young'], ['older', 'younger'], ['tall', 'short'], ['early', 'late'], ['hot', 'cold'], ['big', 'small'],
  ['large', 'small'], ['introvert', 'extrovert'], ['introverted', 'extroverted'], ['before', 'after'], ['always', 'never'],
  ['allowed', 'forbidden'], ['start', 'stop'], ['started', 'stopped'], ['starts', 'stops'], ['win', 'lose'], ['won', 'lost'],
  ['buy', 'sell'], ['bought', 'sold'], ['accept', 'reject'], ['agree', 'disagree'], ['visible', 'invisible'],
  ['left', 'right'], ['more', 'less'], ['most', 'least'], ['best', 'worst'], ['good', 'bad'], ['vegan', 'carnivore'],
  ['morning', 'evening'], ['night', 'day'], ['sober', 'drunk'], ['rich', 'poor'], ['full time', 'part time'],
  ['remote', 'office'], ['online', 'offline'], ['open', 'closed'], ['sweet', 'savory'], ['quiet', 'loud'],
  ['light', 'heavy'], ['fast', 'slow'], ['cheap', 'expensive'], ['easy', 'hard'], ['easy', 'difficult'], ['wet', 'dry'],
  ['healthy', 'sick'], ['healthy', 'ill'], ['strong', 'weak'], ['safe', 'dangerous'], ['male', 'female'], ['pass', 'fail'],
  ['passed', 'failed'], ['include', 'exclude'], ['increase', 'decrease'], ['gain', 'lose'], ['gained', 'lost'], ['upstairs', 'downstairs'],
  ['inside', 'outside'], ['indoor', 'outdoor'], ['indoors', 'outdoors'], ['first', 'last'], ['minimum', 'maximum'],
];
export const ANTONYMS = new Map<string, Set<string>>();
for (const [a, b] of ANTONYM_PAIRS) {
  if (!ANTONYMS.has(a)) ANTONYMS.set(a, new Set());
  if (!ANTONYMS.has(b)) ANTONYMS.set(b, new Set());
  ANTONYMS.get(a)!.add(b); ANTONYMS.get(b)!.add(a);
}
