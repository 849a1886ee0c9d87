/**
 * The rate-limit measurement over time: requests per time slice as bars (429s stacked in red,
 * other failures in amber), every 429 ticked on the time axis, and the `remaining` header as a
 * line on its own axis, so the reader sees the budget run out and the vendor start refusing.
 */
import type { ReviewModel } from '../types.js';
import { html, type SafeHtml } from './escape.js';
import { figure, linearScale } from './figure.js';
import { formatCount, px } from './format.js';
import { table } from './table.js';

type Call = NonNullable<ReviewModel['limitsTimeline']>[number];

const W = 760;
const H = 260;
const LEFT = 52;
const RIGHT = 56;
const TOP = 16;
const BOTTOM = 40;
/** Time slices (bars); enough to see a window refill, few enough to stay a bar chart. */
const MAX_BUCKETS = 60;
/** Points of the `remaining` line; beyond this a line looks the same and only weighs more. */
const MAX_LINE_POINTS = 600;

interface Bucket {
  startMs: number;
  ok: number;
  limited: number;
  failed: number;
}

/** Slice lengths (ms) a reader can count in: 0.1 s … 1 h. */
const NICE_SLICES_MS = [100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];

/**
 * Calls per time slice. Slices are a round length (1 s, 2 s, 5 s…) so every bar covers the same
 * span and the bars do not alias into a 3-4-3-4 pattern; at most `maxBuckets` of them.
 *
 * @example
 * bucketCalls([{ atMs: 0, status: 200 }, { atMs: 1500, status: 429 }], 60)
 * // { sizeMs: 100, buckets: [{ startMs: 0, ok: 1, … }, …, { startMs: 1500, ok: 0, limited: 1, failed: 0 }] }
 */
export function bucketCalls(calls: readonly Call[], maxBuckets: number): { sizeMs: number; buckets: Bucket[] } {
  const end = Math.max(0, ...calls.map((c) => c.atMs));
  const sizeMs = NICE_SLICES_MS.find((size) => Math.floor(end / size) + 1 <= maxBuckets) ?? Math.ceil((end + 1) / maxBuckets);
  const count = Math.floor(end / sizeMs) + 1;
  const buckets: Bucket[] = Array.from({ length: count }, (_, i) => ({ startMs: i * sizeMs, ok: 0, limited: 0, failed: 0 }));
  for (const c of calls) {
    const b = buckets[Math.min(count - 1, Math.max(0, Math.floor(c.atMs / sizeMs)))]!;
    if (c.status === 429) b.limited++;
    else if (c.status >= 200 && c.status < 400) b.ok++;
    else b.failed++;
  }
  return { sizeMs, buckets };
}

/**
 * The timeline chart, or `undefined` when there is no timeline.
 *
 * @example
 * limitsTimelineChart(model.limitsTimeline ?? []); // <figure id="chart-limits">…</figure>
 */
