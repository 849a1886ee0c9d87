/**
 * Findings grouped by operation, worst operation first: the order every per-operation rendering
 * (text, Markdown, JUnit) shows them in.
 */
import type { Finding, OperationRef, Severity } from '../types.js';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export interface OperationGroup {
  /** `GET /invoices/{invoiceId}`. */
  label: string;
  operation: OperationRef;
  /** In report order, which is worst first. */
  findings: Finding[];
  counts: Record<Severity, number>;
}

/**
 * `GET /invoices/{invoiceId}`: method upper-cased, path as documented (or as observed).
 *
 * @example
 * operationLabel({ method: 'get', path: '/invoices' }); // 'GET /invoices'
 */
export function operationLabel(operation: OperationRef): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}

/**
 * Group findings by operation. Worst first means most errors, then most warnings, then most info;
 * ties keep the order in which the report first names the operation, so the output is stable.
 *
 * @example
 * groupByOperation(report.findings).map((g) => g.label); // ['GET /invoices', 'POST /invoices', …]
 */
export function groupByOperation(findings: readonly Finding[]): OperationGroup[] {
  const groups = new Map<string, OperationGroup & { first: number }>();
  findings.forEach((finding, index) => {
    const label = operationLabel(finding.operation);
    let group = groups.get(label);
    if (!group) {
      group = { label, operation: finding.operation, findings: [], counts: { error: 0, warning: 0, info: 0 }, first: index };
      groups.set(label, group);
    }
    group.findings.push(finding);
    group.counts[finding.severity]++;
    // An undocumented operation has no operationId; a later finding of the same operation may.
    if (group.operation.operationId === undefined && finding.operation.operationId !== undefined) group.operation = finding.operation;
  });
  return [...groups.values()]
    .sort((a, b) => b.counts.error - a.counts.error || b.counts.warning - a.counts.warning || b.counts.info - a.counts.info || a.first - b.first)
    .map(({ first: _first, ...group }) => group);
}

/**
 * "3 errors, 5 warnings, 2 info".
 *
 * @example
 * severityCounts({ error: 1, warning: 0, info: 2 }); // '1 error, 0 warnings, 2 info'
 */
export function severityCounts(counts: Record<Severity, number>): string {
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info`;
}

/**
 * @example
 * plural(1, 'exchange'); // '1 exchange'
 */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
