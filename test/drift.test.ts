/**
 * `recon drift` end to end on recordings of the Acme ERP sandbox: every planted deviation is
 * reported with the right kind, pointer, counts and severity, nothing else is an error, and
 * recon's own overlay makes the document match (applied by recon and by openapi-format alike).
 */
import { createRequire } from 'node:module';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { renderDriftJUnit, renderDriftMarkdown, renderDriftSarif, reviewDrift, runDrift } from '../src/drift/index.js';
import type { DriftReport, Finding } from '../src/drift/index.js';
import { loadSpec } from '../src/spec/index.js';
import { recordAcme } from './helpers/acme-recording.js';

const SPEC = 'specs/acme-erp.openapi.yaml';
const RELEASE_1 = 'fixtures/drift/acme/release-1.har';
const RELEASE_2 = 'fixtures/drift/acme/release-2.har';
const require = createRequire(import.meta.url);

const key = (f: Finding) => `${f.severity} ${f.kind} ${f.operation.method.toUpperCase()} ${f.operation.path} ${f.status ?? ''} ${f.pointer}`;
const keys = (report: DriftReport, severity: string) => report.findings.filter((f) => f.severity === severity).map(key).sort();

if (process.env.RECON_REGENERATE === '1') {
  it('regenerates the committed Acme recordings', async () => {
    await recordAcme(RELEASE_1, { release: 1, port: 4010 });
    await recordAcme(RELEASE_2, { release: 2, port: 4010 });
  }, 60_000);
}

describe('drift on the Acme ERP sandbox (release 1)', () => {
  let report: DriftReport;
  beforeAll(async () => {
    ({ report } = await reviewDrift({ spec: SPEC, recordings: [RELEASE_1], profile: true }));
  });

  it('reports every planted contradiction as an error, and nothing else', () => {
    expect(keys(report, 'error')).toEqual(
      [
        'error format-mismatch GET /customers 200 /data/*/email', // 22: two addresses joined by "; "
        'error missing-required GET /customers 200 /data/*/address', // 16
        'error format-mismatch GET /customers/{customerId} 200 /email',
        'error missing-required GET /customers/{customerId} 200 /address',
        'error enum-mismatch GET /invoices 200 /data/*/status', // 20: "credited"
        'error format-mismatch GET /invoices 200 /data/*/dueDate', // 21: dd.MM.yyyy
        'error type-mismatch GET /invoices 200 /data/*/amount', // 18: "1234.50"
        'error invalid-body GET /invoices/{invoiceId} 200 ', // 15: cut at 60 %
        'error type-mismatch GET /invoices/{invoiceId} 200 /amount',
        'error constraint-violation GET /orders 200 /data/*/items/*/quantity', // 24: negative quantity
        'error missing-required GET /orders 200 /total', // 8
        'error constraint-violation GET /orders/{orderId} 200 /items/*/quantity',
        'error constraint-violation GET /products 200 /data/*/name', // 23: 112 characters
        'error unexpected-null GET /products 200 /data/*/description', // 19
        'error constraint-violation GET /products/{productId} 200 /name',
        'error unexpected-null GET /products/{productId} 200 /description',
      ].sort(),
    );
  });

  it.each([
    ['undocumented-operation', 'GET', '/customers/{customerId}/contacts', '200', ''], // 11
    ['undocumented-operation', 'GET', '/internal/health', '200', ''], // 10
    ['undocumented-status', 'POST', '/products', '409', ''], // 12
    ['undocumented-status', 'GET', '/invoices', '503', ''], // 29
    ['undocumented-content-type', 'GET', '/customers', '200', ''], // 14: text/csv
    ['undocumented-content-type', 'GET', '/products/categories', '200', ''], // 13: vnd.acme.v1+json
    ['undocumented-content-type', 'GET', '/customers/{customerId}', '429', ''], // 2: text/plain
    ['undocumented-header', 'GET', '/customers', '200', 'header:Link'], // 5
    ['undocumented-header', 'GET', '/orders/{orderId}', '200', 'header:X-Acme-Release'], // 6
    ['undocumented-property', 'GET', '/products', '200', '/data/*/warehouseCode'], // 17
    ['undocumented-property', 'GET', '/products/{productId}', '200', '/warehouseCode'],
    ['undocumented-property', 'POST', '/products', '201', '/warehouseCode'],
  ])('warns: %s %s %s %s %s', (kind, method, path, status, pointer) => {
    expect(report.findings.map(key)).toContain(`warning ${kind} ${method} ${path} ${status} ${pointer}`);
  });

  it('says what is unverified: a documented header never sent (25), a status never seen (26)', () => {
    expect(report.findings.map(key)).toContain('info missing-header GET /orders/{orderId} 200 header:X-Request-Id');
    expect(report.findings.map(key)).toContain('info never-observed DELETE /products/{productId} 204 ');
  });

  it('counts samples, folds arrays, and names the observed type and format', () => {
    const byKey = new Map(report.findings.map((f) => [key(f), f]));
    const amount = byKey.get('error type-mismatch GET /invoices 200 /data/*/amount')!;
    expect(amount.observed).toMatchObject({ count: 1, total: 1, types: ['string'] });
    expect(amount.observed.occurrences).toBeGreaterThan(1);
    expect(amount.message).toContain('number sent as string');
    expect(amount.location?.pointer).toBe('/components/schemas/Invoice/properties/amount');
    const dueDate = byKey.get('error format-mismatch GET /invoices 200 /data/*/dueDate')!;
    expect(dueDate.observed.formats).toContain('dd.MM.yyyy');
    const address = byKey.get('error missing-required GET /customers/{customerId} 200 /address')!;
    expect(address.observed).toMatchObject({ count: 2, total: 5 });
    expect(address.exchanges.length).toBe(2);
    const contacts = byKey.get('warning undocumented-operation GET /customers/{customerId}/contacts 200 ')!;
    expect(contacts.observed.count).toBe(2);
  });

  it('profiles the data: ten subsidiaries share one organisation number; phone is spelt three ways', () => {
    const profile = report.profile ?? [];
    const orgnr = profile.find((f) => f.kind === 'non-unique-key' && f.pointer === '/data/*/organizationNumber');
    expect(orgnr?.observed.count).toBe(10);
    const phone = profile.find((f) => f.kind === 'mixed-formats' && f.pointer === '/data/*/phone' && f.operation.path === '/customers');
    expect(phone?.observed.formats?.length ?? phone?.message.match(/3 formats/)?.length).toBeTruthy();
    expect(profile.some((f) => f.kind === 'mixed-formats' && f.pointer === '/data/*/dueDate')).toBe(true);
  });
});

