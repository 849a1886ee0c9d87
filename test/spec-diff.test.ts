/**
 * `recon diff`: tables of before/after documents (fixtures/spec-diff/, one change each,
 * against base.yaml), the vendor documents in fixtures/specs/, and the built CLI.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGE_KINDS, SpecDiffLoadError, diffSpecFiles, diffSpecs, renderSpecDiffMarkdown, renderSpecDiffText, type ChangeKind, type SpecChange } from '../src/drift/spec-diff/index.js';
import { loadSpec, type ApiSpec } from '../src/spec/index.js';
import { ROOT, runRecon } from './helpers/recon-cli.js';

const DIR = join(ROOT, 'fixtures', 'spec-diff');
const TRIPLETEX = join(ROOT, 'fixtures', 'specs', 'tripletex');
const ACME = join(ROOT, 'specs', 'acme-erp.openapi.yaml');
const ACME_RELEASE_2 = join(DIR, 'acme-erp-release-2.openapi.yaml');
const NO_STACK = /\n\s+at .+:\d+:\d+/;

const loaded = new Map<string, Promise<ApiSpec>>();
/** fixtures/spec-diff/<name>.yaml, loaded once per test file. */
function fixture(name: string): Promise<ApiSpec> {
  if (!loaded.has(name)) loaded.set(name, loadSpec(join(DIR, `${name}.yaml`)));
  return loaded.get(name)!;
}

/** `kind METHOD /path in:pointer`: what a change is and where, in one comparable line. */
function line(change: SpecChange): string {
  const operation = change.operation ? `${change.operation.method} ${change.operation.path}` : '(document)';
  return `${change.kind} ${operation} ${change.location.in}:${change.location.pointer}`;
}

