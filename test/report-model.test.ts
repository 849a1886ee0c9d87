/**
 * The review folder → ReviewModel: read the real Acme review (fixtures/review/acme, produced by
 * recon against the sandbox) and check that every planted deviation the review stages can see
 * comes out as a risk or a question with the right numbers; then the broken folders.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DriftReport, Finding } from '../src/drift/types.js';
import { formatDuration } from '../src/limits/plan/index.js';
import { effectiveLimitFor, THROTTLE_DEFAULTS } from '../src/limits/throttle.js';
import type { ProbeResult } from '../src/probe/types.js';
import { ReviewFolderError } from '../src/report/errors.js';
import { buildReviewModel } from '../src/report/model.js';
import { readReview } from '../src/report/read.js';
import type { ReviewInputs, ReviewModel } from '../src/report/types.js';

const ACME = join(import.meta.dirname, '..', 'fixtures', 'review', 'acme');
const REVIEW = join(ACME, 'review');
const NOW = new Date('2026-12-05T08:00:00Z');
const BATCH = { calls: 50_000, deadlineSeconds: 8 * 3600 };

let inputs: ReviewInputs;
let model: ReviewModel;

beforeAll(async () => {
  inputs = await readReview(REVIEW, { batch: BATCH });
  model = buildReviewModel(inputs, { now: NOW });
});

const risk = (id: string) => model.risks.find((r) => r.id === id);
const question = (id: string) => model.questions.find((q) => q.id === id);
/** Everything a reader sees, risks and questions, as one text to search. */
const allText = () =>
  [...model.risks.flatMap((r) => [r.title, ...r.evidence, r.consequence, r.mitigation]), ...model.questions.flatMap((q) => [q.question, q.evidence])].join('\n');

describe('readReview on the Acme review folder', () => {
  it('reads every stage, with nothing missing and no problems', () => {
    expect(inputs.missing).toEqual([]);
    expect(inputs.problems).toEqual([]);
    expect(inputs.inventory?.title).toBe('Acme ERP API');
    expect(inputs.probe?.target).toBe('sandbox');
    expect(inputs.drift?.findings.length).toBeGreaterThan(0);
    expect(inputs.limits?.estimate.limit?.value).toBe(60);
    expect(inputs.batch).toEqual(BATCH);
  });

  it('hashes the overlay and counts its actions', () => {
    const text = readFileSync(join(REVIEW, 'overlay.yaml'), 'utf8');
    expect(inputs.overlay).toEqual({ file: 'overlay.yaml', sha256: createHash('sha256').update(text).digest('hex'), actions: 34 });
  });

  it('builds the limits timeline from the limits HAR, token request left out', () => {
    expect(inputs.limitsTimeline).toEqual([
      { atMs: 0, status: 200, remaining: 59 },
      { atMs: 7, status: 200, remaining: 58 },
    ]);
  });

  it('collects latency samples per operation from the probe HAR (HAR `time`)', () => {
    const samples = inputs.latencySamples!;
    expect(Object.keys(samples)).toHaveLength(11);
    expect(samples['GET /invoices']).toHaveLength(5);
    expect(samples['GET /invoices']![0]).toBeCloseTo(4.687, 3);
    expect(samples['POST /oauth/token']).toBeUndefined();
  });
});

