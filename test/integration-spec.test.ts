/**
 * The integration spec: built from the Acme review (fixtures/report/model.json and the review
 * folder it came from), valid against its schema, written as YAML that reads back to the same
 * object, and every hand-edited breakage in fixtures/integration-spec/ refused with its key and
 * line (exit 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  buildIntegrationSpec,
  IntegrationSpecError,
  integrationSpecSchema,
  integrationSpecToYaml,
  MIGRATIONS,
  migrateIntegrationSpec,
  readIntegrationSpec,
  RETRY_DEFAULTS,
  validateIntegrationSpec,
  writeIntegrationSpec,
  type IntegrationSpec,
} from '../src/report/integration-spec/index.js';
import { effectiveLimitFor, parseWindow, planBatch, THROTTLE_DEFAULTS } from '../src/limits/index.js';
import type { ReviewInputs, ReviewModel } from '../src/report/types.js';

const REVIEW = 'fixtures/review/acme/review';
const MODEL = 'fixtures/report/model.json';
const BAD = 'fixtures/integration-spec';
const NOW = new Date('2026-12-04T23:00:00.000Z');

const json = <T>(file: string): T => JSON.parse(readFileSync(join(REVIEW, file), 'utf8')) as T;

/** The Acme review folder, read as `recon report` would (the files only; no HAR). */
function acmeInputs(): ReviewInputs {
  return {
    dir: REVIEW,
    inventory: json('inventory.json'),
    probe: json('probe.json'),
    drift: json('drift.json'),
    limits: json('limits.json'),
    missing: [],
    problems: [],
  };
}

/** fixtures/report/model.json (written by the model's engineer) when present, else our own. */
function acmeModel(): ReviewModel {
  return existsSync(MODEL) ? (JSON.parse(readFileSync(MODEL, 'utf8')) as ReviewModel) : ownModel();
}

/**
 * A model of the Acme review built here from the review files, for the file snapshot: the
 * snapshot then changes when the spec's writer changes, not whenever model.json is reworded.
 */
function ownModel(): ReviewModel {
  const inputs = acmeInputs();
  const byOperation = new Map<string, { operation: string; error: number; warning: number; info: number; kinds: Record<string, number> }>();
  for (const f of inputs.drift!.findings) {
    const operation = `${f.operation.method.toUpperCase()} ${f.operation.path}`;
    const entry = byOperation.get(operation) ?? { operation, error: 0, warning: 0, info: 0, kinds: {} };
    entry[f.severity]++;
    entry.kinds[f.kind] = (entry.kinds[f.kind] ?? 0) + 1;
    byOperation.set(operation, entry);
  }
  return {
    generatedAt: NOW.toISOString(),
    vendor: { title: 'Acme ERP API', version: '1.4.0', document: 'specs/acme-erp.openapi.yaml', sha256: inputs.inventory!.source.sha256, overlay: { file: 'overlay.yaml', sha256: 'a7aea017c7db9282e60cb90bbdcf4acc1cd7b1b6433600707c9635341e76264b', actions: 34 } },
    target: { name: 'sandbox', baseUrl: 'http://127.0.0.1:4010/api/v1' },
    summary: { works: [], doesNotWork: [], confidence: 'medium', confidenceWhy: 'sandbox only' },
    risks: [
      {
        id: 'idempotency-ignored:createInvoice',
        severity: 'high',
        title: 'POST /invoices ignores Idempotency-Key',
        evidence: ['the same Idempotency-Key created two invoices'],
        consequence: 'every retry creates another invoice',
        mitigation: 'lookup-before-create on the order reference',
        source: 'probe',
      },
    ],
    questions: [{ id: 'rate-limit', question: 'Which limit applies in production: 60/min or 100/min?', evidence: 'X-RateLimit-Limit: 60' }],
    coverage: { documented: 15, exercised: 11, operations: [] },
    auth: [{ scheme: 'oauth2', type: 'oauth2-client-credentials', works: true, tokenLifetimeSeconds: 3600, toOrder: 'A production OAuth client', leadTime: '5 working days', notes: [] }],
    rateLimit: { limit: 60, windowSeconds: 60, policy: 'fixed-window', source: 'headers', confidence: 0.95, documented: { limit: 100, windowSeconds: 60 }, conclusion: inputs.limits!.conclusion },
    batch: planBatch({ calls: 50_000, limit: { requests: 60, windowSeconds: 60 }, limitSource: 'review/limits.json: headers', start: new Date('2026-12-04T17:00:00Z'), deadline: { seconds: 12 * 3600 }, windows: [parseWindow('Mon-Fri 18:00-06:00')], utcOffsetMinutes: 60 }),
    latency: inputs.probe!.operations.map((o) => ({ operation: o.operation, p50: o.latencyMs.p50, p95: o.latencyMs.p95, p99: o.latencyMs.max, samples: Array.from({ length: o.calls }, () => o.latencyMs.p50) })),
    drift: { summary: inputs.drift!.summary, byOperation: [...byOperation.values()] },
    pagination: inputs.probe!.pagination.map((p) => ({ operation: p.operation, documented: p.documented, observed: p.observed, agrees: p.agrees, notes: p.notes })),
    idempotency: inputs.probe!.idempotency.map((i) => ({ operation: i.operation, verdict: i.verdict, detail: i.detail })),
    missing: [],
  };
}

