// Hand-written SVG charts: no plotting dependency, readable in any browser or on GitHub.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (x) => (x >= 1000 ? `${(x / 1000).toFixed(x >= 10_000 ? 0 : 1)}k` : x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2));
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea'];

function frame(w, h, title, body) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">
<rect width="${w}" height="${h}" fill="#fff"/>
<text x="${w / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>
${body}
</svg>
`;
}

/** Log-log line chart: series = [{ name, points: [[x, y], ...] }]. */
export function lineChart({ title, xLabel, yLabel, series, width = 640, height = 400 }) {
  const m = { l: 70, r: 150, t: 40, b: 50 };
  const pw = width - m.l - m.r, ph = height - m.t - m.b;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter((y) => y > 0);
  const lx0 = Math.floor(Math.log10(Math.min(...xs))), lx1 = Math.ceil(Math.log10(Math.max(...xs)));
  const ly0 = Math.floor(Math.log10(Math.min(...ys))), ly1 = Math.max(ly0 + 1, Math.ceil(Math.log10(Math.max(...ys))));
  const X = (x) => m.l + ((Math.log10(x) - lx0) / (lx1 - lx0 || 1)) * pw;
  const Y = (y) => m.t + ph - ((Math.log10(Math.max(y, 10 ** ly0)) - ly0) / (ly1 - ly0)) * ph;
  let body = '';
  for (let e = lx0; e <= lx1; e++) body += `<line x1="${X(10 ** e)}" x2="${X(10 ** e)}" y1="${m.t}" y2="${m.t + ph}" stroke="#eee"/><text x="${X(10 ** e)}" y="${m.t + ph + 16}" text-anchor="middle">${fmt(10 ** e)}</text>\n`;
  for (let e = ly0; e <= ly1; e++) body += `<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(10 ** e)}" y2="${Y(10 ** e)}" stroke="#eee"/><text x="${m.l - 6}" y="${Y(10 ** e) + 4}" text-anchor="end">${fmt(10 ** e)}</text>\n`;
  body += `<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>\n`;
  body += `<text x="${m.l + pw / 2}" y="${height - 12}" text-anchor="middle">${esc(xLabel)}</text>\n`;
  body += `<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>\n`;
  series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length];
    body += `<polyline fill="none" stroke="${c}" stroke-width="2" points="${s.points.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ')}"/>\n`;
    for (const [x, y] of s.points) body += `<circle cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="4" fill="${c}"/><text x="${X(x) + 6}" y="${Y(y) - 6}" fill="${c}">${fmt(y)}</text>\n`;
    body += `<rect x="${m.l + pw + 16}" y="${m.t + 10 + i * 20}" width="12" height="12" fill="${c}"/><text x="${m.l + pw + 34}" y="${m.t + 20 + i * 20}">${esc(s.name)}</text>\n`;
  });
  return frame(width, height, title, body);
}

/** Horizontal bar chart on a log scale (the bars differ by orders of magnitude): bars = [{ name, value, note? }]. */
export function barChart({ title, unit, bars, width = 720, height = 60 + bars.length * 50 }) {
  const m = { l: 170, r: 190, t: 40, b: 30 };
  const pw = width - m.l - m.r;
  const max = Math.max(...bars.map((b) => b.value));
  const e1 = Math.ceil(Math.log10(max));
  const W = (v) => (Math.max(0, Math.log10(Math.max(v, 1))) / e1) * pw;
  let body = '';
  for (let e = 0; e <= e1; e++) body += `<line x1="${m.l + W(10 ** e)}" x2="${m.l + W(10 ** e)}" y1="${m.t}" y2="${height - m.b}" stroke="#eee"/><text x="${m.l + W(10 ** e)}" y="${height - m.b + 16}" text-anchor="middle">${fmt(10 ** e)}</text>\n`;
  bars.forEach((b, i) => {
    const y = m.t + 10 + i * 50;
    body += `<text x="${m.l - 8}" y="${y + 20}" text-anchor="end">${esc(b.name)}</text>\n`;
    body += `<rect x="${m.l}" y="${y}" width="${W(b.value).toFixed(1)}" height="30" fill="${COLORS[i % COLORS.length]}"/>\n`;
    body += `<text x="${m.l + W(b.value) + 6}" y="${y + 20}">${fmt(b.value)} ${esc(unit)}${b.note ? ` ${esc(b.note)}` : ''}</text>\n`;
  });
  return frame(width, height, title, body);
}