describe('the corrective overlay', () => {
  // Every readable recording in the test suite (not-json.har is not a HAR: it is a bad-input case).
  const recordings = [RELEASE_1, RELEASE_2, 'fixtures/har/chromium-export.har', ...['bodies', 'escaped-strings', 'truncated', 'unusual-order'].map((n) => `fixtures/drift/recordings/${n}.har`)];
  it.each(recordings)('round trip on %s: no error or warning is left', async (recording) => {
    const first = await reviewDrift({ spec: SPEC, recordings: [recording], overlay: true });
    const overlay = { source: 'generated', document: first.overlay!.overlay };
    const spec = await loadSpec(SPEC, { overlays: [overlay] });
    expect(spec.source.overlays?.[0]?.unmatched).toEqual([]);
    const again = await runDrift({ spec, recordings: [recording] });
    const left = again.report.findings.filter((f) => f.severity !== 'info').map(key);
    expect(left).toEqual([]);
  });

  it('applies the same way with openapi-format (another Overlay 1.0 tool)', async () => {
    const { overlay } = (await reviewDrift({ spec: SPEC, recordings: [RELEASE_1], overlay: true })).overlay!;
    const original = parseYaml(await readFile(SPEC, 'utf8')) as Record<string, unknown>;
    const { openapiOverlay } = require('openapi-format') as { openapiOverlay: (doc: unknown, options: { overlaySet: unknown }) => Promise<{ data: unknown; resultData: { unusedActions: unknown[] } }> };
    const theirs = await openapiOverlay(structuredClone(original), { overlaySet: structuredClone(overlay) });
    expect(theirs.resultData.unusedActions).toEqual([]);
    const { applyOverlay } = await import('../src/spec/overlay/index.js');
    const ours = structuredClone(original);
    applyOverlay(ours, { source: 'generated', document: overlay });
    expect(theirs.data).toEqual(ours);
  });

  it('is an Overlay 1.0 document with one described action per correction', async () => {
    const { overlay } = (await reviewDrift({ spec: SPEC, recordings: [RELEASE_1], overlay: true })).overlay!;
    expect(overlay.overlay).toBe('1.0.0');
    expect(overlay.actions.length).toBeGreaterThan(10);
    for (const action of overlay.actions) {
      expect(action.target.startsWith('$')).toBe(true);
      expect(action.description).toMatch(/\S/);
    }
    const amount = overlay.actions.find((a) => a.target === "$['components']['schemas']['Invoice']['properties']['amount']" && a.update !== undefined);
    expect(amount?.update).toEqual({ anyOf: [{ type: 'number' }, { type: 'string' }] });
  });
});

