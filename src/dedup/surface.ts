// Surface canonicalization applied by normalize(): general English tables only (US state codes, units,
// times, heights, ordinals, contractions written without the apostrophe). Nothing here is learned from data.
import { LIGHT_VERBS, STOPWORDS } from './lexicon.js';

// Contractions people type without the apostrophe. Only forms that are not ordinary words ("wont", "cant" excepted:
// both are rare as words in memory facts and far more often the contraction).
export const BARE_CONTRACTIONS: [RegExp, string][] = [
  [/\b(do|does|did|is|are|was|were|has|have|had|could|would|should|must|need)nt\b/g, '$1 not'],
  [/\beveryday\b/g, 'every day'],
  [/\bcant\b/g, 'can not'], [/\bwont\b/g, 'will not'], [/\bim\b/g, 'i am'], [/\bive\b/g, 'i have'], [/\bidk\b/g, 'i do not know'],
];

const STATES: Record<string, string> = {
  AL: 'alabama', AK: 'alaska', AZ: 'arizona', AR: 'arkansas', CA: 'california', CO: 'colorado', CT: 'connecticut', DE: 'delaware',
  FL: 'florida', GA: 'georgia', HI: 'hawaii', ID: 'idaho', IL: 'illinois', IN: 'indiana', IA: 'iowa', KS: 'kansas', KY: 'kentucky',
  LA: 'louisiana', ME: 'maine', MD: 'maryland', MA: 'massachusetts', MI: 'michigan', MN: 'minnesota', MS: 'mississippi',
  MO: 'missouri', MT: 'montana', NE: 'nebraska', NV: 'nevada', NH: 'new hampshire', NJ: 'new jersey', NM: 'new mexico',
  NY: 'new york', NC: 'north carolina', ND: 'north dakota', OH: 'ohio', OK: 'oklahoma', OR: 'oregon', PA: 'pennsylvania',
  RI: 'rhode island', SC: 'south carolina', SD: 'south dakota', TN: 'tennessee', TX: 'texas', UT: 'utah', VT: 'vermont',
  VA: 'virginia', WA: 'washington', WV: 'west virginia', WI: 'wisconsin', WY: 'wyoming', DC: 'district of columbia',
};

/** "Portland, OR" → "portland, oregon". Runs before case folding: only upper-case codes after a comma count. */
export function expandStateCodes(s: string): string {
  return s.replace(/,\s*([A-Z]{2})\b(?!\.)/g, (m, code: string) => (STATES[code] ? `, ${STATES[code]}` : m));
}

/**
 * Runs on the text as written (case still there). Symbols that make a different name stay part of the token:
 * "C++" -> "cplusplus", "C#"/"C sharp" -> "csharp", "F#", "A+" (a grade) -> "aplus", ".NET" -> "dotnet".
 * Dotted initialisms lose their dots ("C.P.A." -> "CPA", "Ph.D." -> "PhD"). An initialism written in capitals that
 * would read as a function word once lower-cased ("IT", "US") keeps a mark so it stays a content word.
 * Abbreviated weekdays written capitalised ("Sat", "Wed") are spelled out; "&" is "and".
 */
