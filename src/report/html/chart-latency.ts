/**
 * Latency per operation as a strip plot with a box: every sample a faint dot (up to
 * {@link MAX_DOTS} per operation), the middle half as a box, p50/p95/p99 as marks. A log axis
 * when the range is wide, because one slow export would otherwise squash every other row flat.
 */
import type { ReviewModel } from '../types.js';
import { html, type SafeHtml } from './escape.js';
import { figure, linearScale, logScale } from './figure.js';
import { formatCount, formatMs, px } from './format.js';

type Latency = ReviewModel['latency'][number];

/** Rows drawn; the table under the chart lists every operation. */
export const MAX_LATENCY_ROWS = 30;
/** Dots drawn per operation, picked evenly by rank so the spread keeps its shape. */
export const MAX_DOTS = 300;
/** Up to this many samples, dots are drawn larger and solid. */
const FEW = 20;
/** Above this max/min ratio the axis is logarithmic. */
const LOG_RATIO = 20;

const W = 760;
const LABEL_W = 220;
const ROW_H = 26;
const TOP = 28;
const RIGHT = 16;

/**
 * The latency chart, or `undefined` when no operation has latencies.
 *
 * @example
 * latencyChart(model.latency); // <figure id="chart-latency">…</figure>
 */
export function latencyChart(latency: readonly Latency[]): SafeHtml | undefined {
  // Pick the rows before sorting samples: 2,000 operations × 1,000 samples is a lot to sort for 30 rows.
  const rows = latency
    .filter((l) => l.samples.length > 0 || l.p99 > 0)
    .sort((a, b) => b.p95 - a.p95 || a.operation.localeCompare(b.operation))
    .slice(0, MAX_LATENCY_ROWS)
    .map((l) => ({ ...l, sorted: l.samples.filter(Number.isFinite).sort((a, b) => a - b) }));
  if (rows.length === 0) return undefined;

  const values = rows.flatMap((r) => [r.p50, r.p99, r.sorted[0] ?? r.p50, r.sorted.at(-1) ?? r.p99]).filter((v) => v > 0);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const useLog = max / Math.max(min, 1e-3) > LOG_RATIO;
  const x = useLog ? logScale(min, max, LABEL_W, W - RIGHT) : linearScale(0, max, LABEL_W, W - RIGHT);
  const height = TOP + rows.length * ROW_H + 8;

  const grid = x.ticks
    .filter((t) => !useLog || /^[125]/.test(String(t)))
    .map((t) => html`<line class="grid" x1="${px(x(t))}" x2="${px(x(t))}" y1="${TOP - 4}" y2="${height - 8}"/><text class="tick" x="${px(x(t))}" y="${TOP - 8}" text-anchor="middle">${formatMs(t)}</text>`);
  const body = html`${grid}${rows.map((r, i) => latencyRow(r, i, x))}`;

  const shown = latency.length > rows.length ? `the ${rows.length} slowest (by p95) of ${formatCount(latency.length)} operations` : `${rows.length} operation${rows.length === 1 ? '' : 's'}, slowest p95 first`;
  const slowest = rows[0]!;
  return figure({
    id: 'chart-latency',
    caption: 'Latency per operation',
    description: `Response times of ${shown}, on a ${useLog ? 'logarithmic' : 'linear'} axis. Slowest: ${slowest.operation} with p50 ${formatMs(slowest.p50)}, p95 ${formatMs(slowest.p95)}, p99 ${formatMs(slowest.p99)}.`,
    width: W,
    height,
    body,
    legend: html`<span class="key"><span class="swatch dot"></span>one call</span><span class="key"><span class="swatch box"></span>middle half (p25–p75)</span><span class="key"><span class="swatch p50"></span>p50</span><span class="key"><span class="swatch p95"></span>p95</span><span class="key"><span class="swatch p99"></span>p99</span>`,
  });
}

function latencyRow(r: Latency & { sorted: number[] }, i: number, x: (v: number) => number): SafeHtml {
  const y = TOP + i * ROW_H + ROW_H / 2;
  const n = r.sorted.length;
  const label = r.operation.length > 34 ? `${r.operation.slice(0, 33)}…` : r.operation;
  const step = Math.max(1, n / MAX_DOTS);
  const dots: SafeHtml[] = [];
  for (let k = 0; k < n && dots.length < MAX_DOTS; k++) {
    const v = r.sorted[Math.floor(k * step)];
    if (v === undefined) break;
    // Deterministic jitter (golden-ratio sequence): the same model draws the same picture.
    const jitter = (((k * 0.618034 + 0.5) % 1) - 0.5) * (ROW_H - 10); // the first dot on the centre line
    dots.push(html`<circle cx="${px(x(v))}" cy="${px(y + jitter)}" r="1.6"/>`);
  }
  const q1 = n ? r.sorted[Math.max(0, Math.ceil(0.25 * n) - 1)]! : r.p50;
  const q3 = n ? r.sorted[Math.max(0, Math.ceil(0.75 * n) - 1)]! : r.p50;
  const lo = n ? r.sorted[0]! : r.p50;
  const mark = (cls: string, v: number, h: number) => html`<line class="${cls}" x1="${px(x(v))}" x2="${px(x(v))}" y1="${px(y - h)}" y2="${px(y + h)}"/>`;
  const tip = `${r.operation}: n=${n}, p50 ${formatMs(r.p50)}, p95 ${formatMs(r.p95)}, p99 ${formatMs(r.p99)}`;
  // A handful of calls is drawn bold: with five dots, each one is the evidence.
  return html`<g class="lat-row"><title>${tip}</title>
<text class="label" x="${LABEL_W - 8}" y="${px(y + 4)}" text-anchor="end">${label}</text>
<g class="dots${n <= FEW ? ' few' : ''}">${dots}</g>
<line class="whisker" x1="${px(x(lo))}" x2="${px(x(r.p99))}" y1="${y}" y2="${y}"/>
<rect class="box" x="${px(x(q1))}" y="${y - 6}" width="${px(Math.max(1, x(q3) - x(q1)))}" height="12"/>
${mark('p50', r.p50, 8)}${mark('p95', r.p95, 7)}${mark('p99', r.p99, 7)}</g>`;
}
