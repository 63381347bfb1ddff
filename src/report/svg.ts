// Hand-written SVG charts for the report page: no plotting dependency, nothing fetched by the browser.
export const esc = (s: string | number): string => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777'];

export interface Group { name: string; values: number[] }

function frame(w: number, h: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="${esc(title)}">
<rect width="${w}" height="${h}" fill="#fff"/>
<text x="${w / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${esc(title)}</text>
${body}</svg>`;
}

/** A "nice" axis maximum: 1, 2 or 5 times a power of ten, at least `max`. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].find((m) => m * p >= max) ?? 10) * p;
}

function legend(series: string[], x: number, y: number): string {
  return series.map((s, i) => `<rect x="${x}" y="${y + i * 18}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`
    + `<text x="${x + 18}" y="${y + 10 + i * 18}">${esc(s)}</text>`).join('\n');
}

/**
 * Vertical grouped bars: one group per category, one bar per series (e.g. policy). `format` labels the axis and
 * the bars; `line` draws a dashed horizontal reference (e.g. the alert threshold).
 */
export function groupedBars(o: { title: string; series: string[]; groups: Group[]; format: (v: number) => string; line?: { value: number; label: string } }): string {
  const m = { l: 64, r: 190, t: 40, b: 48 };
  const width = Math.max(760, m.l + m.r + o.groups.length * (o.series.length * 22 + 60));
  const height = 320;
  const pw = width - m.l - m.r, ph = height - m.t - m.b;
  const max = niceMax(Math.max(...o.groups.flatMap((g) => g.values), o.line?.value ?? 0));
  const Y = (v: number) => m.t + ph - (v / max) * ph;
  let body = '';
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    body += `<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(v)}" y2="${Y(v)}" stroke="#eee"/><text x="${m.l - 6}" y="${Y(v) + 4}" text-anchor="end">${esc(o.format(v))}</text>\n`;
  }
  const gw = pw / Math.max(1, o.groups.length);
  const bw = Math.min(22, (gw - 16) / Math.max(1, o.series.length));
  o.groups.forEach((g, gi) => {
    const x0 = m.l + gi * gw + (gw - bw * o.series.length) / 2;
    g.values.forEach((v, si) => {
      const x = x0 + si * bw;
      body += `<rect x="${x.toFixed(1)}" y="${Y(v).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${(m.t + ph - Y(v)).toFixed(1)}" fill="${COLORS[si % COLORS.length]}"><title>${esc(`${o.series[si]} ${g.name}: ${o.format(v)}`)}</title></rect>\n`;
    });
    body += `<text x="${(m.l + gi * gw + gw / 2).toFixed(1)}" y="${m.t + ph + 16}" text-anchor="middle">${esc(g.name)}</text>\n`;
  });
  if (o.line) {
    body += `<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(o.line.value)}" y2="${Y(o.line.value)}" stroke="#dc2626" stroke-dasharray="6,4"/>`
      + `<text x="${m.l + pw + 6}" y="${Y(o.line.value) + 4}" fill="#dc2626">${esc(o.line.label)}</text>\n`;
  }
  body += `<line x1="${m.l}" x2="${m.l + pw}" y1="${m.t + ph}" y2="${m.t + ph}" stroke="#666"/>\n${legend(o.series, m.l + pw + 20, m.t + 6)}\n`;
  return frame(width, height, o.title, body);
}

/** Horizontal bars, one per row: `value` sets the length, `label` is written after it. */
export function horizontalBars(o: { title: string; rows: Array<{ name: string; value: number; label: string }> }): string {
  const m = { l: 180, r: 200, t: 40, b: 16 };
  const width = 760, height = m.t + m.b + Math.max(1, o.rows.length) * 28;
  const pw = width - m.l - m.r;
  const max = Math.max(1, ...o.rows.map((r) => r.value));
  let body = o.rows.length ? '' : `<text x="${width / 2}" y="${m.t + 16}" text-anchor="middle" fill="#666">nothing to show</text>\n`;
  o.rows.forEach((r, i) => {
    const y = m.t + i * 28;
    const w = (r.value / max) * pw;
    body += `<text x="${m.l - 8}" y="${y + 15}" text-anchor="end">${esc(r.name)}</text>`
      + `<rect x="${m.l}" y="${y + 2}" width="${w.toFixed(1)}" height="18" fill="${COLORS[0]}"/>`
      + `<text x="${m.l + w + 6}" y="${y + 15}">${esc(r.label)}</text>\n`;
  });
  return frame(width, height, o.title, body);
}

/** Lines over categories (days): one per series, with a dot per point. */
export function lines(o: { title: string; x: string[]; series: Array<{ name: string; values: number[] }>; format: (v: number) => string }): string {
  const m = { l: 64, r: 150, t: 40, b: 48 };
  const width = 760, height = 300;
  const pw = width - m.l - m.r, ph = height - m.t - m.b;
  const max = niceMax(Math.max(0, ...o.series.flatMap((s) => s.values)));
  const X = (i: number) => m.l + (o.x.length <= 1 ? pw / 2 : (i / (o.x.length - 1)) * pw);
  const Y = (v: number) => m.t + ph - (v / max) * ph;
  let body = '';
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    body += `<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(v)}" y2="${Y(v)}" stroke="#eee"/><text x="${m.l - 6}" y="${Y(v) + 4}" text-anchor="end">${esc(o.format(v))}</text>\n`;
  }
  const every = Math.max(1, Math.ceil(o.x.length / 8));
  o.x.forEach((d, i) => { if (i % every === 0) body += `<text x="${X(i)}" y="${m.t + ph + 16}" text-anchor="middle">${esc(d)}</text>\n`; });
  o.series.forEach((s, si) => {
    const c = COLORS[si % COLORS.length];
    body += `<polyline fill="none" stroke="${c}" stroke-width="2" points="${s.values.map((v, i) => `${X(i).toFixed(1)},${Y(v).toFixed(1)}`).join(' ')}"/>\n`;
    s.values.forEach((v, i) => { body += `<circle cx="${X(i).toFixed(1)}" cy="${Y(v).toFixed(1)}" r="3" fill="${c}"><title>${esc(`${s.name} ${o.x[i]}: ${o.format(v)}`)}</title></circle>`; });
    body += '\n';
  });
  body += `<line x1="${m.l}" x2="${m.l + pw}" y1="${m.t + ph}" y2="${m.t + ph}" stroke="#666"/>\n${legend(o.series.map((s) => s.name), m.l + pw + 20, m.t + 6)}\n`;
  return frame(width, height, o.title, body);
}
