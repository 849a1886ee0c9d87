/**
 * Coverage as one stacked bar: documented operations the review exercised against those it did
 * not. A bar rather than a pie because the reader compares one share against the whole.
 */
import type { ReviewModel } from '../types.js';
import { html, type SafeHtml } from './escape.js';
import { figure } from './figure.js';
import { formatCount, formatPercent, px } from './format.js';

const W = 760;
const H = 64;
const LEFT = 8;
const RIGHT = 8;

/**
 * The coverage bar, or `undefined` when the document lists no operations.
 *
 * @example
 * coverageChart({ documented: 40, exercised: 12, operations: [] }); // <figure id="chart-coverage">…</figure>
 */
export function coverageChart(coverage: ReviewModel['coverage']): SafeHtml | undefined {
  const total = Math.max(coverage.documented, coverage.exercised);
  if (total <= 0) return undefined;
  const exercised = Math.min(coverage.exercised, total);
  const rest = total - exercised;
  const split = LEFT + ((W - LEFT - RIGHT) * exercised) / total;
  const share = formatPercent(exercised, total);
  const body = html`<rect class="cov-yes" x="${LEFT}" y="8" width="${px(split - LEFT)}" height="28"><title>exercised: ${formatCount(exercised)}</title></rect>
<rect class="cov-no" x="${px(split)}" y="8" width="${px(W - RIGHT - split)}" height="28"><title>not exercised: ${formatCount(rest)}</title></rect>
<text class="tick" x="${LEFT}" y="54">${formatCount(exercised)} exercised (${share})</text>
<text class="tick" x="${W - RIGHT}" y="54" text-anchor="end">${formatCount(rest)} not exercised</text>`;
  return figure({
    id: 'chart-coverage',
    caption: 'Coverage of the documented operations',
    description: `${formatCount(exercised)} of ${formatCount(total)} documented operations (${share}) were exercised against the vendor; ${formatCount(rest)} were not.`,
    width: W,
    height: H,
    body,
    legend: html`<span class="key"><span class="swatch cov-yes"></span>exercised</span><span class="key"><span class="swatch cov-no"></span>not exercised</span>`,
  });
}