describe('diffSpecs: each kind of change', () => {
  const items = '/paths/~1items';
  const item = '/paths/~1items~1{id}';
  const input = '/components/schemas/ItemInput/properties';
  const model = '/components/schemas/Item/properties';
  it.each<[string, { old?: string; new: string; want: string[] }]>([
    ['operation removed', { new: 'operation-removed', want: [`operation-removed DELETE /items/{id} old:${item}/delete`] }],
    ['operation added', { new: 'operation-added', want: [`operation-added PUT /items/{id} new:${item}/put`] }],
    ['operation deprecated', { new: 'operation-deprecated', want: [`operation-deprecated GET /items/{id} new:${item}/get/deprecated`] }],
    ['operationId renamed', { new: 'operation-id-changed', want: [`operation-id-changed GET /items/{id} new:${item}/get`] }],
    ['required parameter added', { new: 'parameter-added-required', want: [`parameter-added-required GET /items new:${items}/get/parameters/1`] }],
    ['optional parameter added', { new: 'parameter-added-optional', want: [`parameter-added-optional GET /items new:${items}/get/parameters/1`] }],
    ['parameter made required', { new: 'parameter-made-required', want: [`parameter-made-required GET /items new:${items}/get/parameters/0`] }],
    ['parameter removed', { new: 'parameter-removed', want: [`parameter-removed GET /items old:${items}/get/parameters/0`] }],
    ['parameter type changed', { new: 'parameter-type-changed', want: [`parameter-type-changed GET /items new:${items}/get/parameters/0/schema`] }],
    ['parameter maximum lowered', { new: 'parameter-maximum-lowered', want: [`request-constraint-tightened GET /items new:${items}/get/parameters/0/schema`] }],
    ['request body made required', { old: 'request-body-optional', new: 'base', want: [`request-body-made-required POST /items new:${items}/post/requestBody`] }],
    ['request media type replaced', {
      new: 'request-media-type-replaced',
      want: [
        `request-media-type-removed POST /items old:${items}/post/requestBody/content/application~1json`,
        `request-media-type-added POST /items new:${items}/post/requestBody/content/application~1xml`,
      ],
    }],
    ['request property type changed', { new: 'request-type-changed', want: [`request-type-changed POST /items new:${input}/note`] }],
    ['request property type widened (integer → number)', { new: 'request-type-widened', want: [`request-type-widened POST /items new:${input}/quantity`] }],
    ['request enum value removed', { new: 'request-enum-value-removed', want: [`request-enum-value-removed POST /items new:${input}/kind`] }],
    ['request enum value added', { new: 'request-enum-value-added', want: [`request-enum-value-added POST /items new:${input}/kind`] }],
    ['request property added as required', { new: 'request-property-added-required', want: [`request-property-added-required POST /items new:${input}/sku`] }],
    ['request property added as optional', { new: 'request-property-added-optional', want: [`request-property-added-optional POST /items new:${input}/color`] }],
    ['request property made required', { new: 'request-property-made-required', want: [`request-property-made-required POST /items new:${input}/note`] }],
    ['request property removed', { new: 'request-property-removed', want: [`request-property-removed POST /items old:${input}/note`] }],
    ['request constraints tightened (maxLength, pattern, minimum)', {
      new: 'request-constraints-tightened',
      want: [
        `request-constraint-tightened POST /items new:${input}/name`,
        `request-constraint-tightened POST /items new:${input}/note`,
        `request-constraint-tightened POST /items new:${input}/quantity`,
      ],
    }],
    ['success status removed', { new: 'success-status-removed', want: [`success-status-removed GET /items/{id} old:${item}/get/responses/200`] }],
    ['success status changed 201 → 200', { new: 'success-status-changed', want: [`success-status-changed POST /items new:${items}/post/responses/200`] }],
    ['response status added', { new: 'response-status-added', want: [`response-status-added GET /items new:${items}/get/responses/400`] }],
    ['error response no longer documented', { new: 'response-status-removed', want: [`response-status-removed GET /items/{id} old:${item}/get/responses/404`] }],
    ['response media type replaced', {
      new: 'response-media-type-replaced',
      want: [
        `response-media-type-removed GET /items/{id} old:${item}/get/responses/200/content/application~1json`,
        `response-media-type-added GET /items/{id} new:${item}/get/responses/200/content/application~1xml`,
      ],
    }],
    ['response property removed', { new: 'response-property-removed', want: [`response-property-removed GET /items/{id} old:${model}/price`] }],
    ['response property added', { new: 'response-property-added', want: [`response-property-added GET /items/{id} new:${model}/color`] }],
    ['response property made optional', { new: 'response-property-made-optional', want: [`response-property-made-optional GET /items/{id} new:${model}/status`] }],
    ['response property type changed', { new: 'response-type-changed', want: [`response-type-changed GET /items/{id} new:${model}/price`] }],
    ['response property made nullable (3.0 nullable)', { new: 'response-made-nullable', want: [`response-made-nullable GET /items/{id} new:${model}/price`] }],
    ['response property made nullable (x-nullable)', { new: 'response-x-nullable', want: [`response-made-nullable GET /items/{id} new:${model}/price`] }],
    ['response property made nullable (3.1 type list)', { old: 'base-3.1', new: 'nullable-3.1', want: [`response-made-nullable GET /items/{id} new:${model}/price`] }],
    ['response property made nullable (Swagger 2.0 x-nullable)', {
      old: 'base-swagger-2.0',
      new: 'nullable-swagger-2.0',
      want: ['response-made-nullable GET /items/{id} new:/definitions/Item/properties/price'],
    }],
    ['response property removed after a migration from Swagger 2.0', {
      old: 'base-swagger-2.0',
      new: 'response-property-removed',
      want: ['response-property-removed GET /items/{id} old:/definitions/Item/properties/price'],
    }],
    ['parameter made required after a migration from Swagger 2.0', {
      old: 'base-swagger-2.0',
      new: 'parameter-made-required',
      want: [`parameter-made-required GET /items new:${items}/get/parameters/0`],
    }],
    ['parameter type changed in a Swagger 2.0 document (points at its parameter list)', {
      old: 'base-swagger-2.0',
      new: 'parameter-type-changed-swagger-2.0',
      want: [`parameter-type-changed GET /items new:${items}/get/parameters`],
    }],
    ['response enum value added', { new: 'response-enum-value-added', want: [`response-enum-value-added GET /items/{id} new:${model}/status`] }],
    ['property added inside a recursive schema, reported once', {
      new: 'response-deep-cycle-property-added',
      want: ['response-property-added GET /items/{id} new:/components/schemas/Category/properties/code'],
    }],
    ['security added', { old: 'security-none-on-list', new: 'base', want: [`security-added GET /items new:/security`] }],
    ['security changed to another scheme', { new: 'security-oauth-on-create', want: [`security-changed POST /items new:${items}/post/security`] }],
    ['security relaxed to none', { new: 'security-none-on-list', want: [`security-relaxed GET /items new:${items}/get/security`] }],
    ['server base path changed', { new: 'server-base-path-changed', want: ['server-base-path-changed (document) new:/servers/0'] }],
    ['API key moved to another header', {
      new: 'security-scheme-header-renamed',
      want: ['security-scheme-changed (document) new:/components/securitySchemes/apiKey'],
    }],
  ])('%s', async (_, { old = 'base', new: next, want }) => {
    const diff = diffSpecs(await fixture(old), await fixture(next));
    expect(diff.changes.map(line)).toEqual(want);
    for (const change of diff.changes) expect(change.breaking).toBe(CHANGE_KINDS[change.kind].breaking);
    const breaking = diff.changes.filter((c) => c.breaking).length;
    expect(diff.summary).toEqual({ breaking, nonBreaking: diff.changes.length - breaking });
  });
});

