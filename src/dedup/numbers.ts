// English number words to digits, up to years and thousands: "twenty-five", "three hundred and ten",
// "two thousand and five", "nineteen ninety-five" (a year, said in pairs), "eighty thousand".
// Number words are a closed class; this is grammar, not a vocabulary.

const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1_000_000 };

const WORD = [...Object.keys(UNITS), ...Object.keys(TENS), ...Object.keys(SCALES)].join('|');
// A run of number words, joined by spaces, hyphens or "and" (only between number words), or "oh" in a year.
const RUN = new RegExp(`\\b(?:${WORD})(?:(?:[- ]|\\s+and\\s+|\\s+oh\\s+)(?:${WORD}))*\\b`, 'g');

/** A value below 100 from its words ("twenty five", "twelve"), or undefined. */
function belowHundred(ws: string[]): number | undefined {
  if (ws.length === 1) return UNITS[ws[0]!] ?? TENS[ws[0]!];
  if (ws.length === 2 && TENS[ws[0]!] !== undefined && UNITS[ws[1]!] !== undefined && UNITS[ws[1]!]! > 0 && UNITS[ws[1]!]! < 10) {
    return TENS[ws[0]!]! + UNITS[ws[1]!]!;
  }
  return undefined;
}

/** The value of a run of number words, or undefined when it is not one number. */
export function parseNumberWords(run: string): number | undefined {
  const ws = run.toLowerCase().split(/[-\s]+/).filter((w) => w && w !== 'and');
  if (!ws.length) return undefined;
  // A year said in pairs: "nineteen ninety five", "twenty twenty four", "nineteen oh five".
  if (!ws.some((w) => SCALES[w])) {
    for (let cut = 1; cut < ws.length; cut++) {
      const hi = belowHundred(ws.slice(0, cut));
      const rest = ws.slice(cut);
      const lo = rest[0] === 'oh' ? belowHundred(rest.slice(1)) : belowHundred(rest);
      if (hi !== undefined && lo !== undefined && hi >= 10 && (rest[0] === 'oh' ? lo < 10 : lo >= 10)) return hi * 100 + lo;
    }
  }
  let total = 0, group = 0, k = 0;
  while (k < ws.length) {
    const w = ws[k]!;
    if (SCALES[w]) {
      const scale = SCALES[w]!;
      if (scale === 100) group = (group || 1) * 100;
      else { total += (group || 1) * scale; group = 0; }
      k++;
      continue;
    }
    const two = belowHundred(ws.slice(k, k + 2));
    const one = belowHundred([w]);
    if (two !== undefined && ws.length > k + 1) { group += two; k += 2; continue; }
    if (one === undefined) return undefined;
    // Two bare numbers in a row that are not a year ("five six") are not one number.
    if (group % 100 !== 0 && one !== undefined) return undefined;
    group += one;
    k++;
  }
  return total + group;
}

/** Replaces each run of number words in lower-case text by its digits; runs that are not one number stay. */
export function numberWordsToDigits(s: string): string {
  return s.replace(RUN, (m) => {
    const v = parseNumberWords(m.replace(/\s+oh\s+/g, ' oh '));
    if (v !== undefined) return String(v);
    // Not one number ("one or two" never reaches here; "five six" does): convert word by word.
    return m.replace(new RegExp(`\\b(?:${WORD})\\b`, 'g'), (w) => String(UNITS[w] ?? TENS[w] ?? w));
  });
}
