/**
 * `buildReviewModel`: the review folder's files (read by read.ts) turned into the one model every
 * rendering reads: the integration spec, report.md and report.html. Pure: the clock is an
 * option, so the same inputs and `now` give the same model.
 */
import { parseWindow, planBatch, type BatchPlan } from '../limits/plan/index.js';
import { percentile } from '../probe/stats.js';
import { operationLabel } from '../spec/index.js';
import { buildQuestions } from './questions.js';
import { buildAuth, buildRisks, count, groupBy, labelOf } from './risks/index.js';
import type { ReviewInputs, ReviewModel } from './types.js';

export interface BuildReviewModelOptions {
  /** The model's clock: `generatedAt` and the start of the batch plan. Default: now. */
  now?: Date;
  /** The batch to plan; overrides `inputs.batch`. None: no plan. */
  batch?: ReviewInputs['batch'];
}

/** Confidence thresholds, in one place. */
export const MODEL_DEFAULTS = {
  /** Share of documented operations exercised for high confidence. */
  highCoverage: 0.9,
  /** Below this share, confidence is low. */
  lowCoverage: 0.5,
  /** Rate-limit confidence for high overall confidence. */
  highLimitConfidence: 0.8,
} as const;

/**
 * @throws UsageError (exit 2) when the batch cannot be planned: fewer than 1 call, or a window
 *   that is not one (`RECON_PLAN_BAD_CALLS`, `RECON_PLAN_BAD_WINDOW`…); the CLI validates first.
 *
 * @example
 * const inputs = await readReview('review');
 * const model = buildReviewModel(inputs, { now: new Date('2026-12-05T08:00:00Z'), batch: { calls: 50_000, deadlineSeconds: 8 * 3600 } });
 * model.rateLimit?.limit;  // 60
 * model.batch?.fits;       // false
 * model.risks[0].severity; // 'high'
 */
export function buildReviewModel(inputs: ReviewInputs, options: BuildReviewModelOptions = {}): ReviewModel {
  const now = options.now ?? new Date();
  const rateLimit = rateLimitOf(inputs);
  const batchInput = options.batch ?? inputs.batch;
  const batch = rateLimit !== undefined && batchInput !== undefined ? planFor(batchInput, rateLimit, now) : undefined;
  const auth = buildAuth(inputs);
  const coverage = coverageOf(inputs);
  const ctx = { inputs, now, coverage, ...(rateLimit ? { rateLimit } : {}), ...(batch ? { batch } : {}) };
  const risks = buildRisks(ctx, auth);
  const model: ReviewModel = {
    generatedAt: now.toISOString(),
    vendor: vendorOf(inputs),
    summary: summaryOf(inputs, coverage, rateLimit, batch),
    risks,
    questions: buildQuestions(batchInput === undefined || inputs.batch === batchInput ? inputs : { ...inputs, batch: batchInput }),
    coverage,
    auth,
    latency: latencyOf(inputs),
    pagination: (inputs.probe?.pagination ?? []).map((p) => ({ operation: p.operation, documented: p.documented, observed: p.observed, agrees: p.agrees, notes: p.notes })),
    idempotency: (inputs.probe?.idempotency ?? []).map((r) => ({ operation: r.operation, verdict: r.verdict, detail: r.detail })),
    // Unreadable files are missing from the report too; renderers show both in one list.
    missing: [...inputs.missing, ...inputs.problems],
  };
  const target = inputs.probe ?? inputs.limits;
  if (target !== undefined) model.target = { name: target.target, baseUrl: target.baseUrl };
  if (rateLimit !== undefined) model.rateLimit = rateLimit;
  if (batch !== undefined) model.batch = batch;
  if (inputs.drift !== undefined) model.drift = driftOf(inputs.drift);
  if (inputs.limitsTimeline !== undefined) model.limitsTimeline = inputs.limitsTimeline;
  return model;
}

function vendorOf(inputs: ReviewInputs): ReviewModel['vendor'] {
  const { inventory, drift, overlay } = inputs;
  const vendor: ReviewModel['vendor'] = inventory
    ? { title: inventory.title, version: inventory.version, document: inventory.source.location, sha256: inventory.source.sha256 }
    : drift
      ? { title: drift.spec.title, version: drift.spec.version, document: drift.spec.source, sha256: drift.spec.sha256 }
      : { title: 'unknown vendor', version: 'unknown', document: 'unknown' };
  if (overlay !== undefined) vendor.overlay = overlay;
  return vendor;
}

