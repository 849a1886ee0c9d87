/**
 * The frame every chart shares: a `<figure>` with a caption, an inline SVG that names itself to
 * screen readers, and the chart's data as a table folded under it (the text alternative,
 * WCAG 2.2 §1.1.1).
 */
import { html, type SafeHtml } from './escape.js';

export interface FigureInput {
  /** `id` of the figure, for links and tests (`chart-latency`). */
  id: string;
  caption: string;
  /** One or two sentences that say what the chart shows, read out instead of the picture. */
  description: string;
  width: number;
  height: number;
  /** SVG content (already safe). */
  body: SafeHtml;
  /** The data behind the chart, as a table; folded under the chart. */
  dataTable?: SafeHtml;
  /** Legend below the chart, as HTML (readable, selectable text). */
  legend?: SafeHtml;
}

/**
 * @example
 * figure({ id: 'chart-coverage', caption: 'Coverage', description: '12 of 40 operations exercised', width: 640, height: 60, body: html`<rect …/>` });
 */
export function figure(f: FigureInput): SafeHtml {
  const titleId = `${f.id}-title`;
  const descId = `${f.id}-desc`;
  // width/height attributes give the box its size before CSS; CSS then scales it to the column.
  return html`<figure class="chart" id="${f.id}">
<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" preserveAspectRatio="xMinYMin meet">
<title id="${titleId}">${f.caption}</title><desc id="${descId}">${f.description}</desc>
${f.body}
</svg>
<figcaption><strong>${f.caption}.</strong> ${f.description}</figcaption>
${f.legend ? html`<div class="legend">${f.legend}</div>` : ''}
${f.dataTable ? html`<details class="chart-data"><summary>Data behind the chart</summary>${f.dataTable}</details>` : ''}
</figure>`;
}

/**
 * The note a section shows instead of a chart when the stage did not run.
 *
 * @example
 * notMeasured('latency', 'run recon probe to record latencies');
 */
export function notMeasured(what: string, hint?: string): SafeHtml {
  return html`<p class="not-measured"><strong>Not measured:</strong> no ${what} in this review${hint ? html` — ${hint}` : ''}.</p>`;
}

/** A linear or log10 mapping from a data domain onto pixels. */
export interface Scale {
  (value: number): number;
  ticks: number[];
  log: boolean;
}

/**
 * Linear scale with "nice" ticks (1, 2, 5 × 10ⁿ).
 *
 * @example
 * linearScale(0, 95, 0, 400).ticks; // [0, 20, 40, 60, 80, 100]
 */
export function linearScale(min: number, max: number, from: number, to: number, tickCount = 5): Scale {
  const span = max - min || 1;
  const raw = span / tickCount;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step || step;
  const ticks: number[] = [];
  for (let t = lo; t <= hi + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  const scale = ((v: number) => from + ((v - lo) / (hi - lo || 1)) * (to - from)) as Scale;
  scale.ticks = ticks;
  scale.log = false;
  return scale;
}

/**
 * Log10 scale from the decade below `min` to the decade above `max`; ticks at 1, 2, 5 × 10ⁿ.
 *
 * @example
 * logScale(3, 4000, 0, 400).ticks; // [1, 2, 5, 10, 20, 50, …, 5000, 10000]
 */
export function logScale(min: number, max: number, from: number, to: number): Scale {
  const lo = Math.floor(Math.log10(Math.max(min, 1e-3)));
  const hi = Math.max(Math.ceil(Math.log10(Math.max(max, 1e-3))), lo + 1);
  const ticks: number[] = [];
  for (let e = lo; e < hi; e++) for (const m of [1, 2, 5]) ticks.push(Number((m * 10 ** e).toPrecision(6)));
  ticks.push(10 ** hi);
  const scale = ((v: number) => from + ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * (to - from)) as Scale;
  scale.ticks = ticks;
  scale.log = true;
  return scale;
}