describe('diffSpecs: what is not a change', () => {
  it.each<[string, { old?: string; new: string }]>([
    ['descriptions, summaries and info.version', { new: 'descriptions-only' }],
    ['a renamed path parameter (/items/{id} → /items/{itemId})', { new: 'path-parameter-renamed' }],
    ['a $ref replaced by the same schema inline', { new: 'ref-inlined' }],
    ['a schema split into allOf parts', { new: 'allof-refactor' }],
    ['another host, same base path', { new: 'server-host-changed' }],
    ['request constraints relaxed', { new: 'request-constraints-relaxed' }],
    ['a request body made optional', { new: 'request-body-optional' }],
    ['a required readOnly property in a request schema', { new: 'request-readonly-required-added' }],
    ['a charset parameter on the media type', { new: 'response-media-type-charset' }],
    ['the API key header name in another case', { new: 'security-scheme-header-case' }],
    ['an OpenAPI 3.1 translation', { new: 'base-3.1' }],
    ['the Swagger 2.0 original of a 3.0 document', { old: 'base-swagger-2.0', new: 'base' }],
    ['nullable (3.0) vs type [number, null] (3.1)', { old: 'nullable-3.0', new: 'nullable-3.1' }],
    ['x-nullable (Swagger 2.0) vs nullable (3.0)', { old: 'nullable-swagger-2.0', new: 'nullable-3.0' }],
    ['a document and itself', { new: 'base' }],
  ])('%s', async (_, { old = 'base', new: next }) => {
    const diff = diffSpecs(await fixture(old), await fixture(next));
    expect(diff.changes.map(line)).toEqual([]);
    expect(diff.summary).toEqual({ breaking: 0, nonBreaking: 0 });
  });
});

describe('the breaking policy', () => {
  // The brief's list, from the side of a client that sends requests and reads responses.
  it.each<[ChangeKind, boolean]>([
    ['operation-removed', true],
    ['parameter-added-required', true],
    ['parameter-made-required', true],
    ['parameter-type-changed', true],
    ['request-type-changed', true],
    ['request-enum-value-removed', true],
    ['request-property-made-required', true],
    ['request-property-added-required', true],
    ['response-property-removed', true],
    ['response-type-changed', true],
    ['response-made-nullable', true],
    ['response-enum-value-added', true],
    ['success-status-removed', true],
    ['success-status-changed', true],
    ['response-media-type-removed', true],
    ['request-media-type-removed', true],
    ['security-added', true],
    ['security-changed', true],
    ['server-base-path-changed', true],
    ['security-scheme-changed', true],
    ['request-constraint-tightened', true],
    ['operation-added', false],
    ['parameter-added-optional', false],
    ['response-property-added', false],
    ['request-property-added-optional', false],
    ['response-status-added', false],
    ['request-enum-value-added', false],
    ['operation-deprecated', false],
    ['operation-id-changed', false],
  ])('%s breaking: %s', (kind, breaking) => {
    expect(CHANGE_KINDS[kind].breaking).toBe(breaking);
    expect(CHANGE_KINDS[kind].why).not.toBe('');
  });
});