function rateLimitOf({ limits }: ReviewInputs): ReviewModel['rateLimit'] {
  if (limits === undefined) return undefined;
  const { limit, windowSeconds: window, policy } = limits.estimate;
  const documented = limits.documented === undefined ? undefined : { limit: limits.documented.limit, windowSeconds: limits.documented.windowSeconds };
  let rate: ReviewModel['rateLimit'];
  if (limit !== undefined) {
    // A limit without a window borrows the documented window, and says so through its confidence.
    const windowSeconds = window?.value ?? documented?.windowSeconds ?? 60;
    const confidence = window === undefined ? limit.confidence / 2 : Math.min(limit.confidence, window.confidence);
    rate = { limit: limit.value, windowSeconds, source: limit.source, confidence: round(confidence, 2), conclusion: limits.conclusion };
  } else if (documented !== undefined) {
    rate = { limit: documented.limit, windowSeconds: documented.windowSeconds, source: 'documented', confidence: 0.3, conclusion: limits.conclusion };
  } else {
    return undefined;
  }
  if (policy !== undefined && policy.value !== 'unknown') rate.policy = policy.value;
  if (documented !== undefined) rate.documented = documented;
  return rate;
}

function planFor(batch: NonNullable<ReviewInputs['batch']>, rate: NonNullable<ReviewModel['rateLimit']>, now: Date): BatchPlan {
  return planBatch({
    calls: batch.calls,
    limit: { requests: rate.limit, windowSeconds: rate.windowSeconds },
    limitSource: `review/limits.json: ${rate.source}, confidence ${rate.confidence}`,
    start: now,
    ...(batch.deadlineSeconds !== undefined ? { deadline: { seconds: batch.deadlineSeconds } } : {}),
    ...(batch.windows !== undefined && batch.windows.length > 0 ? { windows: batch.windows.map((w) => parseWindow(w, 'batch window')) } : {}),
  });
}

function coverageOf({ inventory, probe, drift }: ReviewInputs): ReviewModel['coverage'] {
  // Drift's "documented, never observed" (no status) are the operations no recording holds.
  const unseen = drift === undefined ? undefined : new Set(drift.findings.filter((f) => f.kind === 'never-observed' && f.status === undefined).map((f) => labelOf(f.operation)));
  const seenInRecordings = (label: string): boolean => unseen !== undefined && !unseen.has(label);
  let operations: ReviewModel['coverage']['operations'];
  if (probe !== undefined) {
    operations = probe.coverage.entries.map((e) => {
      if (e.status === 'probed') return { operation: e.operation, exercised: true };
      if (seenInRecordings(e.operation)) return { operation: e.operation, exercised: true, why: `not probed (${e.reason ?? 'skipped'}), but seen in the recordings` };
      return { operation: e.operation, exercised: false, why: e.reason ?? 'skipped by the probe' };
    });
  } else if (inventory !== undefined) {
    operations = inventory.operations.map((op) => {
      const label = operationLabel(op);
      if (seenInRecordings(label)) return { operation: label, exercised: true };
      return { operation: label, exercised: false, why: unseen === undefined ? 'no probe or drift run' : 'never observed in the recordings' };
    });
  } else {
    operations = [...(unseen ?? [])].map((operation) => ({ operation, exercised: false, why: 'never observed in the recordings' }));
  }
  const documented = inventory?.operations.length ?? probe?.coverage.documented ?? drift?.summary.operationsDocumented ?? operations.length;
  return { documented, exercised: operations.filter((o) => o.exercised).length, operations };
}

function latencyOf({ inventory, probe, latencySamples }: ReviewInputs): ReviewModel['latency'] {
  const order = [...new Set([...(inventory?.operations.map(operationLabel) ?? []), ...(probe?.operations.map((o) => o.operation) ?? []), ...Object.keys(latencySamples ?? {}).sort()])];
  const rows: ReviewModel['latency'] = [];
  for (const operation of order) {
    const samples = latencySamples?.[operation];
    if (samples !== undefined && samples.length > 0) {
      const sorted = [...samples].sort((a, b) => a - b);
      rows.push({ operation, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), samples: samples.map((s) => round(s, 1)) });
      continue;
    }
    // Without the recording, probe.json's percentiles; its max is the best p99 it has.
    const summary = probe?.operations.find((o) => o.operation === operation);
    if (summary !== undefined && summary.calls > 0) rows.push({ operation, p50: summary.latencyMs.p50, p95: summary.latencyMs.p95, p99: summary.latencyMs.max, samples: [] });
  }
  return rows;
}

function driftOf(drift: NonNullable<ReviewInputs['drift']>): NonNullable<ReviewModel['drift']> {
  const byOperation = [...groupBy(drift.findings, (f) => labelOf(f.operation)).entries()].map(([operation, findings]) => {
    const row = { operation, error: 0, warning: 0, info: 0, kinds: {} as Record<string, number> };
    for (const f of findings) {
      if (f.severity === 'error' || f.severity === 'warning' || f.severity === 'info') row[f.severity]++;
      row.kinds[f.kind] = (row.kinds[f.kind] ?? 0) + 1;
    }
    return row;
  });
  return { summary: drift.summary, byOperation };
}

