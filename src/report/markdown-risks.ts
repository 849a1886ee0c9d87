/**
 * The risk register and the questions for the vendor, as report.md shows them: the register for
 * the engineer and the project manager, the questions ready to paste into an email.
 */
import { table } from '../drift/render/markdown-escape.js';
import { code, plainText } from './markdown-text.js';
import type { Risk, RiskSeverity, VendorQuestion } from './types.js';

export const SEVERITY_ORDER: readonly RiskSeverity[] = ['high', 'medium', 'low'];

/** Evidence lines shown per risk; the rest are counted. */
const EVIDENCE_SHOWN = 5;
const QUESTION_MAX = 1000;

/**
 * Risks worst first; equal severities keep the model's order (Array.prototype.sort is stable),
 * so the numbering is the same on every run.
 *
 * @example
 * sortRisks([{ severity: 'low', … }, { severity: 'high', … }]).map((r) => r.severity); // ['high', 'low']
 */
export function sortRisks(risks: readonly Risk[]): Risk[] {
  return [...risks].sort((a, b) => rank(a.severity) - rank(b.severity));
}

/**
 * "3 high, 6 medium, 2 low" (every severity named, zeros included, so the line reads the same
 * from one review to the next).
 *
 * @example
 * riskCounts([{ severity: 'high', … }]); // '1 high, 0 medium, 0 low'
 */
export function riskCounts(risks: readonly Risk[]): string {
  return SEVERITY_ORDER.map((s) => `${risks.filter((r) => r.severity === s).length} ${s}`).join(', ');
}

/**
 * The register as a table, high to low, numbered R1, R2… (the numbers the summary uses).
 *
 * @example
 * renderRiskRegister(model.risks); // ['## Risk register', '', '| # | Severity | Risk | …', …]
 */
export function renderRiskRegister(risks: readonly Risk[]): string[] {
  if (risks.length === 0) return [];
  const rows = sortRisks(risks).map((risk, i) => [
    `R${i + 1}`,
    severityText(risk.severity),
    `${plainText(risk.title, 200)}<br>${code(risk.id)} · ${plainText(risk.source, 20)}`,
    evidenceCell(risk.evidence),
    plainText(risk.consequence),
    plainText(risk.mitigation),
  ]);
  return ['## Risk register', '', ...table(['#', 'Severity', 'Risk', 'Evidence', 'Consequence for the project', 'Mitigation'], ['left', 'left', 'left', 'left', 'left', 'left'], rows), ''];
}

/**
 * The questions as a numbered list, each followed by its evidence as a quote: paste it into an
 * email as it stands.
 *
 * @example
 * renderQuestions(model.questions); // ['## Questions for the vendor', '', '1. **POST /invoices:** Sending the same…', '', '   > Two POST…', …]
 */
export function renderQuestions(questions: readonly VendorQuestion[]): string[] {
  if (questions.length === 0) return [];
  const out = ['## Questions for the vendor', ''];
  questions.forEach((q, i) => {
    const marker = `${i + 1}. `;
    // CommonMark §5.2: the quote belongs to the item when indented to the item's content.
    const indent = ' '.repeat(marker.length);
    const about = q.operation === undefined || q.operation === '' ? '' : `**${plainText(q.operation, 120)}:** `;
    out.push(`${marker}${about}${plainText(q.question, QUESTION_MAX)}`);
    if (q.evidence !== undefined && q.evidence !== '') out.push('', `${indent}> Evidence: ${plainText(q.evidence, QUESTION_MAX)}`);
    out.push('');
  });
  return out;
}

/** High risks stand out in the table and in the summary. */
export function severityText(severity: RiskSeverity): string {
  return severity === 'high' ? '**high**' : plainText(severity, 20);
}

function evidenceCell(evidence: readonly string[] | undefined): string {
  const items = (evidence ?? []).filter((e) => e !== '');
  if (items.length === 0) return '—';
  if (items.length === 1) return plainText(items[0]!, 300);
  const shown = items.slice(0, EVIDENCE_SHOWN).map((e) => `• ${plainText(e, 300)}`);
  if (items.length > EVIDENCE_SHOWN) shown.push(`… and ${items.length - EVIDENCE_SHOWN} more`);
  return shown.join('<br>');
}

/** Unknown severities (a hand-edited model) sort last rather than first. */
function rank(severity: RiskSeverity): number {
  const i = SEVERITY_ORDER.indexOf(severity);
  return i === -1 ? SEVERITY_ORDER.length : i;
}
