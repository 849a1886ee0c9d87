/**
 * Risks in the vendor's data (drift's data profile) and in its document (inventory gaps the
 * reviewer cannot work around).
 */
import type { Finding } from '../../drift/types.js';
import type { Risk } from '../types.js';
import { count, labelOf, operationIdOf, type RiskContext } from './context.js';

const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/** `ten`, `42`: small counts read better as words in a sentence. */
export function numberWord(n: number): string {
  return WORDS[n] ?? count(n);
}

/** `organizationNumber` from `/data/*\/organizationNumber`; `body` for the whole body (''). */
export function fieldOf(pointer: string): string {
  const parts = pointer.split('/').filter((p) => p !== '' && p !== '*');
  return parts[parts.length - 1]?.replace(/~1/g, '/').replace(/~0/g, '~') ?? 'body';
}

/** What a record is called, from the path: `/customers` → customers. */
export function recordsOf(path: string): string {
  const segments = path.split('/').filter((s) => s !== '' && !s.startsWith('{'));
  return segments[segments.length - 1] ?? 'records';
}

/**
 * @example
 * profileRisks(ctx)[0].consequence
 * // 'ten customers share one organizationNumber: matching or upserting on it merges them into one'
 */
export function profileRisks(ctx: RiskContext): Risk[] {
  const profile = ctx.inputs.drift?.profile ?? [];
  const contradicted = new Set((ctx.inputs.drift?.findings ?? []).filter((f) => f.severity === 'error').map(siteOf));
  const risks: Risk[] = [];
  for (const f of profile) {
    const label = labelOf(f.operation);
    const key = `${f.operation.operationId ?? operationIdOf(ctx.inputs, label) ?? label}:${fieldOf(f.pointer)}`;
    const field = fieldOf(f.pointer);
    if (f.kind === 'non-unique-key') {
      const records = recordsOf(f.operation.path);
      risks.push({
        id: `profile:non-unique-key:${key}`,
        severity: 'high',
        title: `\`${field}\` is not unique: ${numberWord(f.observed.count)} ${records} share one value`,
        evidence: [`${label}: ${f.message}`, `seen in ${count(f.observed.total)} ${records}`],
        consequence: `${numberWord(f.observed.count)} ${records} share one ${field}: matching or upserting on it merges them into one`,
        mitigation: `key on the vendor's own id, keep ${field} as an attribute, and agree with the client how the shared ones map (subsidiaries of one parent?)`,
        source: 'profile',
      });
    } else if (f.kind === 'mixed-formats' || f.kind === 'empty-string-as-null' || (f.kind === 'numeric-string' && !contradicted.has(siteOf(f)))) {
      risks.push({
        id: `profile:${f.kind}:${key}`,
        severity: 'low',
        title: `${label}: \`${field}\` ${f.kind === 'mixed-formats' ? 'comes in several formats' : f.kind === 'numeric-string' ? 'holds numbers as strings' : 'uses empty strings for missing values'}`,
        evidence: [f.message],
        consequence: 'comparisons, deduplication and exports give wrong answers unless the values are normalised first',
        mitigation: `normalise ${field} at the edge of the connector (one format in, one out)`,
        source: 'profile',
      });
    }
  }
  return risks;
}

/** Operation + pointer: where a profile fact and a drift contradiction are the same thing. */
export function siteOf(f: Finding): string {
  return `${labelOf(f.operation)} ${f.pointer}`;
}

/**
 * @example
 * inventoryRisks(ctx) // [{ id: 'inventory:unresolved-ref:…', severity: 'medium', … }]
 */
export function inventoryRisks(ctx: RiskContext): Risk[] {
  return (ctx.inputs.inventory?.gaps ?? [])
    .filter((gap) => gap.severity === 'error')
    .map((gap) => ({
      id: `inventory:${gap.kind}:${gap.operation ?? gap.location ?? ''}`,
      severity: 'medium' as const,
      title: `The document is broken: ${gap.kind.replace(/-/g, ' ')}${gap.operation === undefined ? '' : ` (${gap.operation})`}`,
      evidence: [`${gap.message}${gap.location === undefined ? '' : ` (${gap.location})`}`],
      consequence: 'code generated from the document is wrong or does not build here; the gap must be filled by hand',
      mitigation: 'ask the vendor for a corrected document, and keep the fix in the overlay meanwhile',
      source: 'inventory' as const,
    }));
}
