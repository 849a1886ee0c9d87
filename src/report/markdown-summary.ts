/**
 * The top of report.md: the title block, and the one-screen summary a project manager reads
 * before deciding whether the fixed price holds.
 */
import { batchSummary, rateLimitLine } from './markdown-limits.js';
import { riskCounts, severityText, sortRisks } from './markdown-risks.js';
import { code, headingText, plainText } from './markdown-text.js';
import type { ReviewModel } from './types.js';

/** Risks on the one screen; the register has the rest. */
const TOP_RISKS = 5;
/** Lines per "works" / "does not work" list on the one screen. */
const LIST_SHOWN = 8;

/**
 * Title (vendor and version), when, which document (short hash, overlay) and which target.
 *
 * @example
 * renderTitle(model); // ['# Review: Acme ERP API 1.4.0', '', '- Generated: 2026-12-04T22:30:00.000Z', '- Document: `specs/acme-erp.openapi.yaml` (sha256 `71351720edfa`) …', …]
 */
export function renderTitle(model: ReviewModel): string[] {
  const { vendor, target } = model;
  const out = [`# Review: ${headingText(`${vendor.title} ${vendor.version}`)}`, '', `- Generated: ${plainText(model.generatedAt, 40)}`];
  const hash = vendor.sha256 ? ` (sha256 ${code(vendor.sha256.slice(0, 12))})` : '';
  const overlay = vendor.overlay
    ? `; overlay ${code(vendor.overlay.file)} (${vendor.overlay.actions} ${vendor.overlay.actions === 1 ? 'action' : 'actions'}, sha256 ${code(vendor.overlay.sha256.slice(0, 12))})`
    : '';
  out.push(`- Document: ${code(vendor.document, 200)}${hash}${overlay}`);
  if (target !== undefined) out.push(`- Target: **${plainText(target.name, 60)}** at ${code(target.baseUrl, 200)}`);
  out.push('');
  return out;
}

/**
 * What works, what does not, how sure; the limit in a line; the batch in plain words; the top
 * risks; the counts.
 *
 * @example
 * renderSummary(model); // ['## Summary', '', '**Confidence: medium.** Every documented read…', …]
 */
export function renderSummary(model: ReviewModel): string[] {
  const { summary } = model;
  const out = ['## Summary', ''];
  out.push(`**Confidence: ${plainText(summary.confidence, 20)}.**${summary.confidenceWhy ? ` ${plainText(summary.confidenceWhy, 600)}` : ''}`, '');
  if (model.missing.length > 0) {
    out.push(`**Incomplete:** ${model.missing.length} ${model.missing.length === 1 ? 'stage has' : 'stages have'} not run; see [Missing stages](#missing-stages).`, '');
  }
  out.push(...bulletBlock('What works', summary.works), ...bulletBlock('What does not work', summary.doesNotWork));
  if (summary.works.length === 0 && summary.doesNotWork.length === 0) out.push('Nothing was measured yet.', '');

  if (model.rateLimit !== undefined) out.push(`**Rate limit:** ${rateLimitLine(model.rateLimit)}.`, '');
  if (model.batch !== undefined) out.push('**Batch plan:**', '', ...batchSummary(model.batch), '');

  const risks = sortRisks(model.risks);
  if (risks.length > 0) {
    out.push(`**Top risks** (numbered as in the [risk register](#risk-register)):`, '');
    out.push(...risks.slice(0, TOP_RISKS).map((r, i) => `- R${i + 1} ${severityText(r.severity)}: ${plainText(r.title, 200)}`), '');
  }
  out.push(`**Risks:** ${risks.length === 0 ? 'none recorded' : riskCounts(risks)}. **Questions for the vendor:** ${model.questions.length}.`, '');
  return out;
}

/** A bold label and a bullet list (empty list: nothing). */
function bulletBlock(label: string, lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, LIST_SHOWN).map((l) => `- ${plainText(l, 300)}`);
  if (lines.length > LIST_SHOWN) shown.push(`- … and ${lines.length - LIST_SHOWN} more`);
  return [`**${label}:**`, '', ...shown, ''];
}
