// The report as terminal tables.
import type { Rate, Report } from './aggregate.js';

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const pad = (s: string | number, n: number) => String(s).padEnd(n);
const lpad = (s: string | number, n: number) => String(s).padStart(n);

function rateTable(title: string, rows: Record<string, Rate>): string[] {
  const out = [title, `  ${pad('', 22)}${lpad('decisions', 11)}${lpad('reversed', 10)}${lpad('rate', 10)}`];
  for (const [k, r] of Object.entries(rows)) out.push(`  ${pad(k, 22)}${lpad(r.decisions, 11)}${lpad(r.reversals, 10)}${lpad(pct(r.rate), 10)}`);
  return out;
}

export function reportText(r: Report): string {
  const lines: string[] = [
    `memdedup report (${r.store}): decisions since ${r.since}`,
    `  ${r.decisions.total} decisions, ${r.reversals.total} undone (${pct(r.reversals.rate)}); duplicate+updated ${r.reversals.merges.decisions}, `
      + `undone ${r.reversals.merges.reversals} (${pct(r.reversals.merges.rate)}); ${r.reversals.forgetsAfterMerge} forgotten within 24 h of a merge`,
    '',
    ...rateTable('by action', r.reversals.byAction), '',
    ...rateTable('by method', r.reversals.byMethod), '',
    'most frequent reasons among reversed decisions',
    ...(r.reversals.topReasons.length
      ? r.reversals.topReasons.map((x) => `  ${pad(x.reason, 22)}${lpad(x.reversals, 6)} reversed of ${x.decisions} (${pct(x.rate)})`)
      : ['  (none reversed)']),
    '',
    'policies side by side',
    `  ${pad('policy', 16)}${lpad('decisions', 11)}${lpad('reversed', 10)}${lpad('rate', 10)}${lpad('merges', 9)}${lpad('undone', 8)}${lpad('merge rate', 12)}${lpad('forgets', 9)}`,
  ];
  for (const [name, p] of Object.entries(r.policies)) {
    lines.push(`  ${pad(name, 16)}${lpad(p.decisions, 11)}${lpad(p.reversals, 10)}${lpad(pct(p.rate), 10)}${lpad(p.merges.decisions, 9)}`
      + `${lpad(p.merges.reversals, 8)}${lpad(pct(p.merges.rate), 12)}${lpad(p.forgetsAfterMerge, 9)}`);
  }
  lines.push('', 'decisions by reason', ...Object.entries(r.decisions.byReason).sort(([, a], [, b]) => b - a).map(([k, n]) => `  ${pad(k, 22)}${lpad(n, 11)}`));
  return `${lines.join('\n')}\n`;
}
