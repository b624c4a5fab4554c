/** Hand-written SVG charts (no dependency): line charts with min–max whiskers, and grouped bar charts. */

/** One point of a series: the median with its min and max. */
export interface Point {
  x: number;
  y: number;
  yMin?: number;
  yMax?: number;
}

export interface Series {
  name: string;
  points: Point[];
  dashed?: boolean;
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  logX?: boolean;
  logY?: boolean;
}

const W = 720;
const H = 420;
const M = { top: 48, right: 210, bottom: 56, left: 72 };
export const PALETTE = ['#1f77b4', '#2ca02c', '#d62728', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  if (a >= 1) return `${+v.toPrecision(3)}`;
  return `${+v.toPrecision(2)}`;
}

/** "Nice" linear ticks covering [lo, hi]. */
function linearTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  let v = Math.floor(lo / step) * step;
  out.push(+v.toPrecision(12));
  while (v < hi - step * 1e-9) {
    v += step;
    out.push(+v.toPrecision(12));
  }
  return out;
}

function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

function header(title: string, height = H): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${height}" fill="#ffffff"/>`,
    `<text x="${M.left}" y="26" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
}

/** A line chart: one line per series through the medians, whiskers from min to max. */
export function lineChart(spec: LineChartSpec): string {
  const pts = spec.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y));
  const xs = pts.map((p) => p.x);
  const ys = pts.flatMap((p) => [p.y, p.yMin ?? p.y, p.yMax ?? p.y]).filter((v) => Number.isFinite(v) && (!spec.logY || v > 0));
  const out = header(spec.title);
  if (pts.length === 0) {
    out.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data</text></svg>`);
    return out.join('\n');
  }
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  if (spec.logX) [x0, x1] = [10 ** Math.floor(Math.log10(x0)), 10 ** Math.ceil(Math.log10(x1))];
  else if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  let yTicks: number[];
  if (spec.logY) {
    [y0, y1] = [10 ** Math.floor(Math.log10(y0)), 10 ** Math.ceil(Math.log10(y1))];
    yTicks = logTicks(y0, y1);
  } else {
    yTicks = linearTicks(0, y1 * 1.05);
    [y0, y1] = [0, yTicks[yTicks.length - 1]!];
  }
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (x: number): number => M.left + (spec.logX ? (Math.log10(x) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0)) : (x - x0) / (x1 - x0)) * pw;
  const sy = (y: number): number => M.top + ph - (spec.logY ? (Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0)) : (y - y0) / (y1 - y0)) * ph;
  const xTicks = spec.logX ? logTicks(x0, x1) : linearTicks(x0, x1);
  out.push(`<g stroke="#e5e5e5">`);
  for (const t of yTicks) out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}"/>`);
  for (const t of xTicks) out.push(`<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${M.top}" y2="${M.top + ph}"/>`);
  out.push('</g>');
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  for (const t of yTicks) out.push(`<text x="${M.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`);
  for (const t of xTicks) out.push(`<text x="${sx(t).toFixed(1)}" y="${M.top + ph + 18}" text-anchor="middle">${fmt(t)}</text>`);
  out.push(`<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle">${esc(spec.xLabel)}${spec.logX ? ' (log scale)' : ''}</text>`);
  out.push(`<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}${spec.logY ? ' (log scale)' : ''}</text>`);
  spec.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const p = s.points.filter((q) => Number.isFinite(q.y) && (!spec.logY || q.y > 0)).sort((a, b) => a.x - b.x);
    if (p.length > 1) {
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${p.map((q) => `${sx(q.x).toFixed(1)},${sy(q.y).toFixed(1)}`).join(' ')}"/>`);
    }
    for (const q of p) {
      if (q.yMin !== undefined && q.yMax !== undefined && (!spec.logY || q.yMin > 0)) {
        out.push(`<line x1="${sx(q.x).toFixed(1)}" x2="${sx(q.x).toFixed(1)}" y1="${sy(q.yMin).toFixed(1)}" y2="${sy(q.yMax).toFixed(1)}" stroke="${color}" stroke-width="1.5"/>`);
      }
      out.push(`<circle cx="${sx(q.x).toFixed(1)}" cy="${sy(q.y).toFixed(1)}" r="3.5" fill="${color}"><title>${esc(`${s.name}: ${fmt(q.x)} → ${fmt(q.y)}`)}</title></circle>`);
    }
    const ly = M.top + 10 + i * 20;
    out.push(`<line x1="${W - M.right + 14}" x2="${W - M.right + 38}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${W - M.right + 44}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  out.push(`<text x="${W - M.right + 14}" y="${M.top + 10 + spec.series.length * 20 + 10}" fill="#666" font-size="11">dot = median, bar = min–max</text>`);
  out.push('</svg>');
  return out.join('\n');
}

export interface BarChartSpec {
  title: string;
  yLabel: string;
  /** Category labels along the x axis. */
  categories: string[];
  /** One bar per group and category. */
  groups: { name: string; values: number[] }[];
  /** A horizontal reference line (an aim). */
  reference?: { value: number; label: string };
}

/** A grouped bar chart (values ≥ 0). */
export function barChart(spec: BarChartSpec): string {
  const out = header(spec.title);
  const all = spec.groups.flatMap((g) => g.values).filter(Number.isFinite);
  const top = Math.max(...all, spec.reference?.value ?? 0, 1e-9);
  const ticks = linearTicks(0, top * 1.1);
  const y1 = ticks[ticks.length - 1]!;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sy = (y: number): number => M.top + ph - (y / y1) * ph;
  out.push(`<g stroke="#e5e5e5">`);
  for (const t of ticks) out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}"/>`);
  out.push('</g>');
  for (const t of ticks) out.push(`<text x="${M.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`);
  out.push(`<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);
  const slot = pw / Math.max(1, spec.categories.length);
  const bw = (slot * 0.8) / Math.max(1, spec.groups.length);
  spec.categories.forEach((c, ci) => {
    spec.groups.forEach((g, gi) => {
      const v = g.values[ci];
      if (v === undefined || !Number.isFinite(v)) return;
      const x = M.left + ci * slot + slot * 0.1 + gi * bw;
      out.push(`<rect x="${x.toFixed(1)}" y="${sy(v).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${(M.top + ph - sy(v)).toFixed(1)}" fill="${PALETTE[gi % PALETTE.length]}"><title>${esc(`${g.name} / ${c}: ${fmt(v)}`)}</title></rect>`);
      out.push(`<text x="${(x + bw / 2 - 1).toFixed(1)}" y="${(sy(v) - 4).toFixed(1)}" text-anchor="middle" font-size="10">${fmt(v)}</text>`);
    });
    // category labels wrap onto two lines so neighbours do not overlap
    const words = c.split(' ');
    const half = Math.ceil(words.length / 2);
    const lines = words.length > 1 ? [words.slice(0, half).join(' '), words.slice(half).join(' ')] : [c];
    const cx = (M.left + ci * slot + slot / 2).toFixed(1);
    out.push(`<text x="${cx}" y="${M.top + ph + 16}" text-anchor="middle" font-size="11">${lines.map((l, li) => `<tspan x="${cx}" dy="${li === 0 ? 0 : 13}">${esc(l)}</tspan>`).join('')}</text>`);
  });
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  if (spec.reference) {
    const ry = sy(spec.reference.value).toFixed(1);
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${ry}" y2="${ry}" stroke="#d62728" stroke-dasharray="5 4" stroke-width="1.5"/>`);
    out.push(`<text x="${M.left + 4}" y="${Number(ry) - 5}" text-anchor="start" fill="#d62728">${esc(spec.reference.label)}</text>`);
  }
  spec.groups.forEach((g, gi) => {
    const ly = M.top + 10 + gi * 20;
    out.push(`<rect x="${W - M.right + 14}" y="${ly - 6}" width="22" height="12" fill="${PALETTE[gi % PALETTE.length]}"/>`);
    out.push(`<text x="${W - M.right + 44}" y="${ly + 4}">${esc(g.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