describe('baseline: what the vendor changed since the last recording', () => {
  it('catches release 2', async () => {
    const { report } = await reviewDrift({ spec: SPEC, recordings: [RELEASE_2], baseline: [RELEASE_1] });
    const changes = (report.baseline ?? []).map((c) => `${c.kind} ${c.operation?.path ?? ''} ${c.pointer ?? ''}`);
    expect(changes).toEqual(
      expect.arrayContaining([
        'property-removed /customers /data/*/phone',
        'property-added /customers /data/*/phoneNumber',
        'type-changed /products /data/*/price',
        'enum-value-added /orders /data/*/status',
        'header-changed  header:X-Acme-Release',
      ]),
    );
  });

  it('finds nothing between a recording and itself', async () => {
    const { report } = await reviewDrift({ spec: SPEC, recordings: [RELEASE_1], baseline: [RELEASE_1] });
    expect(report.baseline).toEqual([]);
  });
});

describe('a live recording', () => {
  it('matches the committed one in what drift reports', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recon-drift-'));
    await recordAcme(join(dir, 'live.har'), { release: 1 });
    const live = await reviewDrift({ spec: SPEC, recordings: [join(dir, 'live.har')] });
    const committed = await reviewDrift({ spec: SPEC, recordings: [RELEASE_1] });
    expect(live.report.findings.map(key)).toEqual(committed.report.findings.map(key));
  }, 30_000);
});

describe('report files (snapshots)', () => {
  let report: DriftReport;
  beforeAll(async () => {
    ({ report } = await reviewDrift({ spec: SPEC, recordings: [RELEASE_1], profile: true }));
  });

  it('JSON: the stable shape', async () => {
    await expect(JSON.stringify(report, null, 2) + '\n').toMatchFileSnapshot('__snapshots__/drift/acme-release-1.json');
  });
  it('Markdown', async () => {
    await expect(renderDriftMarkdown(report)).toMatchFileSnapshot('__snapshots__/drift/acme-release-1.md');
  });
  it('JUnit XML', async () => {
    await expect(renderDriftJUnit(report)).toMatchFileSnapshot('__snapshots__/drift/acme-release-1.junit.xml');
  });
  it('SARIF, valid against the SARIF 2.1.0 schema', async () => {
    const sarif = renderDriftSarif(report);
    const Ajv = ajvDraft04 as unknown as typeof ajvDraft04.default;
    const ajv = new Ajv({ strict: false, allErrors: true });
    (ajvFormats as unknown as typeof ajvFormats.default)(ajv);
    const validate = ajv.compile(JSON.parse(await readFile('specs/sarif-2.1.0.schema.json', 'utf8')));
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    await expect(JSON.stringify(sarif, null, 2) + '\n').toMatchFileSnapshot('__snapshots__/drift/acme-release-1.sarif.json');
  });
  it('the overlay', async () => {
    const { overlay } = (await reviewDrift({ spec: SPEC, recordings: [RELEASE_1], overlay: true })).overlay!;
    const { stringify } = await import('yaml');
    await expect(stringify(overlay, { lineWidth: 0 })).toMatchFileSnapshot('__snapshots__/drift/acme-release-1.overlay.yaml');
  });
});
