/**
 * `runProbe`: call every safe operation the plan can reach (then the explicit calls the target
 * allows), under a budget, record every exchange (redacted) and summarise what was learnt.
 */
import { performance } from 'node:perf_hooks';
import type { ReconConfig, TargetConfig, ProbePlanConfig } from '../config/types.js';
import { createAuthProvider, sendWithAuth, AuthError, type AuthProvider } from '../http/auth/index.js';
import { createHttpClient, type HttpClient } from '../http/client.js';
import { HarRecorder } from '../http/har/index.js';
import { createRedactor } from '../http/redact/index.js';
import { headerValue } from '../http/headers.js';
import type { Exchange, OutgoingRequest } from '../http/types.js';
import { operationLabel, type ApiSpec, type OperationModel } from '../spec/index.js';
import { RECON_VERSION } from '../version.js';
import { documentedStyle, observePage, totalFromLastPage, type PaginationReport } from './pagination.js';
import { buildRequest } from './request.js';
import { CallScheduler, retryAfterMs } from './scheduler.js';
import { OperationStats } from './stats.js';
import type { CoverageEntry, CreatedResource, ProbeProblem, ProbeProgress, ProbeResult } from './types.js';
import { DiscoveredValues, listItems, planOrDocumentValue } from './values.js';
import { runExplicitCalls } from './writes.js';