describe('buildReviewModel on the Acme review: planted deviations', () => {
  it('fills vendor, target and the document hash', () => {
    expect(model.generatedAt).toBe('2026-12-05T08:00:00.000Z');
    expect(model.vendor).toMatchObject({ title: 'Acme ERP API', version: '1.4.0', document: 'specs/acme-erp.openapi.yaml', sha256: inputs.inventory!.source.sha256 });
    expect(model.vendor.overlay?.actions).toBe(34);
    expect(model.target).toEqual({ name: 'sandbox', baseUrl: 'http://127.0.0.1:4010/api/v1' });
  });

  it('#1 rate limit: 60 measured against 100 documented per minute', () => {
    expect(model.rateLimit).toMatchObject({ limit: 60, windowSeconds: 60, source: 'headers', policy: 'fixed-window', documented: { limit: 100, windowSeconds: 60 } });
    expect(model.rateLimit!.confidence).toBe(0.75);
    const r = risk('rate-limit-documented')!;
    expect(r.severity).toBe('high');
    expect(r.evidence[0]).toBe('the document says 100 requests per 60 s; the headers say 60 per 60 s');
    expect(question('limits:disagreement')!.question).toContain('The document says 100 requests per minute; the rate-limit headers say 60 per minute');
    expect(question('limits:disagreement')!.question).toContain('a 50,000-call batch');
  });

  it('#1 batch: 50,000 calls at 60/min with the safety margin do not fit 8 h', () => {
    const sending = effectiveLimitFor(60, THROTTLE_DEFAULTS.safetyMargin);
    const seconds = Math.ceil((50_000 * 60) / sending);
    expect(model.batch).toMatchObject({ calls: 50_000, sendingSeconds: seconds, fits: false, limit: { requests: 60, windowSeconds: 60 } });
    expect(model.batch!.deadline).toMatchObject({ at: '2026-12-05T16:00:00+00:00', fits: false, marginSeconds: 8 * 3600 - seconds });
    const r = risk('rate-limit-batch')!;
    expect(r.severity).toBe('high');
    expect(r.consequence).toContain(`the 50,000-call batch takes ${formatDuration(seconds)} at 60/min with the runtime's safety margin`);
    expect(r.consequence).toContain('it does not fit 8h');
    // And what the documented limit would have promised.
    expect(risk('rate-limit-documented')!.consequence).toContain(`takes ${formatDuration(seconds)} at 60/min, not ${formatDuration(Math.ceil((50_000 * 60) / effectiveLimitFor(100, THROTTLE_DEFAULTS.safetyMargin)))} at 100/min`);
  });

  it('#3/#4 idempotency: ignored on POST /invoices, honoured on POST /orders', () => {
    const r = risk('idempotency-ignored:createInvoice')!;
    expect(r).toMatchObject({ severity: 'high', source: 'probe' });
    expect(r.consequence).toContain('duplicates on retry unless lookup-before-create');
    expect(question('idempotency:createInvoice')!.question).toContain('We sent POST /invoices twice with the same Idempotency-Key and got two records');
    expect(model.idempotency).toEqual([
      { operation: 'POST /orders', verdict: 'honoured', detail: expect.any(String) },
      { operation: 'POST /invoices', verdict: 'ignored', detail: expect.stringContaining('lookup-before-create') },
    ]);
    expect(model.risks.some((x) => x.id.includes('createOrder'))).toBe(false);
    expect(model.summary.works).toContain('POST /orders honours the Idempotency-Key');
  });

  it('#27 ten customers share one organizationNumber (the count from the finding)', () => {
    const r = risk('profile:non-unique-key:listCustomers:organizationNumber')!;
    expect(r.severity).toBe('high');
    expect(r.consequence).toContain('ten customers share one organizationNumber');
    expect(question('profile:non-unique-key:listCustomers:organizationNumber')!.question).toMatch(/^Ten customers share one `organizationNumber` \("838575498"\)/);
  });

  it('#5/#7 pagination: Link header instead of pages; total 73 of 80 on invoices', () => {
    expect(risk('pagination-style')!.evidence).toHaveLength(4);
    expect(risk('pagination-total:listInvoices')).toMatchObject({ severity: 'high' });
    expect(risk('pagination-total:listInvoices')!.consequence).toContain('misses 7 of 80 records');
    expect(question('pagination-total:listInvoices')!.question).toContain('says the total is 73, but the pages hold 80 items');
    const style = question('pagination-style')!;
    expect(style.question).toContain('Link header');
    expect(style.evidence).toContain('e.g. Link: <http://127.0.0.1:4010/api/v1/customers?page=1');
    // The Link header is asked about once, in the pagination question.
    expect(model.questions.filter((q) => q.id.includes('header:link'))).toEqual([]);
    expect(model.pagination.map((p) => p.operation)).toEqual(['GET /customers', 'GET /products', 'GET /orders', 'GET /invoices']);
  });

  it.each([
    ['#18 amount as string', 'drift:type-mismatch:invoices:amount:200', 'GET /invoices returns `amount` as a string in 9 of 80 values (4 of 4 responses); the document says number. Which is correct, and will it change?'],
    ['#21 dueDate dd.MM.yyyy', 'drift:format-mismatch:invoices:dueDate:200', 'returns `dueDate` as dd.MM.yyyy (e.g. "21.01.2024") in 16 of 80 values (4 of 4 responses); the document says format date'],
    ['#20 status credited', 'drift:enum-mismatch:invoices:status:200', '`status` = "credited" in 7 values (3 of 4 responses); the document allows only draft, sent, paid, overdue'],
    ['#8 total missing on orders', 'drift:missing-required:orders:total:200', 'GET /orders leaves out `total` in 4 of 4 responses; the document marks it required'],
    ['#16 address missing', 'drift:missing-required:customers:address:200', 'GET /customers leaves out `address` in 2 of 2 responses'],
    ['#17 warehouseCode (list and get: one question)', 'drift:undocumented-property:products:warehouseCode:200', 'GET /products and GET /products/{productId} return `warehouseCode` (e.g. "OSL-B4")'],
    ['#19 description null', 'drift:unexpected-null:products:description:200', 'GET /products returns `description` as null in 4 values (1 of 2 responses)'],
    ['#23 name over 80', 'drift:constraint-violation:products:name:200', '`name` with length 112 where the document says maxLength: 80'],
    ['#24 negative quantity', 'drift:constraint-violation:orders:quantity:200', '`quantity` with value -3..-1 where the document says minimum: 1, in 7 values (4 of 4 responses)'],
    ['#22 two emails in one', 'drift:format-mismatch:customers:email:200', '`email` as email-list'],
    ['#13 vnd+json', 'drift:undocumented-content-type:application/vnd.acme.v1+json', 'GET /products/categories answers application/vnd.acme.v1+json; the document lists application/json'],
    ['#29 503 not documented', 'drift:undocumented-status:503', 'GET /invoices and GET /orders answered 503 (text/html, application/problem+json)'],
    ['#6 X-Acme-Release on every response', 'drift:undocumented-header:header:x-acme-release', 'send the header X-Acme-Release (e.g. "2025.05")'],
    ['#25 X-Request-Id never sent', 'drift:missing-header:header:x-request-id', 'The document says GET /orders/{orderId} sends the header X-Request-Id, but it never did'],
  ])('%s: a question with the numbers', (_name, id, text) => {
    const q = question(id);
    expect(q, `question ${id}`).toBeDefined();
    expect(q!.question).toContain(text);
    expect(q!.evidence.length).toBeGreaterThan(0);
  });

  it.each([
    ['drift:type-mismatch:listInvoices', 'high', 'number sent as string'],
    ['drift:missing-required:listOrders', 'high', 'required property `total` is absent in 4 of 4 responses'],
    ['drift:missing-required:listCustomers', 'high', '`address`'],
    ['drift:enum-mismatch:listInvoices', 'medium', '"credited"'],
    ['drift:format-mismatch:listInvoices', 'medium', 'dd.MM.yyyy'],
    ['drift:constraint-violation:listProducts', 'medium', 'observed length 112'],
    ['drift:constraint-violation:listOrders', 'medium', 'observed value -3..-1'],
    ['drift:unexpected-null:listProducts', 'medium', '`/data/*/description` is null'],
    ['drift:undocumented-status', 'medium', 'GET /orders: status 503'],
    ['drift:undocumented-content-type', 'medium', 'application/vnd.acme.v1+json'],
    ['drift:undocumented-property', 'low', 'warehouseCode'],
    ['drift:undocumented-header', 'low', 'header X-Acme-Release sent on 12 operations'],
  ])('risk %s (%s) with evidence "%s"', (id, severity, evidence) => {
    const r = risk(id);
    expect(r, `risk ${id}`).toBeDefined();
    expect(r!.severity).toBe(severity);
    expect(r!.evidence.join('\n')).toContain(evidence);
  });

  it('sorts the register high → medium → low, with unique ids', () => {
    const rank = { high: 0, medium: 1, low: 2 };
    const ranks = model.risks.map((r) => rank[r.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(model.risks.map((r) => r.id)).size).toBe(model.risks.length);
    expect(new Set(model.questions.map((q) => q.id)).size).toBe(model.questions.length);
    for (const r of model.risks) expect(r.evidence.length, r.id).toBeGreaterThan(0);
  });

  it('auth: the scheme, token lifetime and what the vendor must issue', () => {
    expect(model.auth[0]).toMatchObject({ scheme: 'oauth2-client-credentials', works: true, tokenLifetimeSeconds: 3600 });
    expect(model.auth[0]!.notes).toContain('client credentials must be issued by the vendor');
    expect(model.auth[1]).toMatchObject({ scheme: 'apiKey', type: 'apiKey' });
    expect(risk('auth-credentials:oauth2-client-credentials')!.evidence).toContain('tokens live 3600 s');
  });

  it('coverage: 12 of 15 exercised (the token endpoint seen in the recordings), with why', () => {
    expect(model.coverage).toMatchObject({ documented: 15, exercised: 12 });
    expect(model.coverage.operations.find((o) => o.operation === 'DELETE /products/{productId}')).toEqual({
      operation: 'DELETE /products/{productId}',
      exercised: false,
      why: 'not a safe method, and the plan has no call for it',
    });
    expect(risk('coverage-gaps')).toMatchObject({ severity: 'medium', title: '3 of 15 documented operations were never exercised' });
  });

  it('latency per operation from the HAR samples', () => {
    expect(model.latency.find((l) => l.operation === 'GET /invoices')).toEqual({ operation: 'GET /invoices', p50: 2.6, p95: 4.7, p99: 4.7, samples: [4.7, 2, 2.4, 2.6, 3.3] });
    expect(model.latency).toHaveLength(11);
  });

  it('latency falls back to probe.json percentiles without the recording', () => {
    const built = buildReviewModel({ ...inputs, latencySamples: undefined } as unknown as ReviewInputs, { now: NOW });
    expect(built.latency.find((l) => l.operation === 'GET /invoices')).toEqual({ operation: 'GET /invoices', p50: 2.6, p95: 4.7, p99: 4.7, samples: [] });
  });

  it('drift summary per operation, by severity and kind', () => {
    expect(model.drift!.summary.findings).toEqual({ error: 9, warning: 21, info: 43 });
    expect(model.drift!.byOperation.find((o) => o.operation === 'GET /invoices')).toMatchObject({ error: 3, warning: 3, kinds: { 'type-mismatch': 1, 'enum-mismatch': 1, 'format-mismatch': 1 } });
  });

  it('summary: what works, what does not, how sure', () => {
    expect(model.summary.works).toContain('Authentication works (oauth2-client-credentials; tokens live 3600 s)');
    expect(model.summary.works).toContain('11 of 15 documented operations answered 2xx (11 called)');
    expect(model.summary.doesNotWork).toContain('POST /invoices ignores the Idempotency-Key: a retry creates a duplicate');
    expect(model.summary.doesNotWork).toContain('The rate limit is 60 per 60 s, not the documented 100 per 60 s');
    expect(model.summary.confidence).toBe('medium');
    expect(model.summary.confidenceWhy).toBe('12 of 15 documented operations exercised (80%); every stage present; rate limit confidence 0.75 (headers)');
    expect(model.limitsTimeline).toHaveLength(2);
    expect(model.missing).toEqual([]);
  });

  it('mentions no secret and no stack', () => {
    expect(allText()).not.toMatch(/acme-demo-secret|Bearer [A-Za-z0-9]|\n\s+at /);
  });

  it('is deterministic given now', async () => {
    const again = buildReviewModel(await readReview(REVIEW, { batch: BATCH }), { now: NOW });
    expect(JSON.stringify(again)).toBe(JSON.stringify(model));
  });

  it('the batch option overrides the inputs; without a batch there is no plan', () => {
    const unbatched = buildReviewModel({ ...inputs, batch: undefined } as unknown as ReviewInputs, { now: NOW });
    expect(unbatched.batch).toBeUndefined();
    expect(unbatched.risks.find((r) => r.id === 'rate-limit-batch')).toBeUndefined();
    expect(unbatched.risks.find((r) => r.id === 'rate-limit-documented')!.severity).toBe('medium');
    const small = buildReviewModel(inputs, { now: NOW, batch: { calls: 1000, deadlineSeconds: 3600 } });
    expect(small.batch).toMatchObject({ calls: 1000, fits: true });
    expect(small.risks.find((r) => r.id === 'rate-limit-batch')).toBeUndefined();
  });
});

describe('deviations the Acme review did not record (synthetic findings)', () => {
  const finding = (over: Partial<Finding> & Pick<Finding, 'kind' | 'severity' | 'operation'>): Finding => ({
    pointer: '',
    message: 'seen',
    observed: { count: 1, total: 1, examples: [] },
    exchanges: [],
    ...over,
  });
  const extra: Finding[] = [
    finding({ kind: 'undocumented-status', severity: 'warning', operation: { method: 'post', path: '/products', operationId: 'createProduct' }, status: '409', contentType: 'application/problem+json', message: 'status 409 is not documented for this operation; seen 1 of 1 response' }),
    finding({ kind: 'undocumented-content-type', severity: 'warning', operation: { method: 'get', path: '/customers', operationId: 'listCustomers' }, status: '200', contentType: 'text/csv', expected: ['application/json'], message: 'answered text/csv; the document lists application/json (in 1 of 1 response)' }),
    finding({ kind: 'undocumented-operation', severity: 'warning', operation: { method: 'get', path: '/internal/health' }, status: '200', message: 'not in the document' }),
    finding({ kind: 'invalid-body', severity: 'error', operation: { method: 'get', path: '/invoices/{invoiceId}', operationId: 'getInvoice' }, status: '200', contentType: 'application/json', message: 'the body is not valid JSON (cut off at 60 %)' }),
  ];

  it.each([
    ['#12 409 on POST /products', 'drift:undocumented-status:409', 'POST /products answered 409 (application/problem+json), which the document does not list'],
    ['#14 text/csv', 'drift:undocumented-content-type:text/csv', 'GET /customers answers text/csv; the document lists application/json'],
    ['#10 undocumented operation', 'drift:undocumented-operation:GET:/internal/health', 'We saw GET /internal/health answer 200 although the document does not list it'],
    ['#15 cut-off body', 'drift:invalid-body:invoices:body:200', 'GET /invoices/{invoiceId} returned a body that could not be read as application/json'],
  ])('%s becomes a question', (_name, id, text) => {
    const drift: DriftReport = { ...inputs.drift!, findings: [...inputs.drift!.findings, ...extra] };
    const built = buildReviewModel({ ...inputs, drift }, { now: NOW });
    expect(built.questions.find((q) => q.id === id)?.question).toContain(text);
    expect(built.risks.find((r) => r.id === 'drift:invalid-body:getInvoice')?.severity).toBe('high');
  });

  it.each([
    ['jwt-bearer', 'auth-certificate:maskinporten', 'a business certificate must be ordered — typical lead time 1–3 weeks'],
    ['oauth2-client-credentials', 'auth-credentials:maskinporten', 'client credentials must be issued by the vendor'],
  ])('auth %s: %s', (type, id, consequence) => {
    const probe: ProbeResult = { ...inputs.probe!, auth: [{ scheme: 'maskinporten', type, ok: true, tokenRequests: 1, refreshes: 0, tokenLifetimeSeconds: 120 }] };
    const built = buildReviewModel({ ...inputs, probe }, { now: NOW });
    expect(built.risks.find((r) => r.id === id)?.consequence).toContain(consequence);
    expect(built.auth[0]!.notes).toContain(consequence);
  });

  it('a failed auth is a high risk', () => {
    const probe: ProbeResult = { ...inputs.probe!, auth: [{ scheme: 'oauth2', type: 'oauth2-client-credentials', ok: false, tokenRequests: 1, refreshes: 0, failure: { stage: 'token', status: 401, message: 'invalid_client' } }] };
    const built = buildReviewModel({ ...inputs, probe }, { now: NOW });
    expect(built.risks[0]).toMatchObject({ id: 'auth-failed:oauth2', severity: 'high' });
    expect(built.summary.doesNotWork).toContain('Authentication fails (oauth2-client-credentials: invalid_client)');
  });
});

describe('incomplete and broken review folders', () => {
  const folder = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'recon-report-'));
    const review = join(dir, 'review');
    mkdirSync(review);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(review, name), text);
    return review;
  };
  const acme = (name: string) => readFileSync(join(REVIEW, name), 'utf8');

  it('only inventory.json: the missing stages are listed, the model is still built', async () => {
    const dir = folder({ 'inventory.json': acme('inventory.json') });
    const read = await readReview(dir);
    expect(read.problems).toEqual([]);
    expect(read.missing).toHaveLength(4);
    expect(read.missing).toContain('no limits.json: run `recon limits` to measure the rate limit');
    expect(read.missing.join('\n')).toMatch(/no probe\.json: run `recon probe`/);
    expect(read.missing.join('\n')).toMatch(/no drift\.json: run `recon drift/);
    const built = buildReviewModel(read, { now: NOW, batch: BATCH });
    expect(built.vendor.title).toBe('Acme ERP API');
    expect(built.rateLimit).toBeUndefined();
    expect(built.batch).toBeUndefined();
    expect(built.coverage).toMatchObject({ documented: 15, exercised: 0 });
    expect(built.risks.map((r) => r.id)).toEqual(expect.arrayContaining(['coverage-none', 'rate-limit-unmeasured']));
    expect(built.risks.find((r) => r.id === 'rate-limit-unmeasured')!.evidence[0]).toContain('Each client may make 100 requests per minute.');
    expect(built.summary.confidence).toBe('low');
    expect(built.missing).toEqual(read.missing);
    expect(built.auth.map((a) => a.scheme)).toEqual(['oauth2', 'apiKey']);
  });

  it('an empty folder: everything missing, nothing thrown', async () => {
    const read = await readReview(folder({}));
    expect(read.missing).toHaveLength(5);
    const built = buildReviewModel(read, { now: NOW });
    expect(built.vendor.title).toBe('unknown vendor');
    expect(built.risks.map((r) => r.id)).toEqual(['coverage-none', 'rate-limit-unmeasured']);
  });

  it('a corrupted probe.json: a problem with line and column, the rest still built', async () => {
    const good = acme('probe.json');
    const broken = good.replace('"requests": 22,', '"requests": 22,,');
    const offset = broken.indexOf(',,') + 1;
    const line = broken.slice(0, offset).split('\n').length;
    const column = offset - broken.lastIndexOf('\n', offset - 1);
    const dir = folder({ 'probe.json': broken, 'drift.json': acme('drift.json'), 'inventory.json': acme('inventory.json'), 'limits.json': acme('limits.json'), 'overlay.yaml': acme('overlay.yaml') });
    const read = await readReview(dir);
    expect(read.probe).toBeUndefined();
    expect(read.problems[0]).toMatch(new RegExp(`^probe\\.json:${line}:${column}: not valid JSON \\(.+\\); left out of the report$`));
    // The limits HAR is named relative to the real review folder: not here, said so.
    expect(read.problems[1]).toContain('limits.json names the recording ../fixtures/sandbox/limits-');
    const built = buildReviewModel(read, { now: NOW });
    expect(built.missing).toEqual(read.problems);
    expect(built.drift?.summary.findings.error).toBe(9);
    expect(built.rateLimit?.limit).toBe(60);
    expect(built.risks.find((r) => r.id === 'drift:type-mismatch:listInvoices')).toBeDefined();
    expect(built.idempotency).toEqual([]);
    // Without the probe, coverage comes from drift: the three never-observed operations.
    expect(built.coverage).toMatchObject({ documented: 15, exercised: 12 });
  });

  it.each([
    ['drift.json', '{"findings": "none"}', /^drift\.json: not a drift report \(recon drift --format json\): "spec" is not an object/],
    ['limits.json', '[1, 2]', /^limits\.json: not a limits result .*: the top level is not an object/],
    ['inventory.json', '{"title": "x", "version": "1", "source": {}, "counts": {}, "rateLimits": {}, "operations": [{}], "securitySchemes": [], "gaps": []}', /^inventory\.json: not an inventory .*operations\[0\] is malformed/],
    ['overlay.yaml', 'overlay: 1.0.0\nactions: [\n  - oops: : :\n', /^overlay\.yaml:\d+:\d+: not valid YAML/],
    ['overlay.yaml', 'overlay: 1.0.0\n', /^overlay\.yaml: not an OpenAPI Overlay/],
  ])('%s of the wrong shape is a problem naming the file', async (name, text, problem) => {
    const read = await readReview(folder({ [name]: text }));
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toMatch(problem);
    expect(() => buildReviewModel(read, { now: NOW })).not.toThrow();
  });

  it('a recording in the workspace is found through the workspace option', async () => {
    const dir = folder({ 'limits.json': acme('limits.json').replace('../fixtures/sandbox/', 'recordings/') });
    const workspace = join(dir, '..', 'elsewhere');
    mkdirSync(join(workspace, 'recordings'), { recursive: true });
    copyFileSync(join(ACME, 'fixtures', 'sandbox', 'limits-2026-12-04T22-22-31-379Z.har'), join(workspace, 'recordings', 'limits-2026-12-04T22-22-31-379Z.har'));
    const read = await readReview(dir, { workspace });
    expect(read.problems).toEqual([]);
    expect(read.limitsTimeline).toHaveLength(2);
  });

  it.each([
    ['a directory that does not exist', () => join(tmpdir(), 'recon-no-such-review-dir', 'review'), 'RECON_REPORT_NO_REVIEW_DIR', /no such directory/],
    ['a file', () => join(REVIEW, 'limits.json'), 'RECON_REPORT_NOT_A_DIRECTORY', /is a file, not a review folder/],
  ])('%s is an exit-2 error naming it', async (_name, dir, code, message) => {
    const path = dir();
    const error = await readReview(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviewFolderError);
    expect(error).toMatchObject({ code, exitCode: 2, dir: path });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message.startsWith(path)).toBe(true);
  });
});
