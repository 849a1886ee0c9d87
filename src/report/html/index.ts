/**
 * `report.html`: the review as one self-contained HTML5 file — the same content as the Markdown
 * report, with charts drawn as inline SVG on the server side. No scripts, no network, no fonts;
 * light and dark follow the reader's system, and print expands what the screen folds away.
 * A pure function of the model: the same model renders the same bytes.
 *
 * @example
 * import { renderReportHtml } from './report/html/index.js';
 * await writeFile(join(dir, REVIEW_FILES.html), renderReportHtml(model));
 */
import type { ReviewModel } from '../types.js';
import { renderPage } from './page.js';
import { idempotencySection, authSection, coverageSection, paginationSection } from './sections-behaviour.js';
import { rateLimitSection } from './sections-limits.js';
import { driftSection, latencySection } from './sections-measured.js';
import { missingSection, questionsSection, risksSection, summarySection } from './sections-review.js';

export { escapeHtml } from './escape.js';
export { REPORT_CSP } from './page.js';
export { MAX_HEATMAP_ROWS } from './chart-drift.js';
export { MAX_DOTS, MAX_LATENCY_ROWS } from './chart-latency.js';

/**
 * The whole report as an HTML document (UTF-8 text).
 *
 * @example
 * const page = renderReportHtml(model);
 * page.startsWith('<!doctype html>'); // true
 */
export function renderReportHtml(model: ReviewModel): string {
  return renderPage(model, [
    summarySection(model),
    risksSection(model.risks),
    questionsSection(model.questions),
    rateLimitSection(model),
    authSection(model.auth),
    coverageSection(model.coverage),
    paginationSection(model.pagination),
    idempotencySection(model.idempotency),
    latencySection(model.latency),
    driftSection(model.drift),
    missingSection(model.missing),
  ]);
}
