// The timeline chart as inline SVG (pure): no script, no font file, no
// network. Three count series over collection time, a lane of failed
// collections under the plot and a dashed line per leader change. Every point
// and marker carries a <title> (the browser shows it on hover), and each
// collection's column has one summarising all its values.
import { formatTime } from '../util/time.js';
import { chartBuckets, type ChartBucket } from './chart-buckets.js';
import { escapeHtml } from './escape.js';
import type { SeriesPoint } from './report-model.js';

/** A coordinate to one decimal: enough for a screen, and short. */
const n = (v: number) => (Math.round(v * 10) / 10).toString();

// Each series differs in colour, dash and point shape, so overlapping lines stay apart (and colour is not the only cue).
export const SERIES = [
  { key: 'missing', label: 'hosts in /missing', color: '#c62828', width: 3.5, dash: '', shape: 'circle' },
  { key: 'offline', label: 'nodes probed OFFLINE', color: '#ef6c00', width: 2.5, dash: '8 4', shape: 'square' },
  { key: 'drift', label: 'open drift episodes', color: '#6a1b9a', width: 2, dash: '2 3', shape: 'diamond' },
] as const;

type Shape = (typeof SERIES)[number]['shape'];

/** A point's outline centred on (cx, cy), as path data; `r` is its half-width. */
export function pointPath(shape: Shape, cx: number, cy: number, r = 4): string {
  if (shape === 'square') return `M${n(cx - r * 0.85)} ${n(cy - r * 0.85)}h${n(r * 1.7)}v${n(r * 1.7)}h${n(-r * 1.7)}z`;
  if (shape === 'diamond') return `M${n(cx)} ${n(cy - r * 1.25)}l${n(r * 1.25)} ${n(r * 1.25)}l${n(-r * 1.25)} ${n(r * 1.25)}l${n(-r * 1.25)} ${n(-r * 1.25)}z`;
  return `M${n(cx - r)} ${n(cy)}a${n(r)} ${n(r)} 0 1 0 ${n(2 * r)} 0a${n(r)} ${n(r)} 0 1 0 ${n(-2 * r)} 0z`;
}

/** Points closer than this (px) are drawn small, so a dense series stays a line. */
const SPARSE_SPACING = 12;
export const MARKER_COLORS = { partial: '#f9a825', unavailable: '#212121', leader: '#1565c0' } as const;

export interface ChartOptions {
  width?: number;
  height?: number;
  /** Collections drawn apart before runs of them are merged into one point. */
  maxPoints?: number;
}

const M = { left: 56, right: 24, top: 24, bottom: 84 };

/** 1, 2 or 5 × 10^k, at least `raw`. */
export function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  return [1, 2, 5, 10].map((f) => f * p).find((s) => s >= raw) ?? 10 * p;
}

function range(b: ChartBucket): string {
  return b.collections === 1 ? `#${b.from.id} ${formatTime(b.from.startedAt)}` : `#${b.from.id}–#${b.to.id} (${b.collections} collections, largest values)`;
}

const value = (v: number | null) => (v === null ? 'unknown' : String(v));

function columnTitle(b: ChartBucket): string {
  const parts = [`${range(b)}: missing ${value(b.missing)}, offline ${value(b.offline)}, open drift ${b.drift}`];
  if (b.partial + b.unavailable) parts.push(`${b.partial + b.unavailable} failed (${b.failedSources.join(', ')})`);
  if (b.leaderChanges.length) parts.push(`leader changed: ${b.leaderChanges.join(', ')}`);
  return parts.join('; ');
}

/** Where everything goes: the plot's box, its time and count scales, and a bucket's x. */
interface Frame {
  W: number;
  H: number;
  plot: { x0: number; x1: number; y0: number; y1: number };
  t0: number;
  t1: number;
  /** The count axis: gridlines every `step` up to `top`. */
  step: number;
  top: number;
  x(t: number): number;
  y(v: number): number;
  /** A bucket's x: the middle of its collections' times. */
  at(b: ChartBucket): number;
  /** Pixels between neighbouring points (Infinity for one point or none): the hover columns' width and the points' size. */
  spacing: number;
}

