/**
 * report.md: the review for the engineer and the project manager. The summary fits one screen;
 * the sections below it are what an engineer acts on. A pure function of the review model (no
 * clock, no file system), so the same model renders the same bytes.
 */
import { renderAuth } from './markdown-auth.js';
import { renderRateLimits } from './markdown-limits.js';
import { renderCoverage, renderDrift, renderIdempotency, renderLatency, renderMissing, renderPagination } from './markdown-operations.js';
import { renderQuestions, renderRiskRegister } from './markdown-risks.js';
import { renderSummary, renderTitle } from './markdown-summary.js';
import type { ReviewModel } from './types.js';

/**
 * Render the review as GitHub-flavoured Markdown. Every string from the model is escaped as
 * plain text (a vendor's value cannot open a code span, a link or raw HTML, break a table row or
 * flood the page); sections without data are left out and named under "Missing stages".
 *
 * @example
 * import { renderReportMarkdown } from './report/markdown.js';
 * await writeFile(join(reviewDir, REVIEW_FILES.markdown), renderReportMarkdown(model));
 */
export function renderReportMarkdown(model: ReviewModel): string {
  const m = withDefaults(model);
  const sections: [name: string, lines: string[]][] = [
    ['Risk register', renderRiskRegister(m.risks)],
    ['Questions for the vendor', renderQuestions(m.questions)],
    ['Rate limits and batch plan', renderRateLimits(m)],
    ['Authentication', renderAuth(m.auth)],
    ['Coverage', renderCoverage(m.coverage)],
    ['Pagination', renderPagination(m.pagination)],
    ['Idempotency', renderIdempotency(m.idempotency)],
    ['Latency', renderLatency(m.latency)],
    ['Drift summary per operation', renderDrift(m.drift)],
  ];
  const empty = sections.filter(([, lines]) => lines.length === 0).map(([name]) => name);
  const lines = [...renderTitle(m), ...renderSummary(m), ...sections.flatMap(([, l]) => l), ...renderMissing(m.missing, empty)];
  return `${lines.join('\n').trimEnd()}\n`;
}

/**
 * The model as read from JSON may lack lists a partial review never filled in; render those as
 * empty rather than throw, since a report that says what is missing beats no report.
 */
function withDefaults(model: ReviewModel): ReviewModel {
  const summary = model.summary ?? { works: [], doesNotWork: [], confidence: 'low', confidenceWhy: '' };
  return {
    ...model,
    summary: { ...summary, works: summary.works ?? [], doesNotWork: summary.doesNotWork ?? [] },
    risks: model.risks ?? [],
    questions: model.questions ?? [],
    coverage: model.coverage ? { ...model.coverage, operations: model.coverage.operations ?? [] } : { documented: 0, exercised: 0, operations: [] },
    auth: model.auth ?? [],
    latency: model.latency ?? [],
    pagination: model.pagination ?? [],
    idempotency: model.idempotency ?? [],
    missing: model.missing ?? [],
  };
}
