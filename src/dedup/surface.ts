// Surface canonicalization applied by normalize(): general English tables only (US state codes, units,
// times, heights, ordinals, contractions written without the apostrophe). Nothing here is learned from data.

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
const UNIT_SUFFIX = /(\d)(km|kg|lb|lbs|mg|gb|tb|cm|ml|mm|min|mins|hr|hrs|h|k|x|am|pm|ft|mi)\b/g;

/**
 * Times, ranges, heights, ordinals, units, "2x"/"twice", years written '21. Input is case-folded and has number words as digits.
 */
export function canonicalizeQuantities(s: string): string {
  s = s.replace(ORDINAL_RE, (w) => ORDINALS[w]!);
  s = s.replace(/\b(\d{1,2})(?::(\d\d))?\s*([ap])\.?\s?m\b\.?/g, (_m, h: string, mm: string | undefined, ap: string) => `${h}${mm && mm !== '00' ? ':' + mm : ''} ${ap}m`);
  s = s.replace(/\bhalf past (\d{1,2})\b/g, '$1:30').replace(/\bquarter past (\d{1,2})\b/g, '$1:15')
    .replace(/\bquarter to (\d{1,2})\b/g, (_m, h: string) => `${(Number(h) + 11) % 12 || 12}:45`);
  s = s.replace(/\bnoon\b/g, '12 pm').replace(/\bmidnight\b/g, '12 am');
  s = s.replace(/\b(?:twice)\b/g, '2 times').replace(/\b(?:thrice)\b/g, '3 times');
  // '21 → 2021, '95 → 1995 (a two-digit year after an apostrophe).
  s = s.replace(/(^|\s)'(\d\d)\b/g, (_m, pre: string, yy: string) => `${pre}${Number(yy) <= 40 ? '20' : '19'}${yy}`);
  s = s.replace(/(\d)\s*-\s*(\d)/g, '$1 to $2');
  s = s.replace(UNIT_SUFFIX, '$1 $2');
  // Letters glued to digits in model names: "cx5" and "cx-5" read the same.
  s = s.replace(/\b([a-z]+)-?(\d+)\b/g, '$1 $2');
  s = s.replace(/\bx\b(?= (?:a|an|per|every|each)\b)/g, 'times');
  for (const [re, to] of UNITS) s = s.replace(re, to);
  // Heights: 6 ft 2 in, 6'2", 6 foot 2.
  s = s.replace(/\b(\d)\s*'\s*(\d{1,2})\s*(?:"|'')?/g, '$1 ft $2 in').replace(/\b(\d) ft (\d{1,2})\b(?! in)/g, '$1 ft $2 in');
  return s;
}
