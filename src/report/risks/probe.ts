/**
 * Risks from what the probe did: idempotency of writes, pagination, and the operations nobody
 * exercised (unverified is not the same as fine).
 */
import type { PaginationReport } from '../../probe/index.js';
import type { Risk } from '../types.js';
import { count, labelOf, operationIdOf, type RiskContext } from './context.js';

/**
 * @example
 * idempotencyRisks(ctx)[0] // { id: 'idempotency-ignored:createInvoice', severity: 'high', … }
 */
export function idempotencyRisks(ctx: RiskContext): Risk[] {
  const risks: Risk[] = [];
  for (const result of ctx.inputs.probe?.idempotency ?? []) {
    const key = operationIdOf(ctx.inputs, result.operation) ?? result.operation;
    const evidence = [`${result.header} sent twice with the same key: statuses ${result.statuses.join(', ')}`, result.detail];
    if (result.verdict === 'ignored') {
      risks.push({
        id: `idempotency-ignored:${key}`,
        severity: 'high',
        title: `${result.operation} ignores the ${result.header}`,
        evidence,
        consequence: `duplicates on retry unless lookup-before-create: a retry after a timeout on ${result.operation} creates a second record`,
        mitigation: `use lookup-before-create (search by our own reference before each create) and never retry ${result.operation} blind; ask the vendor to honour the key`,
        source: 'probe',
      });
    } else if (result.verdict === 'rejected') {
      risks.push({
        id: `idempotency-rejected:${key}`,
        severity: 'medium',
        title: `${result.operation} rejects the ${result.header}`,
        evidence,
        consequence: 'retries cannot be made safe with the header; writes need another guard',
        mitigation: 'use lookup-before-create, and ask the vendor how to retry this operation safely',
        source: 'probe',
      });
    } else if (result.verdict === 'inconclusive') {
      risks.push({
        id: `idempotency-inconclusive:${key}`,
        severity: 'low',
        title: `Idempotency of ${result.operation} is unverified`,
        evidence,
        consequence: 'until it is shown, retries of this write may duplicate records',
        mitigation: 'treat it as not idempotent (lookup-before-create) until the vendor confirms',
        source: 'probe',
      });
    }
  }
  return risks;
}

/**
 * @example
 * paginationRisks(ctx).map((r) => r.id) // ['pagination-total:listInvoices', 'pagination-style', 'pagination-no-total:listOrders']
 */
export function paginationRisks(ctx: RiskContext): Risk[] {
  const reports = ctx.inputs.probe?.pagination ?? [];
  const risks: Risk[] = [];
  for (const report of reports) {
    const key = operationIdOf(ctx.inputs, report.operation) ?? report.operation;
    if (report.claimedTotal !== undefined && report.countedTotal !== undefined && report.claimedTotal !== report.countedTotal) {
      const gap = Math.abs(report.countedTotal - report.claimedTotal);
      risks.push({
        id: `pagination-total:${key}`,
        severity: 'high',
        title: `${report.operation}: the total count is wrong`,
        evidence: [`the body says ${count(report.claimedTotal)} items; the pages hold ${count(report.countedTotal)}`, ...report.notes.filter((n) => /total|count|items/.test(n))],
        consequence: `paging by the total count misses ${count(gap)} of ${count(Math.max(report.countedTotal, report.claimedTotal))} records: a silent gap in every full sync`,
        mitigation: 'page until there is no next link (or an empty page), never by the total; reconcile counts after each run',
        source: 'probe',
      });
    } else if (report.notes.some((n) => /no total/.test(n))) {
      risks.push({
        id: `pagination-no-total:${key}`,
        severity: 'low',
        title: `${report.operation}: no total count`,
        evidence: report.notes.filter((n) => /no total/.test(n)),
        consequence: 'progress and completeness of a full sync cannot be checked against a count',
        mitigation: 'page until there is no next link; count what was read and reconcile by other means',
        source: 'probe',
      });
    }
  }
  const disagreeing = reports.filter((r) => !r.agrees);
  if (disagreeing.length > 0) {
    risks.push({
      id: 'pagination-style',
      severity: 'medium',
      title: `Pagination works differently than documented on ${disagreeing.length} list ${disagreeing.length === 1 ? 'operation' : 'operations'}`,
      evidence: disagreeing.map(styleLine),
      consequence: 'paging code written from the document relies on behaviour the vendor does not promise; records can be skipped or read twice',
      mitigation: 'follow what the server does (the Link header, rel="next") and confirm the contract with the vendor',
      source: 'probe',
    });
  }
  return risks;
}

function styleLine(report: PaginationReport): string {
  return `${report.operation}: documented ${report.documented}, observed ${report.observed} (${report.pagesFollowed} pages, ${count(report.itemsSeen)} items followed)`;
}

/**
 * @example
 * coverageRisks(ctx)[0] // { id: 'coverage-gaps', evidence: ['POST /customers: not a safe method, and the plan has no call for it', …] }
 */
export function coverageRisks(ctx: RiskContext): Risk[] {
  const { probe, drift } = ctx.inputs;
  let gaps: { operation: string; why: string }[];
  let documented: number;
  if (ctx.coverage !== undefined) {
    gaps = ctx.coverage.operations.filter((o) => !o.exercised).map((o) => ({ operation: o.operation, why: o.why ?? 'not exercised' }));
    documented = ctx.coverage.documented;
  } else if (probe !== undefined) {
    gaps = probe.coverage.entries.filter((e) => e.status !== 'probed').map((e) => ({ operation: e.operation, why: e.reason ?? 'skipped' }));
    documented = probe.coverage.documented;
  } else if (drift !== undefined) {
    // Without a probe, drift's "documented, never observed" (no status) are the gaps.
    gaps = drift.findings.filter((f) => f.kind === 'never-observed' && f.status === undefined).map((f) => ({ operation: labelOf(f.operation), why: 'never observed in the recordings' }));
    documented = drift.summary.operationsDocumented;
  } else {
    return [];
  }
  // With neither probe nor drift nothing was exercised at all: nothingExercised says so, once.
  if (gaps.length === 0 || (probe === undefined && drift === undefined)) return [];
  const writes = gaps.filter((g) => !/^(GET|HEAD|OPTIONS) /.test(g.operation));
  const evidence = gaps.map((g) => `${g.operation}: ${g.why}`);
  if (probe?.stoppedEarly !== undefined) evidence.push(`the probe stopped early: ${probe.stoppedEarly}`);
  return [
    {
      id: 'coverage-gaps',
      severity: writes.length > 0 ? 'medium' : 'low',
      title: `${gaps.length} of ${documented} documented operations were never exercised`,
      evidence,
      consequence: `their statuses, bodies${writes.length > 0 ? ` and write behaviour (${writes.length} writes)` : ''} are unverified: the quote carries that uncertainty`,
      mitigation: 'add probe calls for the ones the integration needs (probe.calls in recon.yaml), or ask the vendor for example requests and responses',
      source: 'coverage',
    },
  ];
}