describe('diffSpecs on real documents', () => {
  it('Acme ERP release 2: phone renamed, price a string, a new order status', async () => {
    const diff = diffSpecs(await loadSpec(ACME), await loadSpec(ACME_RELEASE_2));
    const lines = diff.changes.map((c) => `${c.breaking ? 'breaking' : 'ok'} ${c.kind} ${c.operation?.method} ${c.operation?.path} ${c.where}: ${c.property}`);
    expect(lines).toEqual([
      'breaking response-property-removed GET /customers response 200 application/json: data[].phone',
      'ok response-property-added GET /customers response 200 application/json: data[].phoneNumber',
      'breaking request-property-removed POST /customers request application/json: phone',
      'breaking response-property-removed POST /customers response 201 application/json: phone',
      'ok request-property-added-optional POST /customers request application/json: phoneNumber',
      'ok response-property-added POST /customers response 201 application/json: phoneNumber',
      'breaking response-property-removed GET /customers/{customerId} response 200 application/json: phone',
      'ok response-property-added GET /customers/{customerId} response 200 application/json: phoneNumber',
      'breaking response-enum-value-added GET /orders response 200 application/json: data[].status',
      'breaking response-enum-value-added POST /orders response 201 application/json: status',
      'breaking response-enum-value-added GET /orders/{orderId} response 200 application/json: status',
      'breaking response-type-changed GET /products response 200 application/json: data[].price',
      'breaking request-type-changed POST /products request application/json: price',
      'breaking request-constraint-tightened POST /products request application/json: price',
      'breaking response-type-changed POST /products response 201 application/json: price',
      'breaking response-type-changed GET /products/{productId} response 200 application/json: price',
    ]);
    expect(diff.summary).toEqual({ breaking: 12, nonBreaking: 4 });
    expect(diff.old).toMatchObject({ title: 'Acme ERP API', version: '1.4.0', specVersion: '3.0' });
    expect(diff.new).toMatchObject({ version: '2.0.0' });
    const enumChange = diff.changes.find((c) => c.kind === 'response-enum-value-added')!;
    expect(enumChange.after).toContain('backordered');
    expect(enumChange.location).toEqual({ in: 'new', source: 'fixtures/spec-diff/acme-erp-release-2.openapi.yaml', pointer: '/components/schemas/OrderStatus' });
  });

  it('Tripletex diffed with itself: no changes, in under 5 s', async () => {
    const file = join(TRIPLETEX, 'tripletex-openapi-3.0.json');
    const [before, after] = await Promise.all([loadSpec(file), loadSpec(file)]);
    const started = performance.now();
    const diff = diffSpecs(before, after);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(diff.changes).toEqual([]);
  }, 60_000);

  it('Tripletex Swagger 2.0 (v2.71) vs its OpenAPI 3.0 translation (v2.72): sane, no crash', async () => {
    const diff = await diffSpecFiles(join(TRIPLETEX, 'tripletex-swagger-2.0.json'), join(TRIPLETEX, 'tripletex-openapi-3.0.json'));
    const count = (kind: ChangeKind) => diff.changes.filter((c) => c.kind === kind).length;
    // 729 operations then, 739 now, none of the old ones gone.
    expect(count('operation-added') - count('operation-removed')).toBe(10);
    expect(count('operation-removed')).toBe(0);
    expect(diff.summary.breaking + diff.summary.nonBreaking).toBe(diff.changes.length);
    // The 3.0 translation documents success as `default`, which a client must be told about.
    expect(count('success-status-changed')).toBeGreaterThan(500);
    for (const change of diff.changes) {
      expect(Object.keys(CHANGE_KINDS)).toContain(change.kind);
      expect(change.location.pointer).toMatch(/^\//);
    }
  }, 60_000);

  it('names the document that failed to load', async () => {
    const missing = join(DIR, 'no-such-release.yaml');
    await expect(diffSpecFiles(ACME, missing)).rejects.toMatchObject({ side: 'new', code: 'RECON_SPEC_NOT_FOUND', exitCode: 2 });
    const error = await diffSpecFiles(missing, ACME).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecDiffLoadError);
    expect((error as SpecDiffLoadError).message).toMatch(/^cannot load the old document: .*no-such-release\.yaml/);
  });
});

describe('renderers', () => {
  it('text groups by operation, operations and changes with breaking first', async () => {
    const diff = diffSpecs(await loadSpec(ACME), await loadSpec(ACME_RELEASE_2));
    const text = renderSpecDiffText(diff);
    expect(text).toContain('Acme ERP API 1.4.0 → Acme ERP API 2.0.0');
    const postCustomers = text.slice(text.indexOf('POST /customers (createCustomer)'));
    expect(postCustomers.indexOf('breaking')).toBeLessThan(postCustomers.indexOf('ok  '));
    expect(text).toMatch(/12 breaking changes, 4 non-breaking\n$/);
  });

  it('text says so when nothing changed; Markdown has a table per operation', async () => {
    const none = diffSpecs(await fixture('base'), await fixture('descriptions-only'));
    expect(renderSpecDiffText(none)).toContain('no changes a client would notice');
    const some = diffSpecs(await fixture('base'), await fixture('success-status-changed'));
    const markdown = renderSpecDiffMarkdown(some);
    expect(markdown).toContain('## POST /items (createItem)');
    expect(markdown).toContain('| **breaking** | `success-status-changed` | success status 201 → 200 |');
  });
});

