/**
 * Tables that stay usable with thousands of rows: the first rows show, the rest fold into a
 * `<details>` the reader opens when needed (and print expands).
 */
import { html, type SafeHtml } from './escape.js';
import { formatCount } from './format.js';

export interface TableOptions {
  /** Rows shown before the rest fold away. Default 25. */
  visibleRows?: number;
  /** CSS class on the table. */
  className?: string;
  /** Caption for screen readers and print. */
  caption?: string;
}

/**
 * @example
 * table(['Operation', 'p50'], [[html`GET /orders`, html`42 ms`]], { caption: 'Latency' });
 */
export function table(headers: readonly string[], rows: readonly (readonly SafeHtml[])[], options: TableOptions = {}): SafeHtml {
  const visible = options.visibleRows ?? 25;
  const head = html`<thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>`;
  const body = (part: readonly (readonly SafeHtml[])[]) => html`<tbody>${part.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody>`;
  const cls = options.className ? ` ${options.className}` : '';
  const caption = options.caption === undefined ? '' : html`<caption>${options.caption}</caption>`;
  // A little slack: folding away two rows would only cost the reader a click.
  if (rows.length <= visible + 5) {
    return html`<div class="table-wrap"><table class="data${cls}">${caption}${head}${body(rows)}</table></div>`;
  }
  const rest = rows.slice(visible);
  return html`<div class="table-wrap"><table class="data${cls}">${caption}${head}${body(rows.slice(0, visible))}</table></div>
<details class="more"><summary>Show ${formatCount(rest.length)} more rows</summary><div class="table-wrap"><table class="data${cls}">${head}${body(rest)}</table></div></details>`;
}
