// A hand-written SVG: duplicate precision and recall across the similarity threshold, the configured one marked.
import type { PrPoint } from './metrics.js';

const W = 640, H = 400, L = 56, R = 20, T = 36, B = 52;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function prPlotSvg(points: PrPoint[], configured: number, title: string): string {
  const x = (t: number) => L + t * (W - L - R);
  const y = (v: number) => T + (1 - v) * (H - T - B);
  const line = (key: 'precision' | 'recall') => points.map((p, i) => `${i ? 'L' : 'M'}${x(p.threshold).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  const grid: string[] = [];
  for (let i = 0; i <= 10; i++) {
    const v = i / 10;
    grid.push(`<line x1="${x(0)}" y1="${y(v)}" x2="${x(1)}" y2="${y(v)}" stroke="#eee"/>`);
    grid.push(`<text x="${L - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${v.toFixed(1)}</text>`);
    grid.push(`<line x1="${x(v)}" y1="${y(0)}" x2="${x(v)}" y2="${y(0) + 4}" stroke="#333"/>`);
    grid.push(`<text x="${x(v)}" y="${y(0) + 18}" text-anchor="middle" font-size="11">${v.toFixed(1)}</text>`);
  }
  const at = points.reduce((best, p) => (Math.abs(p.threshold - configured) < Math.abs(best.threshold - configured) ? p : best), points[0]!);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>
${grid.join('\n')}
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(0)}" stroke="#333"/>
<line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(1)}" stroke="#333"/>
<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle" font-size="12">duplicate similarity threshold</text>
<path d="${line('precision')}" fill="none" stroke="#1f77b4" stroke-width="2"/>
<path d="${line('recall')}" fill="none" stroke="#d62728" stroke-width="2"/>
<line x1="${x(configured)}" y1="${y(0)}" x2="${x(configured)}" y2="${y(1)}" stroke="#2ca02c" stroke-dasharray="5,4"/>
<text x="${x(configured) + 4}" y="${y(1) + 12}" font-size="11" fill="#2ca02c">configured ${configured} (P=${at.precision}, R=${at.recall})</text>
<rect x="${W - R - 120}" y="${T + 6}" width="112" height="40" fill="#fff" stroke="#ccc"/>
<line x1="${W - R - 112}" y1="${T + 18}" x2="${W - R - 92}" y2="${T + 18}" stroke="#1f77b4" stroke-width="2"/>
<text x="${W - R - 86}" y="${T + 22}" font-size="11">precision</text>
<line x1="${W - R - 112}" y1="${T + 36}" x2="${W - R - 92}" y2="${T + 36}" stroke="#d62728" stroke-width="2"/>
<text x="${W - R - 86}" y="${T + 40}" font-size="11">recall</text>
</svg>
`;
}