describe('buildIntegrationSpec on the Acme review', () => {
  let spec: IntegrationSpec;
  beforeAll(() => {
    spec = buildIntegrationSpec(acmeModel(), acmeInputs(), { now: NOW });
  });

  it('is valid against specs/integration-spec.schema.json', () => {
    expect(validateIntegrationSpec(spec)).toEqual([]);
    expect(spec.integrationSpec).toBe(1);
    expect(integrationSpecSchema().$id).toMatch(/integration-spec-1\.json$/);
  });

  it('takes the measured limit with its provenance, and the throttle from THROTTLE_DEFAULTS', () => {
    expect(spec.rateLimits[0]).toMatchObject({
      limit: { value: 60, source: 'headers', confidence: 0.95, at: '2026-12-04T22:22:31.380Z' },
      windowSeconds: { value: 60, source: 'headers' },
      policy: { value: 'fixed-window', source: 'headers' },
      documented: { limit: 100, windowSeconds: 60 },
    });
    expect(spec.throttle).toMatchObject({
      limit: 60,
      safetyMargin: THROTTLE_DEFAULTS.safetyMargin,
      sendingLimit: effectiveLimitFor(60, THROTTLE_DEFAULTS.safetyMargin),
      source: 'headers',
    });
  });

  it('writes the retry policy out in full', () => {
    expect(spec.retry).toMatchObject({ ...RETRY_DEFAULTS, retryOn: [408, 425, 429, '5xx'], source: 'assumed', at: NOW.toISOString() });
  });

  it.each([
    ['POST /orders', { strategy: 'header', header: 'Idempotency-Key', verified: true, verdict: 'honoured', retrySafe: true, source: 'measured' }],
    ['POST /invoices', { strategy: 'lookup-before-create', verdict: 'ignored', retrySafe: true, source: 'measured' }],
    ['POST /customers', { strategy: 'none', verdict: 'not-tested', retrySafe: false, source: 'assumed' }],
    ['DELETE /products/{productId}', { strategy: 'none', verdict: 'not-tested', retrySafe: true, source: 'assumed' }],
  ])('idempotency of %s', (operation, want) => {
    expect(spec.idempotency.find((i) => i.operation === operation)).toMatchObject(want);
  });

  it('leaves the token endpoint to the auth provider', () => {
    expect(spec.idempotency.map((i) => i.operation)).not.toContain('POST /oauth/token');
    expect(spec.auth[0]).toMatchObject({ tokenEndpoint: 'http://127.0.0.1:4010/oauth/token', scopes: ['erp.read', 'erp.write'], tokenLifetimeSeconds: { value: 3600, source: 'measured' } });
  });

  it('pages by what the server did, and says when the total lies', () => {
    expect(spec.pagination.find((p) => p.operation === 'GET /invoices')).toMatchObject({
      documented: 'page',
      observed: { value: 'link-header', source: 'measured', pagesFollowed: 3 },
      traversal: 'follow-link-next',
      totalCountReliable: false,
    });
  });

  it('matches the committed YAML (built from our own model of the same review)', async () => {
    const own = buildIntegrationSpec(ownModel(), acmeInputs(), { now: NOW });
    expect(validateIntegrationSpec(own)).toEqual([]);
    await expect(integrationSpecToYaml(own)).toMatchFileSnapshot('__snapshots__/integration-spec/acme.yaml');
  });

  it('reads back what it wrote, unchanged', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'recon-spec-')), 'integration-spec.yaml');
    await writeIntegrationSpec(file, spec);
    expect(await readIntegrationSpec(file)).toEqual(spec);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^# integration-spec\.yaml/);
    expect(text).toContain('recon report');
  });

  it('writes keys in the schema order whatever order they were given in', () => {
    const shuffled = Object.fromEntries(Object.entries(spec).reverse()) as IntegrationSpec;
    expect(integrationSpecToYaml(shuffled)).toBe(integrationSpecToYaml(spec));
  });

  it('has no field that could hold a secret', async () => {
    const names = new Set<string>();
    const walk = (node: unknown) => {
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'properties' && value !== null && typeof value === 'object') for (const name of Object.keys(value)) names.add(name);
        walk(value);
      }
    };
    walk(integrationSpecSchema());
    const secretish = [...names].filter((name) => /secret|password|passphrase|privateKey|apiKey|credential|^token$|accessToken|clientId/i.test(name));
    expect(secretish).toEqual([]);
    const error = await readError(`${BAD}/secret.yaml`);
    expect(error.problems).toContainEqual(expect.objectContaining({ path: 'auth[0].clientSecret', message: expect.stringContaining("unknown key 'clientSecret'") }));
    // The refused value is never echoed back.
    expect(error.message).not.toContain('canary');
  });
});