describe('recon diff (CLI)', () => {
  let temp: string;
  beforeAll(async () => {
    temp = await mkdtemp(join(tmpdir(), 'recon-diff-'));
  });
  afterAll(async () => {
    await rm(temp, { recursive: true, force: true });
  });
  const spec = (name: string) => `fixtures/spec-diff/${name}.yaml`;

  it.each<[string, number, string[]]>([
    ['no changes', 0, [spec('base'), spec('descriptions-only')]],
    ['breaking changes fail by default', 1, ['specs/acme-erp.openapi.yaml', 'fixtures/spec-diff/acme-erp-release-2.openapi.yaml']],
    ['--fail-on never', 0, ['specs/acme-erp.openapi.yaml', 'fixtures/spec-diff/acme-erp-release-2.openapi.yaml', '--fail-on', 'never']],
    ['non-breaking only passes by default', 0, [spec('base'), spec('operation-added')]],
    ['--fail-on any fails on a non-breaking change', 1, [spec('base'), spec('operation-added'), '--fail-on', 'any']],
  ])('%s: exit %i', async (_, code, args) => {
    const run = await runRecon(['diff', ...args], { env: { NO_COLOR: '1' } });
    expect(run.code).toBe(code);
    expect(run.stderr).toEqual(code === 1 ? expect.stringMatching(/^recon: \d+ (breaking change\(s\)|change\(s\)) \(--fail-on (breaking|any)\)\n$/) : '');
    expect(run.stdout).toMatch(/ → /);
  });

  it('--json prints one JSON document with the changes', async () => {
    const run = await runRecon(['diff', 'specs/acme-erp.openapi.yaml', 'fixtures/spec-diff/acme-erp-release-2.openapi.yaml', '--json']);
    expect(run.code).toBe(1);
    const diff = JSON.parse(run.stdout) as { summary: unknown; old: { source: string }; changes: { kind: string; breaking: boolean; operation: { method: string } }[] };
    expect(diff.summary).toEqual({ breaking: 12, nonBreaking: 4 });
    expect(diff.old.source).toBe('specs/acme-erp.openapi.yaml');
    expect(diff.changes[0]).toMatchObject({ kind: 'response-property-removed', breaking: true, operation: { method: 'GET' } });
  });

  it('--format markdown', async () => {
    const run = await runRecon(['diff', spec('base'), spec('operation-removed'), '--format', 'markdown']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^# API changes: Shop API 1\.0\.0 → 1\.0\.0\n/);
    expect(run.stdout).toContain('`operation-removed`');
  });

  it.each<[string, (dir: string) => Promise<string[]>, RegExp]>([
    ['a missing new document', async () => [spec('base'), 'fixtures/spec-diff/missing.yaml'], /cannot load the new document: fixtures\/spec-diff\/missing\.yaml: no such file/],
    ['a missing old document', async () => ['nope/old.yaml', spec('base')], /cannot load the old document: nope\/old\.yaml: no such file/],
    ['a malformed new document', async (dir) => {
      await writeFile(join(dir, 'broken.yaml'), 'openapi: 3.0.3\npaths: {\n');
      return [spec('base'), join(dir, 'broken.yaml')];
    }, /cannot load the new document: .*broken\.yaml/],
    ['an old document that is not an API document', async (dir) => {
      await writeFile(join(dir, 'notes.yaml'), await readFile(join(ROOT, 'fixtures', 'bad', 'not-openapi.yaml'), 'utf8'));
      return [join(dir, 'notes.yaml'), spec('base')];
    }, /cannot load the old document: .*notes\.yaml/],
  ])('%s: exit 2, named, no stack trace', async (_, args, says) => {
    const run = await runRecon(['diff', ...(await args(temp))]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(says);
    expect(run.stderr).not.toMatch(NO_STACK);
  });

  it.each([
    [['diff', spec('base')], /missing required argument 'new'/],
    [['diff', spec('base'), spec('base'), '--fail-on', 'sometimes'], /--fail-on <changes>.*Allowed choices are breaking, any, never/],
  ])('usage error %j exits 2', async (args, says) => {
    const run = await runRecon(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(says);
  });

  it('--help teaches with examples and exit codes', async () => {
    const run = await runRecon(['diff', '--help']);
    expect(run.code).toBe(0);
    for (const text of ['Usage: recon diff [options] <old> <new>', 'Examples:', 'recon diff vendor/v1.yaml vendor/v2.yaml', '--fail-on', 'Exit codes:']) {
      expect(run.stdout).toContain(text);
    }
  });
});
