/**
 * Drift risks: contradictions of the document grouped by kind and operation (each is work the
 * quote must include), and what reality has beyond the document grouped by kind.
 */
import type { Finding } from '../../drift/types.js';
import type { Risk, RiskSeverity } from '../types.js';
import { labelOf, operationIdOf, type RiskContext } from './context.js';

interface KindWords {
  severity: RiskSeverity;
  title: string;
  consequence: string;
  mitigation: string;
}

/** Errors: the document is contradicted. */
const CONTRADICTIONS: Record<string, KindWords> = {
  'type-mismatch': {
    severity: 'high',
    title: 'values of another type than documented',
    consequence: 'a client generated from the document rejects or mis-reads these records (a number sent as a string breaks sums and comparisons)',
    mitigation: 'parse leniently (accept both forms) and normalise at the edge; ask the vendor which type is correct',
  },
  'missing-required': {
    severity: 'high',
    title: 'required fields are absent',
    consequence: 'mapping and validation built on the document fail for these records; the data must come from elsewhere or be optional',
    mitigation: 'treat the fields as optional with an explicit fallback, and ask the vendor when they are absent',
  },
  'invalid-body': {
    severity: 'high',
    title: 'bodies that cannot be parsed',
    consequence: 'records are lost or the sync stops on a body that is cut off or not what its content type says',
    mitigation: 'validate every body, retry once, then dead-letter with the raw response; report the cases to the vendor',
  },
  'enum-mismatch': {
    severity: 'medium',
    title: 'values outside the documented list',
    consequence: 'mapping to our states fails for the unknown values; records may be dropped or mis-booked',
    mitigation: 'map unknown values to an explicit fallback that alerts; ask the vendor for the complete list',
  },
  'format-mismatch': {
    severity: 'medium',
    title: 'values in another format than documented',
    consequence: 'parsers written for the documented format fail or, worse, mis-read the value (dd.MM vs MM.dd dates)',
    mitigation: 'accept the observed formats explicitly and normalise them; ask the vendor which format is authoritative',
  },
  'unexpected-null': {
    severity: 'medium',
    title: 'null where the document does not allow it',
    consequence: 'code that trusts the document dereferences null; the target system may reject empty values',
    mitigation: 'treat the fields as nullable and decide a default per field',
  },
  'constraint-violation': {
    severity: 'medium',
    title: 'values outside the documented limits',
    consequence: 'the target system or our validation rejects them (lengths over the limit, negative quantities)',
    mitigation: 'decide per field whether to truncate, transform or reject, and ask the vendor what the real rule is',
  },
};

/** Warnings (and the one info worth a line): reality has more, or less, than the document. */
const EXTRAS: Record<string, KindWords> = {
  'undocumented-operation': {
    severity: 'low',
    title: 'Operations the document does not list',
    consequence: 'they may be internal and change without notice; nothing should depend on them unconfirmed',
    mitigation: 'ask the vendor whether they are supported for integrators before using them',
  },
  'undocumented-status': {
    severity: 'medium',
    title: 'Statuses the document does not list',
    consequence: 'error handling written from the document misses them (a 503 with an HTML body must be retried, not parsed)',
    mitigation: 'handle them in the retry policy (honour Retry-After) and ask the vendor when they occur',
  },
  'undocumented-content-type': {
    severity: 'medium',
    title: 'Responses in content types the document does not list',
    consequence: 'a client that checks the content type, or negotiates with Accept, fails on these responses',
    mitigation: 'accept the observed media types explicitly; ask the vendor whether they are stable',
  },
  'undocumented-property': {
    severity: 'low',
    title: 'Fields the document does not describe',
    consequence: 'harmless to readers that ignore unknown fields; strict schemas (additionalProperties: false) reject them',
    mitigation: 'ignore unknown fields in the connector, and ask the vendor what they mean before using them',
  },
  'undocumented-header': {
    severity: 'low',
    title: 'Response headers the document does not describe',
    consequence: 'useful behaviour (paging links, release markers) is undocumented and may change',
    mitigation: 'ask the vendor whether the headers are part of the contract',
  },
  'missing-header': {
    severity: 'low',
    title: 'Documented response headers that are never sent',
    consequence: 'tracing and correlation that rely on them do not work on these operations',
    mitigation: 'generate our own correlation id and log it with each call',
  },
};

const MAX_EVIDENCE = 12;

/**
 * @example
 * driftRisks(ctx).find((r) => r.id === 'drift:type-mismatch:listInvoices')?.evidence
 * // ['`/data/*\/amount` is a string where the document says number (number sent as string) in 4 of 4 responses (9 values)']
 */
export function driftRisks(ctx: RiskContext): Risk[] {
  const findings = ctx.inputs.drift?.findings ?? [];
  const risks: Risk[] = [];
  const contradictions = groupBy(findings.filter((f) => f.severity === 'error' && f.kind in CONTRADICTIONS), (f) => `${f.kind} ${labelOf(f.operation)}`);
  for (const group of contradictions.values()) {
    const first = group[0]!;
    const words = CONTRADICTIONS[first.kind]!;
    const label = labelOf(first.operation);
    risks.push({
      id: `drift:${first.kind}:${first.operation.operationId ?? operationIdOf(ctx.inputs, label) ?? label}`,
      severity: words.severity,
      title: `${label}: ${words.title}`,
      evidence: capped(group.map((f) => withStatus(f))),
      consequence: words.consequence,
      mitigation: words.mitigation,
      source: 'drift',
    });
  }
  for (const [kind, words] of Object.entries(EXTRAS)) {
    // missing-header is an info (the document promised more than it got), but one a connector feels.
    const group = findings.filter((f) => f.kind === kind && (f.severity !== 'info' || kind === 'missing-header'));
    if (group.length === 0) continue;
    risks.push({ id: `drift:${kind}`, severity: words.severity, title: words.title, evidence: capped(extraEvidence(group)), consequence: words.consequence, mitigation: words.mitigation, source: 'drift' });
  }
  return risks;
}

function withStatus(f: Finding): string {
  return `${f.message} (status ${f.status ?? '?'}${f.contentType === undefined ? '' : `, ${f.contentType}`})`;
}

/** One line per header across operations (one release header on every response is one fact). */
function extraEvidence(group: Finding[]): string[] {
  const byHeader = groupBy(group, (f) => (f.pointer.startsWith('header:') ? f.pointer.toLowerCase() : `${labelOf(f.operation)} ${f.status ?? ''} ${f.pointer}`));
  return [...byHeader.values()].map((same) => {
    const first = same[0]!;
    if (!first.pointer.startsWith('header:')) return `${labelOf(first.operation)}: ${first.message}`;
    const operations = [...new Set(same.map((f) => labelOf(f.operation)))];
    const name = first.pointer.slice('header:'.length);
    const verb = first.kind === 'missing-header' ? 'never sent on' : 'sent on';
    return `header ${name} ${verb} ${operations.length === 1 ? operations[0] : `${operations.length} operations (${operations.slice(0, 4).join(', ')}${operations.length > 4 ? ', …' : ''})`}`;
  });
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function capped(lines: string[]): string[] {
  return lines.length <= MAX_EVIDENCE ? lines : [...lines.slice(0, MAX_EVIDENCE - 1), `… and ${lines.length - MAX_EVIDENCE + 1} more`];
}
