/**
 * The sections a project manager reads first: the summary, the risk register, the questions to
 * send the vendor, and which review stages are missing.
 */
import type { ReviewModel, Risk, RiskSeverity } from '../types.js';
import { html, type SafeHtml } from './escape.js';
import { formatCount, formatPercent } from './format.js';
import { bulletList, type Section } from './section.js';
import { table } from './table.js';

const SEVERITY_ORDER: Record<RiskSeverity, number> = { high: 0, medium: 1, low: 2 };

/** Risks worst first; the model's order is kept within a severity (it is the builder's judgement). */
export function sortRisks(risks: readonly Risk[]): Risk[] {
  return risks.map((r, i) => ({ r, i })).sort((a, b) => SEVERITY_ORDER[a.r.severity] - SEVERITY_ORDER[b.r.severity] || a.i - b.i).map(({ r }) => r);
}

/**
 * @example
 * summarySection(model).body; // confidence badge, what works, what does not, key numbers
 */
export function summarySection(model: ReviewModel): Section {
  const s = model.summary;
  const bySeverity = (sev: RiskSeverity) => model.risks.filter((r) => r.severity === sev).length;
  const cov = model.coverage;
  const facts: SafeHtml[] = [
    html`<div class="fact"><span class="fact-value">${bySeverity('high')}</span><span class="fact-label">high risks</span></div>`,
    html`<div class="fact"><span class="fact-value">${model.questions.length}</span><span class="fact-label">questions for the vendor</span></div>`,
    html`<div class="fact"><span class="fact-value">${formatPercent(cov.exercised, Math.max(cov.documented, cov.exercised))}</span><span class="fact-label">operations exercised</span></div>`,
  ];
  if (model.rateLimit) facts.push(html`<div class="fact"><span class="fact-value">${formatCount(model.rateLimit.limit)}/${model.rateLimit.windowSeconds}s</span><span class="fact-label">rate limit (${model.rateLimit.source})</span></div>`);
  if (model.drift) facts.push(html`<div class="fact"><span class="fact-value">${formatCount(model.drift.summary.findings.error)}</span><span class="fact-label">drift errors</span></div>`);
  const body = html`<p class="confidence">Confidence: <span class="badge conf-${s.confidence}">${s.confidence}</span> ${s.confidenceWhy}</p>
<div class="facts">${facts}</div>
<div class="two-col"><div><h3>What works</h3>${bulletList(s.works, 'Nothing was confirmed to work.', 'works')}</div>
<div><h3>What does not work</h3>${bulletList(s.doesNotWork, 'Nothing was found broken.', 'does-not-work')}</div></div>`;
  return { id: 'summary', title: 'Summary', body };
}

/**
 * @example
 * risksSection(model.risks).body; // a table, high risks first
 */
export function risksSection(risks: readonly Risk[]): Section {
  if (risks.length === 0) return { id: 'risks', title: 'Risk register', body: html`<p class="empty">No risks were identified.</p>` };
  const rows = sortRisks(risks).map((r) => [
    html`<span class="badge sev-${r.severity}">${r.severity}</span>`,
    html`<strong>${r.title}</strong><br><code class="id">${r.id}</code> <span class="muted">from ${r.source}</span>`,
    r.evidence.length > 0 ? html`<ul class="evidence">${r.evidence.map((e) => html`<li>${e}</li>`)}</ul>` : html`<span class="muted">–</span>`,
    html`${r.consequence}`,
    html`${r.mitigation}`,
  ]);
  return { id: 'risks', title: 'Risk register', body: table(['Severity', 'Risk', 'Evidence', 'Consequence for the project', 'Mitigation'], rows, { className: 'risks', visibleRows: 40 }) };
}

/**
 * The questions as a numbered list, and again as plain text to paste into an email.
 *
 * @example
 * questionsSection(model.questions).body; // <ol class="questions">…</ol>
 */
export function questionsSection(questions: ReviewModel['questions']): Section {
  if (questions.length === 0) return { id: 'questions', title: 'Questions for the vendor', body: html`<p class="empty">No open questions for the vendor.</p>` };
  const items = questions.map(
    (q) => html`<li id="q-${q.id.replace(/[^A-Za-z0-9_-]/g, '_')}"><p class="question">${q.operation ? html`<code>${q.operation}</code> ` : ''}${q.question}</p><p class="evidence muted">Evidence: ${q.evidence}</p></li>`,
  );
  const plain = questions.map((q, i) => `${i + 1}. ${q.operation ? `[${q.operation}] ` : ''}${q.question}\n   Evidence: ${q.evidence}`).join('\n\n');
  const body = html`<ol class="questions" id="questions-list">${items}</ol>
<details class="plain"><summary>All questions as plain text (to paste into an email)</summary><pre>${plain}</pre></details>`;
  return { id: 'questions', title: 'Questions for the vendor', body };
}

/**
 * @example
 * missingSection(['no limits.json: run recon limits']).body;
 */
export function missingSection(missing: readonly string[]): Section {
  return { id: 'missing', title: 'Missing stages', body: bulletList(missing, 'Every review stage ran; nothing is missing.', 'missing') };
}
