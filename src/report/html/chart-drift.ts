/**
 * Drift findings as a heat map: operations × finding kinds, each cell coloured by the worst
 * severity it can hold and shaded by its count. Worst operations first, capped at
 * {@link MAX_HEATMAP_ROWS} rows so a 2,000-operation API still draws a readable picture.
 */
import { KIND_DESCRIPTIONS } from '../../drift/render/index.js';
import type { ReviewModel } from '../types.js';
import { html, type SafeHtml } from './escape.js';
import { figure } from './figure.js';
import { formatCount, px } from './format.js';
import { table } from './table.js';

type ByOperation = NonNullable<ReviewModel['drift']>['byOperation'][number];
type Severity = 'error' | 'warning' | 'info';

export const MAX_HEATMAP_ROWS = 40;

const LABEL_W = 240;
const CELL_W = 46;
const CELL_H = 22;
const HEAD_H = 150;
/** Column order: the contract's order of kinds (DESIGN.md "Drift finding kinds"), unknown kinds last. */
const KNOWN_ORDER: readonly string[] = Object.keys(KIND_DESCRIPTIONS);

/**
 * Operations worst first: errors, then warnings, then infos, then name.
 *
 * @example
 * rankOperations([{ operation: 'GET /a', error: 0, warning: 3, info: 0, kinds: {} }, { operation: 'GET /b', error: 1, warning: 0, info: 0, kinds: {} }])[0].operation; // 'GET /b'
 */
export function rankOperations(rows: readonly ByOperation[]): ByOperation[] {
  return [...rows].sort((a, b) => b.error - a.error || b.warning - a.warning || b.info - a.info || a.operation.localeCompare(b.operation));
}

/**
 * The severity a cell shows. The model counts kinds per operation without their severities, so
 * the kind's usual severity is used, lowered to the worst severity the operation actually has
 * (a `type-mismatch` on an operation with no errors was reported as a warning or info).
 */
export function cellSeverity(kind: string, row: ByOperation): Severity {
  const order: Severity[] = ['error', 'warning', 'info'];
  const usual = KIND_DESCRIPTIONS[kind as keyof typeof KIND_DESCRIPTIONS]?.usual ?? 'warning';
  return order.slice(order.indexOf(usual)).find((s) => row[s] > 0) ?? usual;
}

/**
 * The heat map, or `undefined` when there are no findings to draw.
 *
 * @example
 * driftHeatmap(model.drift.byOperation); // <figure id="chart-drift">…</figure>
 */
export function driftHeatmap(byOperation: readonly ByOperation[]): SafeHtml | undefined {
  const withFindings = rankOperations(byOperation.filter((r) => Object.values(r.kinds).some((c) => c > 0)));
  if (withFindings.length === 0) return undefined;
  const rows = withFindings.slice(0, MAX_HEATMAP_ROWS);
  const more = withFindings.length - rows.length;
  const present = new Set(rows.flatMap((r) => Object.keys(r.kinds).filter((k) => (r.kinds[k] ?? 0) > 0)));
  const kinds = [...present].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const maxCount = Math.max(...rows.flatMap((r) => kinds.map((k) => r.kinds[k] ?? 0)));

  // Room on the right for the last column's label, which leans out past the grid.
  const width = LABEL_W + kinds.length * CELL_W + 120;
  const height = HEAD_H + rows.length * CELL_H + (more > 0 ? 30 : 8);
  const heads = kinds.map((k, j) => {
    const cx = LABEL_W + j * CELL_W + CELL_W / 2;
    const label = k.length > 26 ? `${k.slice(0, 25)}…` : k;
    return html`<text class="col-head" transform="translate(${px(cx + 4)} ${HEAD_H - 6}) rotate(-50)"><title>${k}</title>${label}</text>`;
  });
  const cells = rows.map((r, i) => {
    const y = HEAD_H + i * CELL_H;
    const label = r.operation.length > 36 ? `${r.operation.slice(0, 35)}…` : r.operation;
    const row = kinds.map((k, j) => {
      const count = r.kinds[k] ?? 0;
      const x = LABEL_W + j * CELL_W;
      if (count === 0) return html`<rect class="cell empty" x="${x + 1}" y="${y + 1}" width="${CELL_W - 2}" height="${CELL_H - 2}"/>`;
      const severity = cellSeverity(k, r);
      // Log shading: one finding must still show, and 500 must not drown out 5.
      const strength = 0.25 + (0.75 * Math.log1p(count)) / Math.log1p(maxCount || 1);
      return html`<g class="cell ${severity}"><title>${r.operation} — ${k}: ${formatCount(count)} (${severity})</title><rect x="${x + 1}" y="${y + 1}" width="${CELL_W - 2}" height="${CELL_H - 2}" fill-opacity="${strength.toFixed(2)}"/><text class="${strength > 0.6 ? 'on-strong' : 'on-weak'}" x="${px(x + CELL_W / 2)}" y="${y + 15}" text-anchor="middle">${compact(count)}</text></g>`;
    });
    return html`<g class="heat-row"><text class="label" x="${LABEL_W - 8}" y="${y + 15}" text-anchor="end"><title>${r.operation}</title>${label}</text>${row}</g>`;
  });
  const moreNote = more > 0 ? html`<text class="more-note" x="${LABEL_W - 8}" y="${height - 10}" text-anchor="end">… and ${formatCount(more)} more operations</text>` : '';
  const worst = rows[0]!;
  const dataTable = table(
    ['Operation', ...kinds],
    rows.map((r) => [html`${r.operation}`, ...kinds.map((k) => html`${r.kinds[k] ? formatCount(r.kinds[k]) : ''}`)]),
    { caption: 'Findings per operation and kind' },
  );
  return figure({
    id: 'chart-drift',
    caption: 'Drift findings per operation and kind',
    description:
      `${formatCount(withFindings.length)} operation${withFindings.length === 1 ? '' : 's'} with findings across ${kinds.length} kind${kinds.length === 1 ? '' : 's'}` +
      `${more > 0 ? `; the ${rows.length} worst are drawn, and ${formatCount(more)} more are in the table below` : ''}. ` +
      `Worst: ${worst.operation} (${worst.error} errors, ${worst.warning} warnings, ${worst.info} infos). Colour is the worst severity, shade the count.`,
    width,
    height,
    body: html`${heads}${cells}${moreNote}`,
    legend: html`<span class="key"><span class="swatch sev-error"></span>error (the document is contradicted)</span><span class="key"><span class="swatch sev-warning"></span>warning (more than documented)</span><span class="key"><span class="swatch sev-info"></span>info (unverified or data profile)</span><span class="key">darker = more findings (max ${formatCount(maxCount)})</span>`,
    dataTable,
  });
}

function rank(kind: string): number {
  const i = KNOWN_ORDER.indexOf(kind);
  return i === -1 ? KNOWN_ORDER.length : i;
}

function compact(n: number): string {
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(n);
}
