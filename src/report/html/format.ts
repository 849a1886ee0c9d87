/**
 * Numbers as the report shows them. Fixed locale (en-US) so the same model renders the same
 * bytes on every machine.
 */

/**
 * @example
 * formatCount(50000); // '50,000'
 */
export function formatCount(n: number): string {
  // Grouping by hand: toLocaleString is slow enough to show on 2,000-row tables, and en-US is fixed anyway.
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Milliseconds with precision that fits the size: `0.8 ms`, `42 ms`, `1.25 s`.
 *
 * @example
 * formatMs(1250); // '1.25 s'
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms === 0) return '0 ms';
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

/**
 * A share as a whole percent, or one decimal below 10 %.
 *
 * @example
 * formatPercent(3, 40); // '7.5%'
 */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '–';
  const p = (part / whole) * 100;
  return `${p < 10 && p > 0 ? p.toFixed(1) : Math.round(p)}%`;
}

/** SVG coordinates with one decimal: enough for a screen, and keeps big charts small. */
export function px(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}
