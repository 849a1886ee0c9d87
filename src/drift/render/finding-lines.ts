/**
 * A finding as a few plain lines with all its evidence, for formats that carry a text body:
 * the JUnit failure and system-out. Plain text; the caller escapes for its format.
 */
import type { DriftReport, Finding } from '../types.js';
import { displayValue, escapeControls } from './display-value.js';
import type { DocumentPath } from './document-path.js';
import { exampleValues, exchangeLabel, findingSeen, findingWhere } from './where.js';

const EXAMPLES_SHOWN = 3;
const VALUE_WIDTH = 80;
const EXCHANGES_SHOWN = 5;

/**
 * @example
 * findingLines(report, finding, documentPath);
 * // ['error type-mismatch at 200 /data/*\/amount, in 9 of 80', '  `amount` is a string …', '  expected: ["number"]', …]
 */
export function findingLines(report: DriftReport, finding: Finding, documentPath: (uri: string | undefined) => DocumentPath): string[] {
  const lines = [`${finding.severity} ${finding.kind} at ${findingWhere(finding)}, ${findingSeen(finding)}`, `  ${finding.message}`];
  if (finding.expected !== undefined) lines.push(`  expected: ${displayValue(finding.expected, VALUE_WIDTH)}`);
  const examples = exampleValues(finding, EXAMPLES_SHOWN, VALUE_WIDTH);
  const types = finding.observed.types?.length ? ` (as ${finding.observed.types.join('/')})` : '';
  if (examples.length > 0 || types) lines.push(`  observed: ${examples.join(', ')}${types}`);
  if (finding.observed.formats?.length) lines.push(`  formats: ${finding.observed.formats.join(', ')}`);
  if (finding.branch?.length) lines.push(`  branch: ${finding.branch.join(' > ')}`);
  if (finding.location) lines.push(`  document: ${documentPath(finding.location.uri).display}#${finding.location.pointer}`);
  if (finding.exchanges.length > 0) lines.push(`  exchanges: ${finding.exchanges.slice(0, EXCHANGES_SHOWN).map((e) => exchangeLabel(report, e)).join(', ')}`);
  return lines.map(escapeControls);
}
