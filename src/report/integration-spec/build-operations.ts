/**
 * The per-operation half of the integration spec: latency, idempotency of every write, and the
 * reliable way to page every list.
 */
import type { ProbeResult } from '../../probe/types.js';
import type { Inventory } from '../../spec/inventory.js';
import type { ReviewModel } from '../types.js';
import type {
  IdempotencySpecVerdict,
  IntegrationSpecIdempotency,
  IntegrationSpecLatency,
  IntegrationSpecPagination,
  PaginationStyleName,
  PaginationTraversal,
} from './types.js';

/** `get /orders` → `GET /orders`: the spec names operations as the inventory does. */
export function normaliseOperation(label: string): string {
  const space = label.indexOf(' ');
  return space > 0 ? label.slice(0, space).toUpperCase() + label.slice(space) : label;
}

/** Percentiles to 0.1 ms: finer is noise, and it keeps regenerated files from diffing on it. */
const round = (ms: number) => Math.round(ms * 10) / 10;

/** @example latencyOf(model, probe.startedAt) // [{ operation: 'GET /orders', p50Ms: 2.8, …, samples: 3, source: 'measured', at }] */
export function latencyOf(model: ReviewModel, at: string): IntegrationSpecLatency[] {
  return model.latency
    .filter((entry) => entry.samples.length > 0)
    .map((entry) => ({
      operation: normaliseOperation(entry.operation),
      p50Ms: round(entry.p50),
      p95Ms: round(entry.p95),
      p99Ms: round(entry.p99),
      samples: entry.samples.length,
      source: 'measured' as const,
      at,
    }));
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** RFC 9110 §9.2.2: PUT and DELETE are idempotent by definition; repeating them changes nothing more. */
const IDEMPOTENT_BY_METHOD = new Set(['PUT', 'DELETE']);
const VERDICTS: readonly IdempotencySpecVerdict[] = ['honoured', 'ignored', 'rejected', 'inconclusive', 'not-tested'];

/**
 * One entry per write operation of the document (the token endpoint aside: the auth provider
 * owns it), plus any write the probe tested that the document lacks.
 *
 * - honoured → `header`, verified: a retry replays the same resource.
 * - ignored / rejected → `lookup-before-create`: the probe saw a replay create a duplicate.
 * - untested, but the document names a header → `header`, unverified, not retried.
 * - untested PUT / DELETE → `none`, retry-safe by HTTP semantics; other writes → `none`, not retried.
 */
export function idempotencyOf(model: ReviewModel, inventory: Inventory | undefined, probe: ProbeResult | undefined, tokenPaths: string[], generatedAt: string): IntegrationSpecIdempotency[] {
  const writes = (inventory?.operations ?? [])
    .filter((op) => WRITE_METHODS.has(op.method.toUpperCase()) && !tokenPaths.some((p) => p.endsWith(op.path)))
    .map((op) => `${op.method.toUpperCase()} ${op.path}`);
  for (const tested of model.idempotency) if (!writes.includes(normaliseOperation(tested.operation))) writes.push(normaliseOperation(tested.operation));

  const probedAt = probe?.startedAt ?? generatedAt;
  return writes.map((operation): IntegrationSpecIdempotency => {
    const tested = model.idempotency.find((entry) => normaliseOperation(entry.operation) === operation);
    const header = probe?.idempotency.find((entry) => normaliseOperation(entry.operation) === operation)?.header ?? documentedHeader(inventory, operation);
    const verdict: IdempotencySpecVerdict = tested && (VERDICTS as string[]).includes(tested.verdict) ? (tested.verdict as IdempotencySpecVerdict) : 'not-tested';
    const evidence = tested?.detail ? [tested.detail] : [];
    if (verdict === 'honoured') {
      return { operation, strategy: 'header', header: header ?? 'Idempotency-Key', verified: true, verdict, retrySafe: true, source: 'measured', at: probedAt, evidence };
    }
    if (verdict === 'ignored' || verdict === 'rejected') {
      return { operation, strategy: 'lookup-before-create', verdict, retrySafe: true, source: 'measured', at: probedAt, evidence };
    }
    const at = verdict === 'inconclusive' ? probedAt : generatedAt;
    if (header !== undefined) {
      evidence.push(`the document names ${header}, but the probe did not see it honoured: verify it before a retry relies on it`);
      return { operation, strategy: 'header', header, verified: false, verdict, retrySafe: false, source: 'documented', at, evidence };
    }
    const method = operation.split(' ')[0]!;
    if (IDEMPOTENT_BY_METHOD.has(method)) {
      evidence.push(`${method} is idempotent by definition (RFC 9110 §9.2.2)`);
      return { operation, strategy: 'none', verdict, retrySafe: true, source: 'assumed', at, evidence };
    }
    evidence.push('nothing makes a repeat safe: the runtime does not retry it once sent');
    return { operation, strategy: 'none', verdict, retrySafe: false, source: 'assumed', at, evidence };
  });
}

function documentedHeader(inventory: Inventory | undefined, operation: string): string | undefined {
  return inventory?.idempotency.headers.find((h) => h.operations.includes(operation))?.name;
}

const STYLES: readonly PaginationStyleName[] = ['page', 'offset', 'cursor', 'link-header', 'none'];
const TRAVERSAL: Record<PaginationStyleName, PaginationTraversal> = {
  'link-header': 'follow-link-next',
  cursor: 'follow-cursor',
  page: 'page-until-empty',
  offset: 'offset-until-empty',
  none: 'single-page',
};

/**
 * What the server did wins over what the document says; when the probe saw one page only
 * (observed `none`), the documented style is the best there is. Stopping by the body's total is
 * never the traversal: the probe has seen totals that lie.
 */
export function paginationOf(model: ReviewModel, probe: ProbeResult | undefined, generatedAt: string): IntegrationSpecPagination[] {
  const at = probe?.startedAt ?? generatedAt;
  return model.pagination.map((entry) => {
    const documented = asStyle(entry.documented);
    const observed = asStyle(entry.observed);
    const report = probe?.pagination.find((p) => p.operation === entry.operation);
    const reliable = report?.claimedTotal !== undefined && report.countedTotal !== undefined ? report.claimedTotal === report.countedTotal : undefined;
    return {
      operation: normaliseOperation(entry.operation),
      documented,
      observed: {
        value: observed,
        source: 'measured' as const,
        at,
        ...(report ? { pagesFollowed: report.pagesFollowed, itemsSeen: report.itemsSeen } : {}),
      },
      traversal: TRAVERSAL[observed === 'none' ? documented : observed],
      ...(reliable !== undefined ? { totalCountReliable: reliable } : {}),
      ...(entry.notes.length > 0 ? { notes: [...entry.notes] } : {}),
    };
  });
}

function asStyle(value: string): PaginationStyleName {
  return (STYLES as readonly string[]).includes(value) ? (value as PaginationStyleName) : 'none';
}
