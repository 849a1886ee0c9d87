/**
 * The sampler (src/spec/sample): values, responses and request URLs generated from a document's
 * own schemas must validate under recon's validator and hold no undeclared property, on small
 * schemas that each exercise one keyword and on four real vendor documents.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHar, validateHar } from '../src/http/har/index.js';
import { loadSpec, type ApiSpec, type NodeRef } from '../src/spec/index.js';
import { sampleRequestUrl, sampleResponse, sampleSchema, sampleValue, selectJsonResponse, type SampleOptions } from '../src/spec/sample/index.js';
import { writeConformantHar } from '../src/drift/conformant-har.js';

const ROOT = join(import.meta.dirname, '..');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recon-sample-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Each vendor document is loaded once for the whole file (Fiken's YAML takes seconds). */
const loaded = new Map<string, Promise<ApiSpec>>();
function load(file: string): Promise<ApiSpec> {
  let spec = loaded.get(file);
  if (spec === undefined) loaded.set(file, (spec = loadSpec(join(ROOT, file))));
  return spec;
}

/** A one-schema document in the given dialect, loaded as recon loads any document. */
let counter = 0;
async function specWith(version: '2.0' | '3.0' | '3.1', schemas: Record<string, unknown>): Promise<ApiSpec> {
  const document =
    version === '2.0' ? { swagger: '2.0', info: { title: 't', version: '1' }, paths: {}, definitions: schemas }
    : { openapi: version === '3.0' ? '3.0.3' : '3.1.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas } };
  const file = join(dir, `doc-${counter++}.json`);
  await writeFile(file, JSON.stringify(document));
  return loadSpec(file);
}
function schemaAt(spec: ApiSpec, name: string): NodeRef {
  // Swagger 2.0 is converted on loading: its definitions live at /components/schemas too.
  return { uri: spec.source.uri, pointer: `/components/schemas/${name}` };
}

/**
 * Drift's rule, checked independently of the sampler: every object holds only properties that
 * its schemas (through $ref, allOf and, leniently, every oneOf/anyOf branch) declare, unless one
 * of them documents additionalProperties. Returns the paths of the undeclared ones.
 */
function undeclaredProperties(spec: ApiSpec, refs: NodeRef[], value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const nodes: { raw: Record<string, any>; at: NodeRef }[] = [];
  const seen = new Set<string>();
  const gather = (at: NodeRef): void => {
    const found = spec.documents.deref(at);
    if (found === undefined || typeof found.value !== 'object' || found.value === null) return;
    const key = `${found.at.uri}#${found.at.pointer}`;
    if (seen.has(key)) return;
    seen.add(key);
    const raw = found.value as Record<string, any>;
    nodes.push({ raw, at: found.at });
    for (const keyword of ['allOf', 'oneOf', 'anyOf']) {
      (raw[keyword] as unknown[] | undefined)?.forEach((_, i) => gather({ uri: found.at.uri, pointer: `${found.at.pointer}/${keyword}/${i}` }));
    }
  };
  refs.forEach(gather);
  const child = (at: NodeRef, ...tokens: string[]): NodeRef => ({ uri: at.uri, pointer: [at.pointer, ...tokens.map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1'))].join('/') });
  if (Array.isArray(value)) {
    const items = nodes.filter((n) => n.raw.items !== null && typeof n.raw.items === 'object' && !Array.isArray(n.raw.items)).map((n) => child(n.at, 'items'));
    return value.flatMap((item, i) => undeclaredProperties(spec, items, item, `${path}/${i}`));
  }
  const open = nodes.some((n) => n.raw.additionalProperties === true || (typeof n.raw.additionalProperties === 'object' && n.raw.additionalProperties !== null));
  const out: string[] = [];
  for (const [name, item] of Object.entries(value)) {
    const declaring = nodes.filter((n) => n.raw.properties !== undefined && Object.prototype.hasOwnProperty.call(n.raw.properties, name));
    if (declaring.length === 0 && !open) out.push(`${path}/${name}`);
    const childRefs = [
      ...declaring.map((n) => child(n.at, 'properties', name)),
      ...nodes.filter((n) => typeof n.raw.additionalProperties === 'object' && n.raw.additionalProperties !== null).map((n) => child(n.at, 'additionalProperties')),
    ];
    out.push(...undeclaredProperties(spec, childRefs, item, `${path}/${name}`));
  }
  return out;
}

type Case = [string, { version?: '2.0' | '3.0' | '3.1'; schemas: Record<string, unknown>; options?: SampleOptions; want: (value: any) => boolean; problems?: RegExp }];

const cases: Case[] = [
  ['date-time is RFC 3339 with Z', { schemas: { S: { type: 'string', format: 'date-time' } }, want: (v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v) }],
  ['date, email, uuid, uri', {
    schemas: { S: { type: 'object', required: ['d', 'e', 'u', 'r'], properties: { d: { type: 'string', format: 'date' }, e: { type: 'string', format: 'email' }, u: { type: 'string', format: 'uuid' }, r: { type: 'string', format: 'uri' } } } },
    want: (v) => /^\d{4}-\d\d-\d\d$/.test(v.d) && v.e.includes('@') && /^[0-9a-f-]{36}$/.test(v.u) && v.r.startsWith('https://'),
  }],
  ['byte is padded base64', { schemas: { S: { type: 'string', format: 'byte', minLength: 8 } }, want: (v) => v.length >= 8 && Buffer.from(v, 'base64').toString('base64') === v }],
  ['int32 within its range and the bounds', { schemas: { S: { type: 'integer', format: 'int32', minimum: 2147483000 } }, want: (v) => v >= 2147483000 && v <= 2147483647 }],
  ['draft 4 exclusive bounds (3.0)', { schemas: { S: { type: 'integer', minimum: 1, maximum: 3, exclusiveMinimum: true, exclusiveMaximum: true } }, want: (v) => v === 2 }],
  ['numeric exclusive bounds (3.1)', { version: '3.1', schemas: { S: { type: 'integer', exclusiveMinimum: 1, exclusiveMaximum: 3 } }, want: (v) => v === 2 }],
  ['multipleOf 0.01', { schemas: { S: { type: 'number', multipleOf: 0.01, minimum: 0.2, maximum: 0.4 } }, want: (v) => v >= 0.2 && v <= 0.4 }],
  ['enum and const', { schemas: { S: { type: 'object', required: ['a', 'b'], properties: { a: { type: 'string', enum: ['X', 'Y'] }, b: { const: 7 } } } }, want: (v) => ['X', 'Y'].includes(v.a) && v.b === 7 }],
  ['min/maxLength', { schemas: { S: { type: 'string', minLength: 20, maxLength: 22 } }, want: (v) => v.length >= 20 && v.length <= 22 }],
  ['a simple pattern', { schemas: { S: { type: 'string', pattern: '^[A-Z]{3}$' } }, want: (v) => /^[A-Z]{3}$/.test(v) }],
  ['a pattern with alternation and groups', { schemas: { S: { type: 'string', pattern: '^(name|id):(asc|desc)(,\\d{4}-\\d{2}-\\d{2}Z?)*$' } }, want: (v) => /^(name|id):(asc|desc)/.test(v) }],
  ['a complex pattern falls back to the example', { schemas: { S: { type: 'string', pattern: '^(?=.*\\d)[a-z\\d]{6}$', example: 'abc123' } }, want: (v) => v === 'abc123' }],
  ['a complex pattern without example is reported', { schemas: { S: { type: 'string', pattern: '^(?=.*\\d)[a-z\\d]{6}$' } }, want: () => true, problems: /unsatisfiable here: pattern/ }],
  ['a valid example is preferred', { schemas: { S: { type: 'integer', example: 42 } }, want: (v) => v === 42 }],
  ['an example that does not validate is not used', { schemas: { S: { type: 'integer', default: '0' } }, want: (v) => Number.isInteger(v) }],
  ['useExamples: false ignores the example', { schemas: { S: { type: 'integer', minimum: 100, example: 42 } }, options: { useExamples: false }, want: (v) => v >= 100 }],
  ['3.1 type arrays pick the non-null type', { version: '3.1', schemas: { S: { type: ['null', 'string'], minLength: 2 } }, want: (v) => typeof v === 'string' }],
  ['allOf merges properties and required', {
    schemas: { Base: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } }, S: { allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }] } },
    options: { optionalProperties: 'none' },
    want: (v) => Number.isInteger(v.id) && typeof v.name === 'string' && Object.keys(v).length === 2,
  }],
  ['oneOf matches exactly one branch', { schemas: { S: { oneOf: [{ type: 'integer' }, { type: 'number' }] } }, want: (v) => typeof v === 'number' }],
  ['oneOf sets the discriminator from the mapping', {
    schemas: {
      Cat: { type: 'object', required: ['kind'], properties: { kind: { type: 'string', enum: ['cat'] }, lives: { type: 'integer' } } },
      Dog: { type: 'object', required: ['kind'], properties: { kind: { type: 'string', enum: ['dog'] }, barks: { type: 'boolean' } } },
      S: { oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }], discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat', dog: 'Dog' } } },
    },
    options: { optionalProperties: 'all' },
    want: (v) => (v.kind === 'cat' && 'lives' in v) || (v.kind === 'dog' && 'barks' in v),
  }],
  // Without additionalProperties: false, every Cat is also a Dog: JSON Schema's oneOf (which
  // recon validates; the discriminator is only a hint) cannot hold exactly one branch.
  ['oneOf branches no value can tell apart are reported', {
    schemas: {
      Cat: { type: 'object', properties: { kind: { type: 'string' } } },
      Dog: { type: 'object', properties: { kind: { type: 'string' } } },
      S: { oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }], discriminator: { propertyName: 'kind' } },
    },
    want: () => true,
    problems: /exactly one oneOf branch/,
  }],
  ['additionalProperties false: declared properties only', { schemas: { S: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } } }, options: { optionalProperties: 'all' }, want: (v) => Object.keys(v).join() === 'a' }],
  ['a documented map gets entries', { schemas: { S: { type: 'object', additionalProperties: { type: 'integer' } } }, want: (v) => Object.keys(v).length > 0 && Object.values(v).every(Number.isInteger) }],
  ['uniqueItems with minItems', { schemas: { S: { type: 'array', minItems: 3, uniqueItems: true, items: { type: 'string', enum: ['a', 'b', 'c'] } } }, want: (v) => new Set(v).size === 3 }],
  ['a draft 4 tuple', { schemas: { S: { type: 'array', minItems: 2, items: [{ type: 'integer' }, { type: 'string' }], additionalItems: false } }, want: (v) => v.length === 2 && Number.isInteger(v[0]) && typeof v[1] === 'string' }],
  ['a nullable object becomes null at the depth limit (3.0)', {
    schemas: { S: { type: 'object', required: ['next'], properties: { next: { $ref: '#/components/schemas/N' } } }, N: { type: 'object', nullable: true, required: ['next'], properties: { next: { $ref: '#/components/schemas/N' } } } },
    options: { maxDepth: 2 },
    want: (v) => v.next.next === null,
  }],
  ['x-nullable is read in Swagger 2.0', {
    version: '2.0',
    schemas: { S: { type: 'object', required: ['next'], properties: { next: { $ref: '#/definitions/S', 'x-nullable': true } } } },
    options: { maxDepth: 1 },
    want: (v) => v.next === null,
  }],
  ['a required recursive list with minItems 1 is reported', {
    schemas: { S: { type: 'object', required: ['children'], properties: { children: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/S' } } } } },
    options: { maxDepth: 2 },
    want: () => true,
    problems: /recurse without end/,
  }],
  ['optionalProperties none', { schemas: { S: { type: 'object', required: ['a'], properties: { a: { type: 'string' }, b: { type: 'string' } } } }, options: { optionalProperties: 'none' }, want: (v) => Object.keys(v).join() === 'a' }],
];

describe('sampleValue on one schema at a time', () => {
  it.each(cases)('%s', async (_name, { version = '3.0', schemas, options, want, problems }) => {
    const spec = await specWith(version, schemas);
    const at = schemaAt(spec, 'S');
    for (const seed of [1, 2, 3]) {
      const result = sampleSchema(spec, at, { ...options, seed });
      if (problems !== undefined) {
        expect(result.problems.map((p) => p.reason).join('\n')).toMatch(problems);
        continue;
      }
      expect(result.problems).toEqual([]);
      expect(spec.validator(at)(result.value), JSON.stringify({ value: result.value, errors: spec.validator(at).errors })).toBe(true);
      expect(want(result.value), JSON.stringify(result.value)).toBe(true);
      expect(undeclaredProperties(spec, [at], result.value)).toEqual([]);
    }
  });
});

/**
 * Schemas of the real documents that cannot be satisfied, with why. Empty today: every JSON
 * success response of these documents has a valid sample. A schema added here must say why.
 */
const UNSATISFIABLE: Record<string, string[]> = {};

const DOCUMENTS = [
  'fixtures/specs/tripletex/tripletex-openapi-3.0.json',
  'fixtures/specs/fiken/fiken-api-2.0.0.yaml',
  'fixtures/specs/24sevenoffice/rest.yaml',
  'fixtures/specs/24sevenoffice/payroll.json',
  'specs/acme-erp.openapi.yaml',
];

describe.each(DOCUMENTS)('sampled responses of %s', (file) => {
  let spec: ApiSpec;
  beforeAll(async () => {
    spec = await load(file);
  });

  it('validate for every operation with a JSON success response', () => {
    let sampled = 0;
    const failing: string[] = [];
    const problems = new Set<string>();
    for (const operation of spec.operations) {
      const response = sampleResponse(spec, operation, { seed: 11 });
      if (response === undefined) continue;
      sampled++;
      const selection = selectJsonResponse(operation);
      if (!selection.ok) throw new Error('sampleResponse sampled an operation selectJsonResponse skips');
      const validate = spec.validator(selection.media.schema);
      if (!validate(response.body)) failing.push(`${operation.method.toUpperCase()} ${operation.path}: ${JSON.stringify(validate.errors?.slice(0, 2))}`);
      const extra = undeclaredProperties(spec, [selection.media.schema], response.body);
      if (extra.length > 0) failing.push(`${operation.method.toUpperCase()} ${operation.path}: undeclared ${extra.slice(0, 3).join(', ')}`);
      for (const p of response.problems) problems.add(`${p.at}: ${p.reason}`);
    }
    if (problems.size > 0) console.log(`${file}: schemas that could not be satisfied:\n  ${[...problems].join('\n  ')}`);
    expect(sampled).toBeGreaterThan(0);
    expect(failing).toEqual(UNSATISFIABLE[file] ?? []);
  });

  it('is deterministic per seed', () => {
    const operations = spec.operations.filter((o) => selectJsonResponse(o).ok).slice(0, 15);
    const run = (seed: number): unknown[] => operations.map((o) => [sampleResponse(spec, o, { seed })?.body, sampleRequestUrl(spec, o, seed)]);
    expect(run(5)).toEqual(run(5));
    expect(JSON.stringify(run(5))).not.toEqual(JSON.stringify(run(6)));
  });

  it('makes request URLs the operation index matches back to the operation', () => {
    for (const operation of spec.operations.filter((o) => selectJsonResponse(o).ok)) {
      const url = sampleRequestUrl(spec, operation, 3);
      expect(url).not.toMatch(/[{}]/);
      const match = spec.matchOperation(operation.method, url);
      // Two templates may match the same URL (`/x/{id}` and `/x/list`): then the other one wins.
      if (match.kind === 'matched' && match.match.operation !== operation) continue;
      expect(match.kind, url).toBe('matched');
    }
  });
});

describe('reference cycles and body size on Tripletex', () => {
  let spec: ApiSpec;
  beforeAll(async () => {
    spec = await load('fixtures/specs/tripletex/tripletex-openapi-3.0.json');
  });

  it('terminates on Employee ⇄ Department with every optional property asked for', () => {
    const at = { uri: spec.source.uri, pointer: '/components/schemas/Employee' };
    for (const maxDepth of [2, 6, 10]) {
      const { value } = sampleSchema(spec, at, { seed: 1, maxDepth, optionalProperties: 'all' });
      expect(spec.validator(at)(value)).toBe(true);
      expect(JSON.stringify(value).length).toBeLessThan(2_000_000);
    }
    expect(sampleValue(spec, at, { seed: 1, maxDepth: 0 })).toEqual({});
  });

  it('grows a list response to minBodyBytes and keeps it valid', () => {
    const operation = spec.operations.find((o) => o.method === 'get' && o.path === '/employee')!;
    const response = sampleResponse(spec, operation, { seed: 1, minBodyBytes: 50_000 })!;
    const bytes = Buffer.byteLength(JSON.stringify(response.body));
    expect(bytes).toBeGreaterThanOrEqual(50_000);
    expect(bytes).toBeLessThan(200_000);
    const selection = selectJsonResponse(operation);
    expect(selection.ok && spec.validator(selection.media.schema)(response.body)).toBe(true);
  });

  it('fills path parameters under the first server', () => {
    const operation = spec.operations.find((o) => o.method === 'put' && o.path === '/ledger/voucher/{id}/:sendToLedger')!;
    expect(sampleRequestUrl(spec, operation, 1)).toMatch(/^https:\/\/tripletex\.no\/v2\/ledger\/voucher\/\d+\/:sendToLedger$/);
  });
});

describe('sampleResponse headers', () => {
  it('include every documented header, with values valid for their schemas', async () => {
    const spec = await load('specs/acme-erp.openapi.yaml');
    let checked = 0;
    for (const operation of spec.operations) {
      const response = sampleResponse(spec, operation, { seed: 4 });
      if (response === undefined) continue;
      expect(response.headers.map(([name]) => name)).toEqual(response.response.headers.map((h) => h.name).filter((n) => n.toLowerCase() !== 'content-type'));
      for (const [name, text] of response.headers) {
        const schema = response.response.headers.find((h) => h.name === name)!.schema!;
        const type = (spec.documents.deref(schema)!.value as { type?: string }).type;
        const value = type === 'integer' || type === 'number' ? Number(text) : type === 'boolean' ? text === 'true' : text;
        expect(spec.validator(schema)(value), `${name}: ${text}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});

describe('writeConformantHar', () => {
  it.each([
    ['fixtures/specs/fiken/fiken-api-2.0.0.yaml', false],
    ['fixtures/specs/24sevenoffice/rest.yaml', true],
  ] as const)('writes a HAR of %s that readHar reads and validateHar accepts', async (file, pretty) => {
    const spec = await load(file);
    const out = join(dir, `conformant-${pretty}.har`);
    const result = await writeConformantHar(spec, out, { seed: 1, perOperation: 2, pretty });
    const operations = spec.operations.filter((o) => selectJsonResponse(o).ok);
    expect(result.entries).toBe(operations.length * 2);
    expect(result.skipped.length).toBe(spec.operations.length - operations.length);
    expect(result.problems).toEqual([]);
    const har = await readHar(out);
    expect(validateHar(har)).toEqual({ ok: true, errors: [] });
    expect(har.log.entries.length).toBe(result.entries);
    for (const entry of har.log.entries) {
      const match = spec.matchOperation(entry.request.method, entry.request.url);
      expect(match.kind).toBe('matched');
      const operation = spec.operations.find((o) => o.method.toUpperCase() === entry._recon?.operation?.method && o.path === entry._recon.operation.path)!;
      const selection = selectJsonResponse(operation);
      expect(selection.ok && spec.validator(selection.media.schema)(JSON.parse(entry.response.content.text!))).toBe(true);
      expect(entry.response.headers[0]).toEqual({ name: 'content-type', value: entry.response.content.mimeType });
    }
  });

  it('stops at maxEntries and grows bodies to minBodyBytes', async () => {
    const spec = await load('specs/acme-erp.openapi.yaml');
    const out = join(dir, 'acme-big.har');
    const result = await writeConformantHar(spec, out, { seed: 2, perOperation: 10, maxEntries: 25, minBodyBytes: 5_000 });
    expect(result.entries).toBe(25);
    const har = await readHar(out);
    expect(validateHar(har).ok).toBe(true);
    const big = har.log.entries.filter((e) => e.response.content.size >= 5_000);
    expect(big.length).toBeGreaterThan(0);
  });
});