export function canonicalizeSymbols(s: string): string {
  // Each rewrite is tried only when the text has the character (or word) it needs: most facts have none of them,
  // and a substring test is far cheaper than the regex (profile of issue 18). The results are the same.
  const dot = s.includes('.'), plus = s.includes('+') || s.includes(' plus');
  if (dot) s = s.replace(/(^|[^\p{L}\p{N}])\.net\b/giu, '$1dotnet');
  if (plus) s = s.replace(/\b([A-Za-z])\s?\+\+/g, '$1plusplus').replace(/\b([A-Za-z]) plus plus\b/g, '$1plusplus');
  if (s.includes('#') || s.includes('\u266f') || s.includes(' sharp')) {
    s = s.replace(/\b([A-Ga-g])\s?(?:#|\u266f)(?![\p{L}\p{N}])/gu, '$1sharp').replace(/\b([A-G]) sharp\b/g, '$1sharp');
  }
  if (s.includes('\u266d')) s = s.replace(/\b([A-Ga-g])\s?\u266d/g, '$1flat');
  if (plus) s = s.replace(/\b([A-F])\+(?![+\p{L}\p{N}])/gu, '$1plus').replace(/\b([A-F]) plus\b/g, '$1plus');
  if (s.includes('-')) s = s.replace(/\b([A-F])-(?![\p{L}\p{N}])/gu, '$1minus');
  if (dot) s = s.replace(/\b([A-Za-z]{1,2})((?:\.[A-Za-z]{1,2})+)\.?(?![\p{L}\p{N}])/gu, (m, first: string, rest: string) =>
    (rest.split('.').every((x) => x.length <= 2) && (first.length === 1 || rest.length <= 3) ? first + rest.replace(/\./g, '') : m));
  const shouting = !/\p{Ll}/u.test(s);
  if (!shouting) {
    s = s.replace(/\b[A-Z]{2,5}\b/g, (w) => {
      const l = w.toLowerCase();
      return STOPWORDS.has(l) || LIGHT_VERBS.has(l) ? `${l.split('').join('.')}.` : w;
    });
  }
  s = s.replace(/\b(Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\b\.?/g, (_m, d: string) => WEEKDAY_SHORT[d.toLowerCase()]!);
  return s.includes('&') ? s.replace(/\s*&\s*/g, ' and ') : s;
}

const WEEKDAY_SHORT: Record<string, string> = {
  mon: 'monday', tue: 'tuesday', tues: 'tuesday', wed: 'wednesday', thu: 'thursday', thur: 'thursday', thurs: 'thursday',
  fri: 'friday', sat: 'saturday', sun: 'sunday',
};
const MONTH_SHORT: Record<string, string> = {
  jan: 'january', feb: 'february', mar: 'march', apr: 'april', jun: 'june', jul: 'july', aug: 'august', sep: 'september',
  sept: 'september', oct: 'october', nov: 'november', dec: 'december',
};
const MONTH = '(january|february|march|april|may|june|july|august|september|october|november|december)';

/** Month and day order: "3 June", "the 3rd of June", "June 3rd" -> "june 3"; "Jan 5" -> "january 5"; "$80,000"/"80k" -> "80000". */
export function canonicalizeDates(s: string): string {
  // Every rewrite here needs a digit.
  if (!HAS_DIGIT.test(s)) return s;
  s = s.replace(/\b(jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?(?= \d)/g, (m) => MONTH_SHORT[m.replace('.', '')] ?? m);
  s = s.replace(/(\d)\s(jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?/g, (m, d: string, mo: string) => `${d} ${MONTH_SHORT[mo]}`);
  s = s.replace(new RegExp(`\\b(?:the )?(\\d{1,2})(?:st|nd|rd|th)?(?: of)? ${MONTH}\\b`, 'g'), '$2 $1');
  s = s.replace(new RegExp(`\\b${MONTH} (?:the )?(\\d{1,2})(?:st|nd|rd|th)\\b`, 'g'), '$1 $2');
  s = s.replace(/(\d),(?=\d{3}\b)/g, '$1');
  s = s.replace(/\b(\d+(?:\.\d+)?)\s?k\b/g, (_m, n: string) => String(Math.round(Number(n) * 1000)));
  return s;
}

const HAS_DIGIT = /\d/;

const ORDINALS: Record<string, string> = {
  first: '1st', second: '2nd', third: '3rd', fourth: '4th', fifth: '5th', sixth: '6th', seventh: '7th', eighth: '8th', ninth: '9th',
  tenth: '10th', eleventh: '11th', twelfth: '12th', thirteenth: '13th', fourteenth: '14th', fifteenth: '15th', twentieth: '20th',
};
const ORDINAL_RE = new RegExp(`\\b(${Object.keys(ORDINALS).join('|')})\\b`, 'g');

// Unit spellings to one canonical token each.
const UNITS: [RegExp, string][] = [
  [/\b(?:minutes?|mins?)\b/g, 'min'], [/\b(?:hours?|hrs?)\b/g, 'hr'], [/\b(?:seconds?|secs?)\b/g, 'sec'],
  [/\b(?:kilomet(?:er|re)s?|kms?)\b/g, 'km'], [/\b(?:kilograms?|kilos?|kgs?)\b/g, 'kg'], [/\b(?:pounds?|lbs?)\b/g, 'lb'],
  [/\b(?:miles?|mi)\b/g, 'mile'], [/\b(?:milligrams?|mgs?)\b/g, 'mg'], [/\b(?:gigabytes?|gbs?)\b/g, 'gb'],
  [/\b(?:terabytes?|tbs?)\b/g, 'tb'], [/\b(?:centimet(?:er|re)s?|cms?)\b/g, 'cm'], [/\b(?:millilit(?:er|re)s?|mls?)\b/g, 'ml'],
  [/\bper ?cent\b|%/g, ' percent'], [/\b(?:feet|foot|ft)\b/g, 'ft'], [/\b(?:inches|inch)\b/g, 'in'],
];
/** Some unit spelling occurs: without one, the UNITS rewrites change nothing. */
const ANY_UNIT = new RegExp(UNITS.map(([re]) => re.source).join('|'));
const UNIT_SUFFIX = /(\d)(km|kg|lb|lbs|mg|gb|tb|cm|ml|mm|min|mins|hr|hrs|h|k|x|am|pm|ft|mi)\b/g;

/**
 * Times, ranges, heights, ordinals, units, "2x"/"twice", years written '21. Input is case-folded and has number words as digits.
 */
export function canonicalizeQuantities(s: string): string {
  s = canonicalizeDates(s.replace(ORDINAL_RE, (w) => ORDINALS[w]!));
  // The rewrites guarded by `digits` all need a digit to match; the others only add digits ("noon" -> "12 pm").
  let digits = HAS_DIGIT.test(s);
  if (digits) {
    s = s.replace(/\b(\d{1,2})(?::(\d\d))?\s*([ap])\.?\s?m\b\.?/g, (_m, h: string, mm: string | undefined, ap: string) => `${h}${mm && mm !== '00' ? ':' + mm : ''} ${ap}m`);
    s = s.replace(/\bhalf past (\d{1,2})\b/g, '$1:30').replace(/\bquarter past (\d{1,2})\b/g, '$1:15')
      .replace(/\bquarter to (\d{1,2})\b/g, (_m, h: string) => `${(Number(h) + 11) % 12 || 12}:45`);
  }
  s = s.replace(/\bnoon\b/g, '12 pm').replace(/\bmidnight\b/g, '12 am');
  s = s.replace(/\b(?:twice)\b/g, '2 times').replace(/\b(?:thrice)\b/g, '3 times');
  digits ||= HAS_DIGIT.test(s);
  if (digits) {
    // '21 → 2021, '95 → 1995 (a two-digit year after an apostrophe).
    s = s.replace(/(^|\s)'(\d\d)\b/g, (_m, pre: string, yy: string) => `${pre}${Number(yy) <= 40 ? '20' : '19'}${yy}`);
    s = s.replace(/(\d)\s*-\s*(\d)/g, '$1 to $2');
    s = s.replace(UNIT_SUFFIX, '$1 $2');
    // Letters glued to digits in model names: "cx5" and "cx-5" read the same.
    s = s.replace(/\b([a-z]+)-?(\d+)\b/g, '$1 $2');
  }
  s = s.replace(/\bx\b(?= (?:a|an|per|every|each)\b)/g, 'times');
  if (ANY_UNIT.test(s)) for (const [re, to] of UNITS) s = s.replace(re, to);
  if (!digits) return s;
  // Heights: 6 ft 2 in, 6'2", 6 foot 2.
  s = s.replace(/\b(\d)\s*'\s*(\d{1,2})\s*(?:"|'')?/g, '$1 ft $2 in').replace(/\b(\d) ft (\d{1,2})\b(?! in)/g, '$1 ft $2 in');
  return s;
}
