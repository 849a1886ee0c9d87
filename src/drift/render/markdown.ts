/**
 * The drift report as a Markdown document for a review: totals, a summary table, a findings table
 * per operation, the skipped exchanges and the data profile.
 */
import type { DriftReport, Finding } from '../types.js';
import { displayValue } from './display-value.js';
import { codeSpan, markdownText, table } from './markdown-escape.js';
import { groupByOperation, operationLabel, plural, severityCounts } from './operations.js';
import { exampleValues, exchangeLabel, findingWhere } from './where.js';

const EXAMPLES_SHOWN = 3;
const EXAMPLE_WIDTH = 40;
const EXPECTED_WIDTH = 60;
const EXCHANGES_SHOWN = 3;

/**
 * Render the report as GitHub-flavoured Markdown. Values from the vendor's responses appear only
 * inside code spans and escaped table cells.
 *
 * @example
 * await writeFile('drift.md', renderDriftMarkdown(report));
 */
export function renderDriftMarkdown(report: DriftReport): string {
  const { spec, summary } = report;
  const out: string[] = [];
  out.push(`# Drift: ${markdownText(spec.title)} ${markdownText(spec.version)}`, '');
  out.push(`- Document: ${codeSpan(spec.source)} (sha256 ${codeSpan(spec.sha256.slice(0, 12))})${spec.overlays.length > 0 ? `, overlays: ${spec.overlays.map(codeSpan).join(', ')}` : ''}`);
  for (const recording of report.recordings) {
    out.push(`- Recording: ${codeSpan(recording.file)}: ${plural(recording.exchanges, 'exchange')}, ${recording.checked} checked, ${recording.skipped} skipped`);
  }
  out.push(
    `- **${severityCounts(summary.findings)}** in ${plural(summary.exchanges, 'exchange')} (${summary.skipped} skipped), ${summary.operationsObserved} of ${plural(summary.operationsDocumented, 'documented operation')} observed`,
    '',
  );

  const groups = groupByOperation(report.findings);
  out.push('## Summary', '');
  if (groups.length === 0) out.push('No findings: the recordings match the document.', '');
  else {
    const rows = groups.map((g) => [operationCell(g.label, g.operation.operationId), String(g.counts.error), String(g.counts.warning), String(g.counts.info)]);
    out.push(...table(['Operation', 'Errors', 'Warnings', 'Info'], ['left', 'right', 'right', 'right'], rows), '');
  }

  for (const group of groups) {
    out.push(`## ${operationCell(group.label, group.operation.operationId)}`, '');
    const rows = group.findings.map((f) => [f.severity, codeSpan(f.kind), codeSpan(findingWhere(f)), seenCell(f), markdownText(f.message), expectedCell(f), observedCell(f)]);
    out.push(...table(['Severity', 'Kind', 'Where', 'Seen', 'Finding', 'Expected', 'Observed'], ['left', 'left', 'left', 'right', 'left', 'left', 'left'], rows), '');
  }

  if (report.skipped.length > 0) {
    out.push('## Skipped exchanges', '');
    const rows = report.skipped.map((s) => [markdownText(s.reason), String(s.count), s.exchanges.slice(0, EXCHANGES_SHOWN).map((e) => codeSpan(exchangeLabel(report, e))).join(', ')]);
    out.push(...table(['Reason', 'Exchanges', 'First seen in'], ['left', 'right', 'left'], rows), '');
  }

  if (report.profile !== undefined) {
    out.push('## Data profile', '', 'Facts about the vendor\'s data, not about its document.', '');
    if (report.profile.length === 0) out.push('Nothing notable.', '');
    else {
      const rows = report.profile.map((f) => [codeSpan(f.kind), codeSpan(operationLabel(f.operation)), codeSpan(findingWhere(f)), seenCell(f), markdownText(f.message), observedCell(f)]);
      out.push(...table(['Kind', 'Operation', 'Where', 'Seen', 'Finding', 'Observed'], ['left', 'left', 'left', 'right', 'left', 'left'], rows), '');
    }
  }
  return out.join('\n');
}

function operationCell(label: string, operationId: string | undefined): string {
  return operationId === undefined ? codeSpan(label) : `${codeSpan(label)} ${markdownText(operationId)}`;
}

function seenCell(finding: Finding): string {
  return finding.kind === 'never-observed' ? 'never' : `${finding.observed.count} of ${finding.observed.total}`;
}

function expectedCell(finding: Finding): string {
  return finding.expected === undefined ? '' : codeSpan(displayValue(finding.expected, EXPECTED_WIDTH));
}

function observedCell(finding: Finding): string {
  const examples = exampleValues(finding, EXAMPLES_SHOWN, EXAMPLE_WIDTH).map(codeSpan);
  const more = finding.observed.examples.length > EXAMPLES_SHOWN ? ', …' : '';
  const facts = [
    finding.observed.types?.length ? `as ${finding.observed.types.join('/')}` : '',
    finding.observed.formats?.length ? `looks like ${finding.observed.formats.map(codeSpan).join(', ')}` : '',
  ].filter(Boolean);
  return [examples.join(', ') + more, ...facts].filter(Boolean).join('; ');
}