export interface RunProbeOptions {
  spec: ApiSpec;
  target: TargetConfig;
  plan: ProbePlanConfig;
  redaction: ReconConfig['redaction'];
  /** Secret values from the config; redaction scrubs them wherever they appear. */
  secrets: string[];
  /** Write the HAR here; nothing is written when absent. */
  recordingPath?: string;
  /** The longest Retry-After the probe waits (seconds). Default 60. */
  maxRetryAfterSeconds?: number;
  onProgress?: (progress: ProbeProgress) => void;
  /** Stop starting calls (Ctrl-C): calls in flight finish, and the recording is still written. */
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Everything one probe run shares. */
export interface ProbeContext {
  spec: ApiSpec;
  target: TargetConfig;
  plan: ProbePlanConfig;
  client: HttpClient;
  auth: AuthProvider;
  scheduler: CallScheduler;
  stats: OperationStats;
  discovered: DiscoveredValues;
  probed: Set<OperationModel>;
  problems: ProbeProblem[];
  created: CreatedResource[];
  now: () => number;
  reachedVendor: boolean;
}

export async function runProbe(options: RunProbeOptions): Promise<ProbeResult> {
  const { spec, target, plan } = options;
  const now = options.now ?? Date.now;
  const started = performance.now();
  const startedAt = new Date(now()).toISOString();
  const redactor = createRedactor({ ...options.redaction, secrets: options.secrets });
  const recorder = new HarRecorder({ redactor, creator: { name: 'recon', version: RECON_VERSION }, comment: `recon probe of ${target.name} (${target.baseUrl})` });
  const scheduler = new CallScheduler({
    budget: target.budget,
    concurrency: target.concurrency,
    ratePerSecond: target.rateLimit,
    maxWaitMs: (options.maxRetryAfterSeconds ?? 60) * 1000,
    now,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const progress = progressTracker(scheduler, target.budget, options.onProgress);
  const client = createHttpClient({
    timeoutMs: target.timeoutSeconds * 1000,
    maxResponseBytes: target.maxResponseBytes,
    tls: target.tls,
    connections: target.concurrency,
    onExchange: (exchange) => {
      scheduler.charge();
      recorder.add(exchange);
      progress(exchange);
    },
  });
  const auth = createAuthProvider(target.auth.type, target.auth, client, { clock: now });
  const interrupt = () => scheduler.stop('interrupted (Ctrl-C): calls in flight finished, no new ones started');
  if (options.signal?.aborted) interrupt();
  options.signal?.addEventListener('abort', interrupt, { once: true });
  const ctx: ProbeContext = {
    spec, target, plan, client, auth, scheduler, now,
    stats: new OperationStats(),
    discovered: new DiscoveredValues(),
    probed: new Set(),
    problems: [],
    created: [],
    reachedVendor: false,
  };
  const skipped = new Map<OperationModel, string>();
  const pagination: PaginationReport[] = [];
  let idempotency: ProbeResult['idempotency'] = [];
  try {
    await probeReads(ctx, skipped, pagination);
    idempotency = await runExplicitCalls(ctx, skipped);
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
    for (const secret of auth.secrets()) redactor.addSecret(secret);
    await client.close();
  }
  let recording: string | undefined;
  if (options.recordingPath !== undefined && recorder.size > 0) {
    await recorder.write(options.recordingPath);
    recording = options.recordingPath;
  }
  const entries = coverage(spec.operations, ctx.probed, skipped, scheduler.stopped);
  const result: ProbeResult = {
    target: target.name,
    baseUrl: target.baseUrl,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    requests: scheduler.spent,
    budget: target.budget,
    auth: [auth.report()],
    operations: ctx.stats.summaries(),
    coverage: {
      documented: spec.operations.length,
      probed: entries.filter((e) => e.status === 'probed').length,
      skipped: entries.filter((e) => e.status === 'skipped').length,
      entries,
    },
    pagination,
    idempotency,
    // The result is printed and may be saved: what the vendor or the transport said goes
    // through the same redaction as the recording (a token echoed in an error, a key in a URL).
    created: ctx.created.map((c) => (c.location === undefined ? c : { ...c, location: redactor.url(c.location) })),
    problems: ctx.problems.map((p) => ({ ...p, message: redactor.text(p.message) })),
    reachedVendor: ctx.reachedVendor,
  };
  if (scheduler.stopped !== undefined) result.stoppedEarly = redactor.text(scheduler.stopped);
  if (recording !== undefined) result.recording = recording;
  return result;
}

/** The operationId, else `GET /path`: how the plan names an operation. */
export function operationKey(operation: OperationModel): string {
  return operation.operationId ?? operationLabel(operation);
}

export function planFor(plan: ProbePlanConfig, operation: OperationModel): ProbePlanConfig['operations'][string] | undefined {
  return plan.operations[operation.operationId ?? ''] ?? plan.operations[operationLabel(operation)];
}

/**
 * Send one request for `operation` under the scheduler; retry once after a Retry-After when the
 * method is safe. `undefined` when the budget is spent or the probe stopped.
 */
export async function callOperation(ctx: ProbeContext, operation: OperationModel, request: OutgoingRequest, purpose: string): Promise<Exchange | undefined> {
  const label = operationLabel(operation);
  const meta = { purpose, operation: { method: operation.method.toUpperCase(), path: operation.path, ...(operation.operationId ? { operationId: operation.operationId } : {}) } };
  for (let attempt = 1; ; attempt++) {
    const exchange = await ctx.scheduler.run(async () => {
      try {
        return await sendWithAuth(ctx.client, ctx.auth, request, meta);
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        ctx.problems.push({ operation: label, code: error.code, message: error.message });
        ctx.scheduler.stopped ??= `authentication failed: ${error.message}`;
        return undefined;
      }
    });
    if (exchange === undefined) return undefined;
    ctx.probed.add(operation);
    ctx.stats.add(label, operation.operationId, exchange);
    if (exchange.response) ctx.reachedVendor = true;
    else if (exchange.failure) ctx.problems.push({ operation: label, code: exchange.failure.code, message: exchange.failure.message });
    const status = exchange.response?.status;
    const safe = request.method === 'GET' || request.method === 'HEAD';
    if ((status === 429 || status === 503) && attempt === 1) {
      const wait = retryAfterMs(headerValue(exchange.response?.headers, 'retry-after'), ctx.now());
      if (wait !== undefined && ctx.scheduler.pauseFor(wait) && safe) continue;
    }
    return exchange;
  }
}

async function probeReads(ctx: ProbeContext, skipped: Map<OperationModel, string>, pagination: PaginationReport[]): Promise<void> {
  const ready: { operation: OperationModel; values: Record<string, unknown> }[] = [];
  const deferred: { operation: OperationModel; values: Record<string, unknown>; missing: string[] }[] = [];
  for (const operation of ctx.spec.operations) {
    if (operation.method !== 'get' && operation.method !== 'head') continue;
    const own = planFor(ctx.plan, operation);
    if (own?.skip !== undefined) {
      skipped.set(operation, `the plan skips it: ${own.skip}`);
      continue;
    }
    const { values, missing } = resolveValues(operation, own?.parameters, ctx.plan.parameters);
    if (missing.length === 0) ready.push({ operation, values });
    else deferred.push({ operation, values, missing });
  }
  // Lists first: their responses give the ids that detail operations need.
  ready.sort((a, b) => pathDepth(a.operation) - pathDepth(b.operation));
  await Promise.all(ready.map(({ operation, values }) => readOperation(ctx, operation, values, pagination)));

  const second: typeof ready = [];
  for (const item of deferred) {
    const stillMissing: string[] = [];
    for (const name of item.missing) {
      const parameter = item.operation.parameters.find((p) => p.name === name)!;
      const value = parameter.in === 'path' ? ctx.discovered.valueFor(item.operation, parameter) : undefined;
      if (value === undefined) stillMissing.push(`${name} (${parameter.in})`);
      else item.values[name] = value;
    }
    if (stillMissing.length === 0) second.push({ operation: item.operation, values: item.values });
    else {
      const key = operationKey(item.operation);
      skipped.set(item.operation, `missing required parameter ${stillMissing.join(', ')}: give it in probe.parameters or probe.operations["${key}"].parameters`);
    }
  }
  await Promise.all(second.map(({ operation, values }) => readOperation(ctx, operation, values, pagination)));
}

function resolveValues(operation: OperationModel, own: Record<string, unknown> | undefined, global: Record<string, unknown>): { values: Record<string, unknown>; missing: string[] } {
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const parameter of operation.parameters) {
    if (parameter.in === 'cookie') continue;
    const found = planOrDocumentValue(parameter, own, global);
    // Optional parameters are sent only when the plan asks for them: a first look keeps calls plain.
    if (found && (parameter.required || found.source === 'plan')) values[parameter.name] = found.value;
    else if (parameter.required && !found) missing.push(parameter.name);
  }
  return { values, missing };
}

async function readOperation(ctx: ProbeContext, operation: OperationModel, values: Record<string, unknown>, pagination: PaginationReport[]): Promise<void> {
  const request = buildRequest({ operation, baseUrl: ctx.target.baseUrl, values, headers: ctx.target.headers });
  const exchange = await callOperation(ctx, operation, request, `read ${operationKey(operation)}`);
  const body = jsonBody(exchange);
  if (body === undefined || exchange?.response === undefined || exchange.response.status >= 300) return;
  ctx.discovered.learn(operation.path, body);
  if (listItems(body) !== undefined && operation.method === 'get') {
    const report = await followPages(ctx, operation, exchange, body);
    if (report) pagination.push(report);
  }
}

/** Follow a list's pages (at most `plan.maxPages`), and compare what it claims with what it holds. */
async function followPages(ctx: ProbeContext, operation: OperationModel, first: Exchange, firstBody: unknown): Promise<PaginationReport | undefined> {
  const documented = documentedStyle(operation);
  let observation = observePage(first.request.url, headerValue(first.response?.headers, 'link'), firstBody);
  if (documented === 'none' && observation.style === 'none') return undefined;
  const style = observation.style;
  const pageSize = observation.items;
  const claimedTotal = observation.claimedTotal;
  let pages = 1;
  let items = observation.items;
  let counted: number | undefined;
  while (observation.next !== undefined && pages < ctx.plan.maxPages) {
    const exchange = await callOperation(ctx, operation, { ...first.request, url: observation.next }, `page ${pages + 1} of ${operationKey(operation)}`);
    const body = jsonBody(exchange);
    if (body === undefined) break;
    pages++;
    observation = observePage(observation.next, headerValue(exchange?.response?.headers, 'link'), body);
    items += observation.items;
  }
  if (observation.next === undefined) counted = items;
  else if (observation.last !== undefined && pageSize > 0) {
    const exchange = await callOperation(ctx, operation, { ...first.request, url: observation.last }, `last page of ${operationKey(operation)}`);
    const lastBody = jsonBody(exchange);
    if (lastBody !== undefined) counted = totalFromLastPage(observation.last, listItems(lastBody)?.length ?? 0, pageSize);
  }
  const notes: string[] = [];
  if (documented !== style) {
    notes.push(style === 'link-header'
      ? `documented as ${documented}-based, but the server pages with a Link header (rel="next"): follow it`
      : `documented as ${documented}, observed ${style}`);
  }
  if (claimedTotal !== undefined && counted !== undefined && claimedTotal !== counted) {
    notes.push(`the body says there are ${claimedTotal} items, but the pages hold ${counted}: paging by the count misses ${counted > claimedTotal ? 'items' : 'nothing but asks for empty pages'}`);
  }
  if (claimedTotal === undefined && documented !== 'none') notes.push('the body carries no total count');
  const report: PaginationReport = { operation: operationLabel(operation), documented, observed: style, agrees: notes.length === 0, pagesFollowed: pages, itemsSeen: items, notes };
  if (claimedTotal !== undefined) report.claimedTotal = claimedTotal;
  if (counted !== undefined) report.countedTotal = counted;
  return report;
}

export function jsonBody(exchange: Exchange | undefined): unknown {
  const response = exchange?.response;
  if (!response || response.truncated) return undefined;
  const type = headerValue(response.headers, 'content-type') ?? '';
  if (!/json/i.test(type)) return undefined;
  try {
    return JSON.parse(response.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function pathDepth(operation: OperationModel): number {
  return (operation.path.match(/\{/g) ?? []).length * 100 + operation.path.split('/').length;
}

function coverage(operations: OperationModel[], probed: Set<OperationModel>, skipped: Map<OperationModel, string>, stopped: string | undefined): CoverageEntry[] {
  return operations.map((operation) => {
    const entry: CoverageEntry = { operation: operationLabel(operation), status: probed.has(operation) ? 'probed' : 'skipped' };
    if (operation.operationId !== undefined) entry.operationId = operation.operationId;
    if (!probed.has(operation)) {
      entry.reason = skipped.get(operation)
        ?? (operation.method === 'get' || operation.method === 'head' ? `not reached: ${stopped ?? 'no call was made'}` : 'not a safe method, and the plan has no call for it');
    }
    return entry;
  });
}

function progressTracker(scheduler: CallScheduler, budget: number, report: RunProbeOptions['onProgress']): (exchange: Exchange) => void {
  const recent: number[] = [];
  let errors = 0;
  return (exchange) => {
    if (!report) return;
    const at = performance.now();
    recent.push(at);
    while (recent.length > 0 && at - recent[0]! > 5_000) recent.shift();
    if (exchange.failure || (exchange.response && exchange.response.status >= 500)) errors++;
    const span = recent.length > 1 ? (at - recent[0]!) / 1000 : 0;
    report({ done: scheduler.spent, budget, errors, rate: span > 0 ? Math.round(((recent.length - 1) / span) * 10) / 10 : 0, ...(exchange.purpose ? { current: exchange.purpose } : {}) });
  };
}