function frameOf(buckets: readonly ChartBucket[], W: number, H: number): Frame {
  const plot = { x0: M.left, x1: W - M.right, y0: M.top, y1: H - M.bottom };
  const t0 = buckets[0]?.from.startedAt ?? 0;
  const t1 = buckets[buckets.length - 1]?.to.startedAt ?? 0;
  const x = (t: number) => (t1 === t0 ? (plot.x0 + plot.x1) / 2 : plot.x0 + ((t - t0) / (t1 - t0)) * (plot.x1 - plot.x0));
  const peak = Math.max(1, ...buckets.flatMap((b) => [b.missing ?? 0, b.offline ?? 0, b.drift]));
  const step = niceStep(peak / 4);
  const top = Math.ceil(peak / step) * step;
  const y = (v: number) => plot.y1 - (v / top) * (plot.y1 - plot.y0);
  const spacing = buckets.length > 1 ? (plot.x1 - plot.x0) / (buckets.length - 1) : Infinity;
  return { W, H, plot, t0, t1, step, top, x, y, at: (b) => x((b.from.startedAt + b.to.startedAt) / 2), spacing };
}

/** Gridlines, both axes and their labels, and the label of the failed lane. */
function axes({ H, plot, t0, t1, step, top, x, y }: Frame): string[] {
  const out: string[] = [];
  for (let v = 0; v <= top; v += step) {
    out.push(`<line class="grid" x1="${plot.x0}" x2="${plot.x1}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="#e0e0e0"/>`);
    out.push(`<text class="tick" x="${plot.x0 - 8}" y="${n(y(v) + 4)}" text-anchor="end" font-size="12" fill="#424242">${v}</text>`);
  }
  out.push(`<line class="axis" x1="${plot.x0}" x2="${plot.x0}" y1="${plot.y0}" y2="${plot.y1}" stroke="#616161"/>`);
  out.push(`<line class="axis" x1="${plot.x0}" x2="${plot.x1}" y1="${plot.y1}" y2="${plot.y1}" stroke="#616161"/>`);
  out.push(`<text x="14" y="${n((plot.y0 + plot.y1) / 2)}" font-size="12" fill="#424242" transform="rotate(-90 14 ${n((plot.y0 + plot.y1) / 2)})" text-anchor="middle">count</text>`);
  const ticks = t1 === t0 ? [t0] : [0, 1, 2, 3, 4].map((i) => t0 + ((t1 - t0) * i) / 4);
  ticks.forEach((t, i) => {
    const anchor = ticks.length === 1 ? 'middle' : i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle';
    out.push(`<text class="tick" x="${n(x(t))}" y="${plot.y1 + 44}" text-anchor="${anchor}" font-size="12" fill="#424242">${escapeHtml(formatTime(Math.round(t)))}</text>`);
  });
  out.push(`<text x="${plot.x0 - 8}" y="${plot.y1 + 22}" text-anchor="end" font-size="11" fill="#424242">failed</text>`);
  out.push(`<text x="${n((plot.x0 + plot.x1) / 2)}" y="${H - 10}" text-anchor="middle" font-size="12" fill="#424242">collection start (UTC)</text>`);
  return out;
}

/** One hover column per point, under everything else, so any x position has a summary. */
function hoverColumns({ plot, at, spacing }: Frame, buckets: readonly ChartBucket[]): string[] {
  const half = spacing === Infinity ? 20 : Math.max(2, spacing / 2);
  return buckets.map((b) => {
    const cx = at(b);
    return `<rect class="hover" x="${n(cx - half)}" y="${plot.y0}" width="${n(2 * half)}" height="${plot.y1 - plot.y0 + 30}" fill="transparent"><title>${escapeHtml(columnTitle(b))}</title></rect>`;
  });
}