async function readError(file: string): Promise<IntegrationSpecError> {
  const error = await readIntegrationSpec(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof IntegrationSpecError)) throw new Error(`${file}: expected an IntegrationSpecError, got ${String(error)}`);
  return error;
}

describe('hand-edited integration specs', () => {
  it('reads the good one, x- extensions kept', async () => {
    const spec = await readIntegrationSpec(`${BAD}/good.yaml`);
    expect(spec['x-reviewed-by']).toBe('Kari Nordmann');
  });

  it.each([
    ['wrong-type.yaml', 'RECON_INTEGRATION_SPEC_INVALID', { line: 23, column: 7, path: 'rateLimits[0].limit.value', message: 'expected a whole number, found a string' }],
    ['unknown-key.yaml', 'RECON_INTEGRATION_SPEC_INVALID', { line: 26, column: 5, path: 'rateLimits[0].windowSecs', message: "unknown key 'windowSecs' (did you mean 'windowSeconds'?)" }],
    ['missing-required.yaml', 'RECON_INTEGRATION_SPEC_INVALID', { line: 21, column: 5, path: 'rateLimits[0]', message: "missing required key 'windowSeconds'" }],
    ['bad-enum.yaml', 'RECON_INTEGRATION_SPEC_INVALID', { line: 42, column: 5, path: 'idempotency[0].strategy', message: "'headers' is not one of: header, lookup-before-create, none (did you mean 'header'?)" }],
    ['syntax-error.yaml', 'RECON_INTEGRATION_SPEC_SYNTAX', { line: 9, column: 24, path: '', message: 'invalid YAML: Implicit keys need to be on a single line' }],
    ['empty.yaml', 'RECON_INTEGRATION_SPEC_INVALID', { path: '', message: 'the file is empty' }],
    ['not-a-mapping.yaml', 'RECON_INTEGRATION_SPEC_INVALID', { line: 2, column: 1, path: '', message: 'expected a mapping of keys (integrationSpec, vendor, …), found a list' }],
    ['format-2.yaml', 'RECON_INTEGRATION_SPEC_TOO_NEW', { line: 3, column: 1, path: 'integrationSpec', message: 'written by a newer recon (format 2); this recon reads format 1: upgrade recon' }],
    // Migrated to format 1 first; the line is still the one the user wrote (rateLimit.limit).
    ['format-0-broken.yaml', 'RECON_INTEGRATION_SPEC_INVALID', { line: 21, column: 3, path: 'rateLimits[0].limit.value', message: 'expected a whole number, found a string' }],
  ])('%s: %s', async (file, code, problem) => {
    const error = await readError(`${BAD}/${file}`);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    expect(error.problems).toContainEqual(expect.objectContaining(problem));
    // The message printed names the file, the line and column when there is one, and the key.
    const where = 'line' in problem ? `${BAD}/${file}:${problem.line}:${problem.column}` : `${BAD}/${file}`;
    expect(error.message).toContain(problem.path === '' ? where : `${where} ${problem.path}: `);
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it('says it migrated when a migrated file is still invalid', async () => {
    const error = await readError(`${BAD}/format-0-broken.yaml`);
    expect(error.hint).toContain('after migrating it from format 0');
  });
});

describe('migrateIntegrationSpec', () => {
  it('has one step per format up to the current one', () => {
    expect(MIGRATIONS.map((m) => [m.from, m.to])).toEqual([[0, 1]]);
  });

  it('migrates format 0 (rateLimit singular, no retry) to a valid format 1', async () => {
    const old = parseYaml(await readFile(`${BAD}/format-0.yaml`, 'utf8')) as Record<string, unknown>;
    const { data, from, applied } = migrateIntegrationSpec(old);
    expect(from).toBe(0);
    expect(applied).toHaveLength(1);
    expect(validateIntegrationSpec(data)).toEqual([]);
    const spec = data as IntegrationSpec;
    expect(spec.integrationSpec).toBe(1);
    expect(spec).not.toHaveProperty('rateLimit');
    expect(spec.rateLimits).toEqual([
      {
        scope: 'unknown',
        limit: { value: 60, source: 'headers', at: '2026-11-20T09:00:00.000Z', confidence: 0.9 },
        windowSeconds: { value: 60, source: 'headers', at: '2026-11-20T09:00:00.000Z', confidence: 0.9 },
        measuredAt: '2026-11-20T09:00:00.000Z',
      },
    ]);
    expect(spec.retry).toMatchObject({ ...RETRY_DEFAULTS, retryOn: [...RETRY_DEFAULTS.retryOn], source: 'assumed' });
    // And reading the file does the same.
    expect(await readIntegrationSpec(`${BAD}/format-0.yaml`)).toEqual(data);
  });

  it.each([
    ['current', { integrationSpec: 1 }],
    ['newer', { integrationSpec: 2 }],
    ['older than any format', { integrationSpec: -1 }],
    ['no version', { vendor: {} }],
  ])('leaves %s data alone', (_, data) => {
    expect(migrateIntegrationSpec(data)).toMatchObject({ data, applied: [] });
  });
});

describe('buildIntegrationSpec on a partial review', () => {
  /** A review with the inventory only: nothing measured, so nothing claimed as measured. */
  function documentOnly(): { model: ReviewModel; inputs: ReviewInputs } {
    const { target: _target, rateLimit: _rateLimit, batch: _batch, drift: _drift, ...full } = acmeModel();
    const model: ReviewModel = {
      ...full,
      risks: [],
      questions: [],
      auth: [{ scheme: 'oauth2', type: 'oauth2-client-credentials', notes: [] }],
      latency: [],
      pagination: [],
      idempotency: [],
      missing: ['no probe.json: run recon probe', 'no limits.json: run recon limits'],
    };
    return { model, inputs: { dir: REVIEW, inventory: acmeInputs().inventory!, missing: model.missing, problems: [] } };
  }

  it('is valid, takes the base URL from the document, and claims nothing as measured', () => {
    const { model, inputs } = documentOnly();
    const spec = buildIntegrationSpec(model, inputs, { now: NOW });
    expect(validateIntegrationSpec(spec)).toEqual([]);
    expect(spec.environment).toEqual({ target: 'unknown', baseUrl: 'http://127.0.0.1:4010/api/v1' });
    expect(spec.rateLimits).toEqual([]);
    expect(spec).not.toHaveProperty('throttle');
    expect(spec.missing).toEqual(model.missing);
    expect(JSON.stringify(spec)).not.toContain('"source":"measured"');
    // Writes the document names an idempotency header for: header, unverified, not retried.
    expect(spec.idempotency.find((i) => i.operation === 'POST /invoices')).toMatchObject({ strategy: 'header', verified: false, verdict: 'not-tested', retrySafe: false, source: 'documented' });
  });

  it('refuses a review that names no base URL anywhere (exit 2)', () => {
    const { model } = documentOnly();
    expect(() => buildIntegrationSpec(model, { dir: REVIEW, missing: [], problems: [] }, { now: NOW })).toThrow(expect.objectContaining({ code: 'RECON_INTEGRATION_SPEC_NO_BASE_URL', exitCode: 2 }));
  });

  it('copies only the fields it knows, so a secret smuggled into the model never reaches the file', () => {
    const canary = 'canary-3c9d1f0e-secret';
    const model = acmeModel();
    const auth = model.auth.map((a) => ({ ...a, clientSecret: canary, token: canary }));
    const risks = model.risks.map((r) => ({ ...r, credentials: canary }));
    const spec = buildIntegrationSpec({ ...model, auth, risks }, acmeInputs(), { now: NOW });
    expect(integrationSpecToYaml(spec)).not.toContain(canary);
  });
});

describe('validateIntegrationSpec', () => {
  it('returns problems as data, without lines when there is no file', () => {
    const problems = validateIntegrationSpec({ integrationSpec: 1, rateLimits: [{ scope: 'global', limit: { value: 'sixty', source: 'headers', at: 'yesterday', sorce: 'x' } }] });
    expect(problems).toContainEqual({ path: 'rateLimits[0].limit.value', message: 'expected a whole number, found a string' });
    expect(problems).toContainEqual({ path: 'rateLimits[0].limit.at', message: 'must be a date-time such as 2026-12-04T23:00:00Z' });
    expect(problems).toContainEqual({ path: 'rateLimits[0].limit.sorce', message: "unknown key 'sorce' (did you mean 'source'?)" });
    expect(problems).toContainEqual({ path: '', message: "missing required key 'retry'" });
  });

  it('refuses to write an invalid spec', async () => {
    const spec = buildIntegrationSpec(acmeModel(), acmeInputs(), { now: NOW });
    const broken = { ...spec, throttle: { ...spec.throttle!, safetyMargin: 1.5 } };
    const file = join(await mkdtemp(join(tmpdir(), 'recon-spec-')), 'integration-spec.yaml');
    await expect(writeIntegrationSpec(file, broken)).rejects.toMatchObject({ code: 'RECON_INTEGRATION_SPEC_INVALID', exitCode: 2 });
    expect(existsSync(file)).toBe(false);
  });
});
