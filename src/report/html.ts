// `memdedup report --html`: one self-contained page (inline CSS and SVG, no script, nothing fetched), so it
// can be mailed, attached to a ticket or opened offline.
import { DECISION_ACTIONS, type Rate, type Report } from './aggregate.js';
import { esc, groupedBars, horizontalBars, lines } from './svg.js';

/** The alert's threshold, drawn on the reversal chart for scale. */
const ALERT_RATE = 0.02;
const pct = (x: number) => `${(x * 100).toFixed(x !== 0 && x < 0.01 ? 2 : 1)} %`;
const int = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(0)}k` : x >= 1000 ? `${(x / 1000).toFixed(1)}k` : x.toFixed(x % 1 ? 1 : 0));

function table(head: string[], rows: Array<Array<string | number>>): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>\n`
    + rows.map((r) => `<tr>${r.map((c) => `<td${typeof c === 'number' || / %$/.test(c) ? ' class="n"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('\n')
    + '\n</tbody></table>';
}

const rateRow = (name: string, r: Rate) => [name, r.decisions, r.reversals, pct(r.rate)];

export function reportHtml(r: Report): string {
  const names = Object.keys(r.policies);
  const actions = DECISION_ACTIONS.filter((a) => (r.decisions.byAction[a] ?? 0) > 0);
  const per = (f: (p: Report['policies'][string], a: string) => number) => actions.map((a) => ({ name: a, values: names.map((n) => f(r.policies[n]!, a)) }));
  const days = r.daily.map((d) => d.day);
  const dayValue = (n: string, key: 'rate' | 'decisions') => days.map((d) => r.policies[n]!.daily.find((x) => x.day === d)?.[key] ?? 0);
  const charts = [
    groupedBars({ title: 'Decisions by action and policy', series: names, format: int,
      groups: per((p, a) => p.byAction[a]?.decisions ?? 0) }),
    groupedBars({ title: 'Reversal rate by action and policy (undone / decided)', series: names, format: pct,
      groups: [...per((p, a) => p.byAction[a]?.rate ?? 0), { name: 'duplicate+updated', values: names.map((n) => r.policies[n]!.merges.rate) }],
      line: { value: ALERT_RATE, label: `alert at ${pct(ALERT_RATE)}` } }),
    horizontalBars({ title: 'Most frequent reasons among reversed decisions',
      rows: r.reversals.topReasons.map((x) => ({ name: x.reason, value: x.reversals, label: `${x.reversals} of ${x.decisions} (${pct(x.rate)})` })) }),
    lines({ title: 'Reversal rate per day, by policy', x: days, format: pct, series: names.map((n) => ({ name: n, values: dayValue(n, 'rate') })) }),
    lines({ title: 'Decisions per day, by policy', x: days, format: int, series: names.map((n) => ({ name: n, values: dayValue(n, 'decisions') })) }),
  ];
  const policyRows = names.map((n) => {
    const p = r.policies[n]!;
    return [n, p.decisions, p.reversals, pct(p.rate), p.merges.decisions, p.merges.reversals, pct(p.merges.rate), p.forgetsAfterMerge,
      p.topReasons.slice(0, 3).map((x) => `${x.reason} (${x.reversals})`).join(', ') || '—'];
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>memdedup report since ${esc(r.since.slice(0, 10))}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#111;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.sub{color:#555;margin:0 0 16px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:8px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:22px}.card span{color:#555;font-size:12px}
table{border-collapse:collapse;margin:8px 0}th,td{border-bottom:1px solid #e5e5e5;padding:4px 10px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th{background:#f6f6f6}.charts svg{display:block;margin:12px 0;max-width:100%;height:auto}.two{display:flex;gap:24px;flex-wrap:wrap}
</style></head><body>
<h1>memdedup dedup quality</h1>
<p class="sub">Decisions made from ${esc(r.since)} to ${esc(r.until)} (${esc(r.store)} store, ${r.events} events read). A reversal is an undo of a decision; a forget within 24 h of a merge is weaker evidence, counted apart.</p>
<div class="cards">
<div class="card"><b>${r.decisions.total}</b><span>decisions</span></div>
<div class="card"><b>${r.reversals.total}</b><span>reversed (${pct(r.reversals.rate)})</span></div>
<div class="card"><b>${pct(r.reversals.merges.rate)}</b><span>duplicate+updated undone (${r.reversals.merges.reversals} of ${r.reversals.merges.decisions})</span></div>
<div class="card"><b>${r.reversals.forgetsAfterMerge}</b><span>forgotten within 24 h of a merge</span></div>
<div class="card"><b>${names.length}</b><span>policies: ${esc(names.join(', '))}</span></div>
</div>
<h2>Policies side by side</h2>
${table(['policy', 'decisions', 'reversed', 'rate', 'dup+upd', 'undone', 'dup+upd rate', 'forgets after merge', 'top reversed reasons'], policyRows)}
<div class="charts">${charts.join('\n')}</div>
<h2>Reversals by action and by method</h2>
<div class="two">${table(['action', 'decisions', 'reversed', 'rate'], Object.entries(r.reversals.byAction).map(([k, v]) => rateRow(k, v)))}
${table(['method', 'decisions', 'reversed', 'rate'], Object.entries(r.reversals.byMethod).map(([k, v]) => rateRow(k, v)))}</div>
<h2>Decisions by reason</h2>
${table(['reason', 'decisions'], Object.entries(r.decisions.byReason).sort(([, a], [, b]) => b - a).map(([k, n]) => [k, n]))}
</body></html>
`;
}