function summaryOf(inputs: ReviewInputs, coverage: ReviewModel['coverage'], rate: ReviewModel['rateLimit'], batch: BatchPlan | undefined): ReviewModel['summary'] {
  const { probe, drift, limits } = inputs;
  const works: string[] = [];
  const doesNotWork: string[] = [];
  for (const a of probe?.auth ?? []) {
    if (a.ok === true) works.push(`Authentication works (${a.type}${a.tokenLifetimeSeconds === undefined ? '' : `; tokens live ${a.tokenLifetimeSeconds} s`})`);
    if (a.ok === false) doesNotWork.push(`Authentication fails (${a.type}: ${a.failure?.message ?? 'no detail'})`);
  }
  if (probe !== undefined) {
    const answered = probe.operations.filter((o) => Object.keys(o.statuses).some((s) => s.startsWith('2')));
    works.push(`${answered.length} of ${coverage.documented} documented operations answered 2xx (${probe.operations.length} called)`);
    for (const o of probe.operations.filter((op) => !answered.includes(op))) doesNotWork.push(`${o.operation} never answered 2xx (${Object.entries(o.statuses).map(([s, n]) => `${n}× ${s}`).join(', ') || 'no answer'})`);
  }
  const followed = probe?.pagination.filter((p) => p.pagesFollowed > 1) ?? [];
  if (followed.length > 0) works.push(`Pagination followed on ${followed.length} list operations (${followed.reduce((n, p) => n + p.pagesFollowed, 0)} pages)`);
  for (const r of probe?.idempotency ?? []) {
    if (r.verdict === 'honoured') works.push(`${r.operation} honours the ${r.header}`);
    if (r.verdict === 'ignored') doesNotWork.push(`${r.operation} ignores the ${r.header}: a retry creates a duplicate`);
  }
  if (limits !== undefined && limits.headers.dialects.length > 0) works.push(`The rate limit is announced in the response headers (${limits.headers.dialects.join(', ')})`);
  if (rate?.documented !== undefined && rate.source !== 'documented' && rate.limit * rate.documented.windowSeconds !== rate.documented.limit * rate.windowSeconds) {
    doesNotWork.push(`The rate limit is ${rate.limit} per ${rate.windowSeconds} s, not the documented ${rate.documented.limit} per ${rate.documented.windowSeconds} s`);
  }
  if (batch !== undefined && !batch.fits) doesNotWork.push(`The ${count(batch.calls)}-call batch does not fit its deadline at ${batch.limit.text}`);
  for (const p of probe?.pagination ?? []) {
    if (p.claimedTotal !== undefined && p.countedTotal !== undefined && p.claimedTotal !== p.countedTotal) doesNotWork.push(`${p.operation}: the total says ${p.claimedTotal}, the pages hold ${p.countedTotal}`);
  }
  const disagreeing = probe?.pagination.filter((p) => !p.agrees) ?? [];
  if (disagreeing.length > 0) doesNotWork.push(`Pagination differs from the document on ${disagreeing.length} list operations (${[...new Set(disagreeing.map((p) => p.observed))].join(', ')})`);
  if (drift !== undefined) {
    const errors = drift.findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) {
      const kinds = [...new Set(errors.map((f) => f.kind))].join(', ');
      doesNotWork.push(`${errors.length} contradictions of the document on ${new Set(errors.map((f) => labelOf(f.operation))).size} operations (${kinds})`);
    }
    for (const p of drift.profile ?? []) if (p.kind === 'non-unique-key') doesNotWork.push(p.message);
  }
  return { works, doesNotWork, ...confidenceOf(inputs, coverage, rate) };
}

function confidenceOf(inputs: ReviewInputs, coverage: ReviewModel['coverage'], rate: ReviewModel['rateLimit']): Pick<ReviewModel['summary'], 'confidence' | 'confidenceWhy'> {
  const stages = (['inventory', 'probe', 'drift', 'limits'] as const).filter((s) => inputs[s] === undefined);
  const share = coverage.documented === 0 ? 0 : coverage.exercised / coverage.documented;
  const why = [
    `${coverage.exercised} of ${coverage.documented} documented operations exercised (${Math.round(share * 100)}%)`,
    stages.length === 0 ? 'every stage present' : `${stages.join(', ')} missing`,
    rate === undefined ? 'rate limit unknown' : `rate limit confidence ${rate.confidence} (${rate.source})`,
  ];
  if (inputs.problems.length > 0) why.push(`${inputs.problems.length} unreadable ${inputs.problems.length === 1 ? 'file' : 'files'}`);
  const d = MODEL_DEFAULTS;
  const low = stages.length >= 2 || share < d.lowCoverage || rate === undefined;
  const high = stages.length === 0 && inputs.problems.length === 0 && share >= d.highCoverage && rate !== undefined && rate.confidence >= d.highLimitConfidence;
  return { confidence: low ? 'low' : high ? 'high' : 'medium', confidenceWhy: why.join('; ') };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