export function limitsTimelineChart(timeline: readonly Call[]): SafeHtml | undefined {
  const calls = timeline.filter((c) => Number.isFinite(c.atMs)).sort((a, b) => a.atMs - b.atMs);
  if (calls.length === 0) return undefined;
  const endMs = Math.max(calls.at(-1)!.atMs, 1);
  const { sizeMs, buckets } = bucketCalls(calls, MAX_BUCKETS);
  const x = linearScale(0, (buckets.length * sizeMs) / 1000, LEFT, W - RIGHT, 6);
  const yMax = Math.max(...buckets.map((b) => b.ok + b.limited + b.failed));
  const y = linearScale(0, yMax, H - BOTTOM, TOP, 4);
  const withRemaining = calls.filter((c): c is Call & { remaining: number } => typeof c.remaining === 'number' && Number.isFinite(c.remaining));
  const rMax = Math.max(1, ...withRemaining.map((c) => c.remaining));
  const r = linearScale(0, rMax, H - BOTTOM, TOP, 4);

  const slot = x(sizeMs / 1000) - x(0);
  const bars = buckets.map((b) => {
    const x0 = x(b.startMs / 1000) + 0.5;
    const w = Math.max(0.5, slot - 1);
    let base = H - BOTTOM;
    const seg = (cls: string, n: number) => {
      if (n === 0) return '';
      const top = base - (y(0) - y(n));
      const out = html`<rect class="${cls}" x="${px(x0)}" y="${px(top)}" width="${px(w)}" height="${px(base - top)}"/>`;
      base = top;
      return out;
    };
    return html`<g><title>${(b.startMs / 1000).toFixed(1)} s: ${b.ok} ok, ${b.limited} × 429, ${b.failed} other failures</title>${seg('bar-ok', b.ok)}${seg('bar-429', b.limited)}${seg('bar-failed', b.failed)}</g>`;
  });

  // One tick per pixel column is all the eye can tell apart, however many 429s there were.
  const tickXs = [...new Set(calls.filter((c) => c.status === 429).map((c) => Math.round(x(c.atMs / 1000))))];
  const ticks429 = tickXs.map((tx) => html`<line class="tick-429" x1="${tx}" x2="${tx}" y1="${H - BOTTOM + 2}" y2="${H - BOTTOM + 9}"/>`);

  const step = Math.max(1, withRemaining.length / MAX_LINE_POINTS);
  const points: string[] = [];
  for (let i = 0; i < withRemaining.length; i += step) {
    const c = withRemaining[Math.floor(i)]!;
    points.push(`${px(x(c.atMs / 1000))},${px(r(c.remaining))}`);
  }
  const last = withRemaining.at(-1);
  if (last && withRemaining.length > 1) points.push(`${px(x(last.atMs / 1000))},${px(r(last.remaining))}`);
  const line = points.length > 0 ? html`<polyline class="remaining" points="${points.join(' ')}"/>` : '';

  const axes = html`<line class="axis" x1="${LEFT}" x2="${W - RIGHT}" y1="${H - BOTTOM}" y2="${H - BOTTOM}"/>
${x.ticks.filter((t) => x(t) <= W - RIGHT + 0.5).map((t) => html`<text class="tick" x="${px(x(t))}" y="${H - BOTTOM + 22}" text-anchor="middle">${t}s</text>`)}
${y.ticks.map((t) => html`<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${px(y(t))}" y2="${px(y(t))}"/><text class="tick" x="${LEFT - 6}" y="${px(y(t) + 4)}" text-anchor="end">${t}</text>`)}
${withRemaining.length > 0 ? r.ticks.map((t) => html`<text class="tick remaining-tick" x="${W - RIGHT + 6}" y="${px(r(t) + 4)}">${t}</text>`) : ''}
<text class="axis-title" x="${LEFT}" y="${H - 4}">time since start (s)</text>
<text class="axis-title" transform="translate(12 ${H - BOTTOM}) rotate(-90)">requests per ${sizeMs >= 1000 ? `${sizeMs / 1000} s` : `${sizeMs} ms`}</text>
${withRemaining.length > 0 ? html`<text class="axis-title remaining-tick" transform="translate(${W - 8} ${TOP}) rotate(90)">remaining</text>` : ''}`;

  const limited = calls.filter((c) => c.status === 429);
  const first429 = limited[0];
  const description =
    `${formatCount(calls.length)} requests over ${(endMs / 1000).toFixed(1)} s; ${formatCount(limited.length)} answered 429` +
    `${first429 ? `, the first after ${(first429.atMs / 1000).toFixed(1)} s and ${formatCount(calls.indexOf(first429))} requests` : ''}` +
    `${withRemaining.length > 0 ? `. The remaining header went from ${withRemaining[0]!.remaining} to ${last!.remaining}` : '. No remaining header was sent'}.`;
  const dataTable = table(
    ['From (s)', 'OK', '429', 'Other failures'],
    buckets.map((b) => [html`${(b.startMs / 1000).toFixed(1)}`, html`${b.ok}`, html`${b.limited}`, html`${b.failed}`]),
    { caption: 'Requests per time slice', visibleRows: 10 },
  );
  return figure({
    id: 'chart-limits',
    caption: 'Rate-limit measurement over time',
    description,
    width: W,
    height: H,
    body: html`${axes}${bars}${line}${ticks429}`,
    legend: html`<span class="key"><span class="swatch bar-ok"></span>answered</span><span class="key"><span class="swatch bar-429"></span>429 Too Many Requests</span><span class="key"><span class="swatch bar-failed"></span>other failure</span><span class="key"><span class="swatch remaining"></span>remaining (right axis)</span>`,
    dataTable,
  });
}