function leaderMarkers({ plot, at }: Frame, buckets: readonly ChartBucket[]): string[] {
  return buckets
    .filter((b) => b.leaderChanges.length)
    .map((b) => {
      const cx = n(at(b));
      const what = `${range(b)}: leader changed: ${b.leaderChanges.join(', ')}`;
      return (
        `<g class="marker marker-leader"><title>${escapeHtml(what)}</title>` +
        `<line x1="${cx}" x2="${cx}" y1="${plot.y0}" y2="${plot.y1}" stroke="${MARKER_COLORS.leader}" stroke-width="1.5" stroke-dasharray="5 4"/>` +
        `<path d="M${cx} ${plot.y0 - 8} l6 8 l-6 8 l-6 -8 z" fill="${MARKER_COLORS.leader}"/></g>`
      );
    });
}

/** Each series' line, split where the value is unknown. */
function seriesLines({ y, at }: Frame, buckets: readonly ChartBucket[]): string[] {
  return SERIES.map((s) => {
    let d = '';
    let pen = false;
    for (const b of buckets) {
      const v = b[s.key];
      if (v === null) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${n(at(b))} ${n(y(v))} `;
      pen = true;
    }
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    return `<path class="series series-${s.key}" d="${d.trim()}" fill="none" stroke="${s.color}" stroke-width="${s.width}"${dash} stroke-linejoin="round"/>`;
  });
}

/** A titled point per known value, small where points crowd. */
function seriesPoints({ y, at, spacing }: Frame, buckets: readonly ChartBucket[]): string[] {
  const r = spacing >= SPARSE_SPACING ? 4 : 1.5;
  return SERIES.flatMap((s) =>
    buckets.flatMap((b) => {
      const v = b[s.key];
      if (v === null) return [];
      return [`<path class="point point-${s.key}" d="${pointPath(s.shape, at(b), y(v), r)}" fill="${s.color}"><title>${escapeHtml(`${range(b)}: ${s.label} ${v}`)}</title></path>`];
    }),
  );
}

/** Failed collections, in a lane under the plot. */
function failedLane({ plot, at }: Frame, buckets: readonly ChartBucket[]): string[] {
  return buckets
    .filter((b) => b.partial + b.unavailable)
    .map((b) => {
      const cx = at(b);
      const ly = plot.y1 + 18;
      const kind = b.unavailable ? 'unavailable' : 'partial';
      const what = `${range(b)}: ${b.partial} partial, ${b.unavailable} unavailable; not read: ${b.failedSources.join(', ')}`;
      return `<path class="marker marker-failed marker-${kind}" d="M${n(cx)} ${n(ly - 7)} l7 12 l-14 0 z" fill="${MARKER_COLORS[kind]}"><title>${escapeHtml(what)}</title></path>`;
    });
}

export function renderChart(series: readonly SeriesPoint[], options: ChartOptions = {}): string {
  const buckets = chartBuckets(series, options.maxPoints ?? 400);
  const f = frameOf(buckets, options.width ?? 1100, options.height ?? 360);
  const title = `Timeline of ${series.length} collections, ${formatTime(f.t0)} to ${formatTime(f.t1)}`;
  return [
    `<svg class="chart" viewBox="0 0 ${f.W} ${f.H}" width="${f.W}" height="${f.H}" role="img" aria-labelledby="chart-title chart-desc">`,
    `<title id="chart-title">${escapeHtml(title)}</title>`,
    `<desc id="chart-desc">Lines: hosts in /missing, nodes probed OFFLINE and open drift episodes per collection. Triangles under the plot: failed collections. Dashed vertical lines: leader changes. The table "Per collection" below holds the same numbers.</desc>`,
    ...axes(f),
    ...hoverColumns(f, buckets),
    ...leaderMarkers(f, buckets),
    ...seriesLines(f, buckets),
    ...seriesPoints(f, buckets),
    ...failedLane(f, buckets),
    '</svg>',
  ].join('\n');
}
