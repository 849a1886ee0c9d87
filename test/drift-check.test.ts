import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaChecker, type CheckResult, type SchemaCheckerOptions } from '../src/drift/check/index.js';
import type { SchemaIssue } from '../src/drift/types.js';
import { DocumentSet } from '../src/spec/documents.js';
import { loadSpec } from '../src/spec/index.js';
import type { NodeRef, SchemaDialect } from '../src/spec/types.js';

const API = 'file:///t/api.json';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const HEADER: Record<SchemaDialect, Record<string, string>> = {
  'swagger-2.0': { openapi: '3.0.3' }, // converted shape; the dialect is what matters
  'openapi-3.0': { openapi: '3.0.3' },
  'openapi-3.1': { openapi: '3.1.0' },
};

function documents(schemas: Record<string, unknown>, dialect: SchemaDialect = 'openapi-3.0'): DocumentSet {
  return new DocumentSet({ uri: API, shown: 'api.json', value: { ...HEADER[dialect], components: { schemas } }, dialect });
}

function schemaAt(name: string, uri = API): NodeRef {
  return { uri, pointer: `/components/schemas/${name}` };
}

function pointer(path: (string | number)[]): string {
  return path.map((token) => '/' + String(token).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** One line per issue: `kind /instance/path ← /schema/pointer keyword [branch > branch]`. */
function brief(issue: SchemaIssue): string {
  const branch = issue.branch.length > 0 ? ` [${issue.branch.join(' > ')}]` : '';
  const extra = issue.contradicts ? ' (contradicts)' : '';
  return `${issue.kind} ${pointer(issue.path) || '(root)'} ← ${issue.schema.pointer} ${issue.keyword}${extra}${branch}`;
}

interface Case {
  schemas: Record<string, unknown>;
  dialect?: SchemaDialect;
  options?: SchemaCheckerOptions;
  given: unknown;
  want: string[];
}

function run({ schemas, dialect, options, given }: Case): CheckResult {
  return new SchemaChecker(documents(schemas, dialect), options).check(schemaAt('T'), given);
}

const S = '/components/schemas';

describe('SchemaChecker: issue kinds', () => {
  const person = {
    type: 'object',
    required: ['id', 'name'],
    properties: {
      id: { type: 'integer', format: 'int64' },
      name: { type: 'string', minLength: 1, maxLength: 5 },
      amount: { type: 'number', minimum: 0, multipleOf: 0.01 },
      status: { type: 'string', enum: ['ACTIVE', 'INACTIVE'] },
      kind: { const: 'person' },
      born: { type: 'string', format: 'date' },
      tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' }, maxItems: 2, uniqueItems: true },
    },
  };
  const table: [string, Case][] = [
    ['a conforming object', { schemas: { T: person }, given: { id: 1, name: 'Ola', amount: 19.99, status: 'ACTIVE', tags: ['a'] }, want: [] }],
    ['missing required', { schemas: { T: person }, given: { name: 'Ola' }, want: [`missing-required /id ← ${S}/T required`] }],
    ['undocumented property', { schemas: { T: person }, given: { id: 1, name: 'Ola', extra: true }, want: [`undocumented-property /extra ← ${S}/T properties`] }],
    ['undocumented property, strictProperties off', { schemas: { T: person }, options: { strictProperties: false }, given: { id: 1, name: 'Ola', extra: true }, want: [] }],
    ['number sent as string', { schemas: { T: person }, given: { id: '1', name: 'Ola' }, want: [`type-mismatch /id ← ${S}/T/properties/id type`] }],
    ['fraction where integer is documented', { schemas: { T: person }, given: { id: 1.5, name: 'Ola' }, want: [`type-mismatch /id ← ${S}/T/properties/id type`] }],
    ['unexpected null', { schemas: { T: person }, given: { id: 1, name: null }, want: [`unexpected-null /name ← ${S}/T/properties/name type`] }],
    ['enum mismatch', { schemas: { T: person }, given: { id: 1, name: 'Ola', status: 'active' }, want: [`enum-mismatch /status ← ${S}/T/properties/status enum`] }],
    ['const mismatch', { schemas: { T: person }, given: { id: 1, name: 'Ola', kind: 'company' }, want: [`enum-mismatch /kind ← ${S}/T/properties/kind const`] }],
    ['format mismatch', { schemas: { T: person }, given: { id: 1, name: 'Ola', born: '05.01.1980' }, want: [`format-mismatch /born ← ${S}/T/properties/born format`] }],
    ['int64 format on a huge number', { schemas: { T: person }, given: { id: 1e300, name: 'Ola' }, want: [`format-mismatch /id ← ${S}/T/properties/id format`] }],
    [
      'string, number and array constraints',
      {
        schemas: { T: person },
        given: { id: 1, name: 'Nordmann', amount: -0.001, tags: ['a', 'B', 'a'] },
        want: [
          `constraint-violation /name ← ${S}/T/properties/name maxLength`,
          `constraint-violation /amount ← ${S}/T/properties/amount minimum`,
          `constraint-violation /amount ← ${S}/T/properties/amount multipleOf`,
          `constraint-violation /tags ← ${S}/T/properties/tags maxItems`,
          `constraint-violation /tags ← ${S}/T/properties/tags uniqueItems`,
          `constraint-violation /tags/1 ← ${S}/T/properties/tags/items pattern`,
        ],
      },
    ],
    ['minLength counts code points', { schemas: { T: { type: 'string', minLength: 2 } }, given: '😀', want: [`constraint-violation (root) ← ${S}/T minLength`] }],
    ['type mismatch does not descend', { schemas: { T: person }, given: [{ id: 'x' }], want: [`type-mismatch (root) ← ${S}/T type`] }],
    ['a pattern that does not compile is ignored', { schemas: { T: { type: 'string', pattern: '(' } }, given: 'x', want: [] }],
    [
      'additionalProperties false contradicts',
      {
        schemas: { T: { type: 'object', properties: { a: {} }, additionalProperties: false } },
        given: { a: 1, b: 2 },
        want: [`undocumented-property /b ← ${S}/T additionalProperties (contradicts)`],
      },
    ],
    [
      'additionalProperties as a schema documents the rest',
      {
        schemas: { T: { type: 'object', properties: { a: {} }, additionalProperties: { type: 'integer' } } },
        given: { a: 1, b: 2, c: 'x' },
        want: [`type-mismatch /c ← ${S}/T/additionalProperties type`],
      },
    ],
    [
      'patternProperties documents matching members',
      {
        schemas: { T: { type: 'object', properties: { a: {} }, patternProperties: { '^x-': { type: 'string' } } } },
        given: { a: 1, 'x-b': 2, c: 3 },
        want: [`type-mismatch /x-b ← ${S}/T/patternProperties/^x- type`, `undocumented-property /c ← ${S}/T properties`],
      },
    ],
    ['a free-form object documents no members', { schemas: { T: { type: 'object' } }, given: { anything: 1 }, want: [] }],
    [
      'paths carry real array indices',
      {
        schemas: { T: { type: 'array', items: { $ref: '#/components/schemas/P' } }, P: person },
        given: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 'x', name: 'c' }],
        want: [`type-mismatch /2/id ← ${S}/P/properties/id type`],
      },
    ],
    [
      'a schema without type: object still documents members (Swagger habit)',
      { schemas: { T: { properties: { a: { type: 'string' } } } }, given: { a: 'x', b: 1 }, want: [`undocumented-property /b ← ${S}/T properties`] },
    ],
    [
      'an unresolvable $ref accepts anything',
      { schemas: { T: { type: 'object', properties: { a: { $ref: '#/components/schemas/Missing' }, b: { $ref: 'other.json#/X' } } } }, given: { a: [1], b: null }, want: [] },
    ],
  ];
  it.each(table)('%s', (_name, testCase) => {
    expect(run(testCase).issues.map(brief)).toEqual(testCase.want);
  });

  it('reports what the renderer needs, with vendor-document pointers', () => {
    const result = run({ schemas: { T: person }, given: { id: '7', name: 'Ola', born: '1980-01-05 00:00:00', extra: 1 }, want: [] });
    expect(result).toMatchInlineSnapshot(`
      {
        "issues": [
          {
            "branch": [],
            "expected": [
              "integer",
            ],
            "keyword": "type",
            "kind": "type-mismatch",
            "observedType": "string",
            "path": [
              "id",
            ],
            "schema": {
              "pointer": "/components/schemas/T/properties/id",
              "uri": "file:///t/api.json",
            },
            "value": "7",
          },
          {
            "branch": [],
            "expected": "date",
            "keyword": "format",
            "kind": "format-mismatch",
            "observedFormat": "yyyy-MM-dd HH:mm:ss",
            "path": [
              "born",
            ],
            "schema": {
              "pointer": "/components/schemas/T/properties/born",
              "uri": "file:///t/api.json",
            },
            "value": "1980-01-05 00:00:00",
          },
          {
            "branch": [],
            "keyword": "properties",
            "kind": "undocumented-property",
            "path": [
              "extra",
            ],
            "property": "extra",
            "schema": {
              "pointer": "/components/schemas/T",
              "uri": "file:///t/api.json",
            },
            "value": 1,
          },
        ],
      }
    `);
  });
});

describe('SchemaChecker: dialects', () => {
  const nullableString = { type: 'string', nullable: true };
  const xNullableString = { type: 'string', 'x-nullable': true };
  const refNullable = { type: 'object', properties: { manager: { $ref: '#/components/schemas/M', nullable: true } } };
  const table: [string, Case][] = [
    ['3.0 nullable accepts null', { schemas: { T: nullableString }, given: null, want: [] }],
    ['3.0 nullable, enum without null', { schemas: { T: { type: 'string', enum: ['a'], nullable: true } }, given: null, want: [] }],
    ['3.1 ignores nullable', { schemas: { T: nullableString }, dialect: 'openapi-3.1', given: null, want: [`unexpected-null (root) ← ${S}/T type`] }],
    ['2.0 x-nullable accepts null', { schemas: { T: xNullableString }, dialect: 'swagger-2.0', given: null, want: [] }],
    ['2.0 ignores nullable (not a 2.0 keyword)', { schemas: { T: nullableString }, dialect: 'swagger-2.0', given: null, want: [`unexpected-null (root) ← ${S}/T type`] }],
    ['3.0 honours x-nullable too (generators leave it)', { schemas: { T: xNullableString }, given: null, want: [] }],
    ['3.1 type array with null', { schemas: { T: { type: ['string', 'null'] } }, dialect: 'openapi-3.1', given: null, want: [] }],
    ['3.1 type array without null', { schemas: { T: { type: ['string', 'integer'] } }, dialect: 'openapi-3.1', given: true, want: [`type-mismatch (root) ← ${S}/T type`] }],
    ['nullable beside $ref means "or null" (3.0)', { schemas: { T: refNullable, M: { type: 'object' } }, given: { manager: null }, want: [] }],
    [
      'null without nullable is reported where it arrived, not at the $ref target',
      { schemas: { T: { type: 'object', properties: { manager: { $ref: '#/components/schemas/M' } } }, M: { type: 'object' } }, given: { manager: null }, want: [`unexpected-null /manager ← ${S}/T/properties/manager type`] },
    ],
    ['3.0 ignores siblings of $ref', { schemas: { T: { $ref: '#/components/schemas/M', maxLength: 1 }, M: { type: 'string' } }, given: 'long', want: [] }],
    ['3.1 applies siblings of $ref', { schemas: { T: { $ref: '#/components/schemas/M', maxLength: 1 }, M: { type: 'string' } }, dialect: 'openapi-3.1', given: 'long', want: [`constraint-violation (root) ← ${S}/T maxLength`] }],
    ['3.0 exclusiveMinimum: true', { schemas: { T: { type: 'number', minimum: 0, exclusiveMinimum: true } }, given: 0, want: [`constraint-violation (root) ← ${S}/T exclusiveMinimum`] }],
    ['3.0 exclusiveMinimum: false is minimum', { schemas: { T: { type: 'number', minimum: 0, exclusiveMinimum: false } }, given: 0, want: [] }],
    ['2.0 exclusiveMaximum: true', { schemas: { T: { type: 'number', maximum: 10, exclusiveMaximum: true } }, dialect: 'swagger-2.0', given: 10, want: [`constraint-violation (root) ← ${S}/T exclusiveMaximum`] }],
    ['3.1 numeric exclusiveMinimum', { schemas: { T: { type: 'number', exclusiveMinimum: 0 } }, dialect: 'openapi-3.1', given: 0, want: [`constraint-violation (root) ← ${S}/T exclusiveMinimum`] }],
    ['3.1 exclusiveMinimum beside a lower minimum', { schemas: { T: { type: 'number', minimum: -5, exclusiveMinimum: 0 } }, dialect: 'openapi-3.1', given: 0.5, want: [] }],
    ['2.0 items array is a tuple', { schemas: { T: { type: 'array', items: [{ type: 'string' }], additionalItems: { type: 'integer' } } }, dialect: 'swagger-2.0', given: ['a', 1, 'b'], want: [`type-mismatch /2 ← ${S}/T/additionalItems type`] }],
    ['3.1 prefixItems', { schemas: { T: { type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'integer' } } }, dialect: 'openapi-3.1', given: [1, 1], want: [`type-mismatch /0 ← ${S}/T/prefixItems/0 type`] }],
    ["Swagger's file type constrains nothing", { schemas: { T: { type: 'file' } }, dialect: 'swagger-2.0', given: 5, want: [] }],
  ];
  it.each(table)('%s', (_name, testCase) => {
    expect(run(testCase).issues.map(brief)).toEqual(testCase.want);
  });
});

describe('SchemaChecker: composition', () => {
  const pets = {
    Cat: { type: 'object', required: ['petType', 'meows'], properties: { petType: { type: 'string' }, meows: { type: 'boolean' } } },
    Dog: { type: 'object', required: ['petType', 'barks'], properties: { petType: { type: 'string' }, barks: { type: 'boolean' } } },
  };
  const oneOf = { oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }] };
  const table: [string, Case][] = [
    ['oneOf picks the clean branch', { schemas: { T: oneOf, ...pets }, given: { petType: 'Dog', barks: true }, want: [] }],
    [
      'oneOf reports the closest branch, naming it',
      {
        schemas: { T: oneOf, ...pets },
        given: { petType: 'Dog', barks: 'loud' },
        want: [`type-mismatch /barks ← ${S}/Dog/properties/barks type [oneOf[1] #/components/schemas/Dog]`],
      },
    ],
    [
      'undocumented members do not disqualify a branch, and are reported with it',
      {
        schemas: { T: oneOf, ...pets },
        given: { petType: 'Cat', meows: true, colour: 'black' },
        want: [`undocumented-property /colour ← ${S}/Cat properties [oneOf[0] #/components/schemas/Cat]`],
      },
    ],
    [
      'a discriminator with mapping picks the branch',
      {
        schemas: { T: { ...oneOf, discriminator: { propertyName: 'petType', mapping: { dog: '#/components/schemas/Dog', cat: 'Cat' } } }, ...pets },
        given: { petType: 'cat', barks: true },
        want: [
          `missing-required /meows ← ${S}/Cat required [oneOf[0] #/components/schemas/Cat]`,
          `undocumented-property /barks ← ${S}/Cat properties [oneOf[0] #/components/schemas/Cat]`,
        ],
      },
    ],
    [
      'a discriminator without mapping names a component schema',
      {
        schemas: { T: { ...oneOf, discriminator: { propertyName: 'petType' } }, ...pets },
        given: { petType: 'Dog', meows: true },
        want: [
          `missing-required /barks ← ${S}/Dog required [oneOf[1] #/components/schemas/Dog]`,
          `undocumented-property /meows ← ${S}/Dog properties [oneOf[1] #/components/schemas/Dog]`,
        ],
      },
    ],
    [
      'oneOf with two matching branches breaks "exactly one"',
      {
        schemas: { T: { oneOf: [{ type: 'integer' }, { minimum: 2 }] } },
        given: 3,
        want: [`constraint-violation (root) ← ${S}/T oneOf`],
      },
    ],
    ['anyOf with two matching branches is fine', { schemas: { T: { anyOf: [{ type: 'integer' }, { minimum: 2 }] } }, given: 3, want: [] }],
    [
      'nested branches are named outermost first',
      {
        schemas: { T: { anyOf: [{ type: 'string' }, { oneOf: [{ type: 'integer', maximum: 1 }, { type: 'boolean' }] }] } },
        given: 5,
        want: [`constraint-violation (root) ← ${S}/T/anyOf/1/oneOf/0 maximum [anyOf[1] #/components/schemas/T/anyOf/1 > oneOf[0] #/components/schemas/T/anyOf/1/oneOf/0]`],
      },
    ],
    [
      'allOf: members declared in any branch are documented',
      {
        schemas: {
          T: { allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object', required: ['extra'], properties: { extra: { type: 'string' } } }] },
          Base: { type: 'object', properties: { id: { type: 'integer' } } },
        },
        given: { id: 1, extra: 'x', other: 2 },
        want: [`undocumented-property /other ← ${S}/Base properties`],
      },
    ],
    [
      'allOf reports every branch',
      {
        schemas: { T: { allOf: [{ type: 'object', required: ['a'] }, { type: 'object', required: ['b'] }] } },
        given: {},
        want: [`missing-required /a ← ${S}/T/allOf/0 required`, `missing-required /b ← ${S}/T/allOf/1 required`],
      },
    ],
    ['not', { schemas: { T: { not: { type: 'string' } } }, given: 'x', want: [`constraint-violation (root) ← ${S}/T not`] }],
    [
      'if/then/else',
      {
        schemas: { T: { if: { properties: { country: { const: 'NO' } } }, then: { required: ['orgNumber'] }, else: { required: ['vatId'] } } },
        given: { country: 'SE' },
        want: [`missing-required /vatId ← ${S}/T/else required`],
      },
    ],
    ['null through anyOf with a null branch (3.1)', { schemas: { T: { anyOf: [{ type: 'string' }, { type: 'null' }] } }, dialect: 'openapi-3.1', given: null, want: [] }],
    [
      'null rejected by every branch is one unexpected-null',
      { schemas: { T: { type: 'object', properties: { p: oneOf } }, ...pets }, given: { p: null }, want: [`unexpected-null /p ← ${S}/T/properties/p type`] },
    ],
  ];
  it.each(table)('%s', (_name, testCase) => {
    expect(run(testCase).issues.map(brief)).toEqual(testCase.want);
  });

  it('a branch issue in full', () => {
    const result = run({ schemas: { T: oneOf, ...pets }, given: { petType: 'Dog', barks: 'loud' }, want: [] });
    expect(result).toMatchInlineSnapshot(`
      {
        "issues": [
          {
            "branch": [
              "oneOf[1] #/components/schemas/Dog",
            ],
            "expected": [
              "boolean",
            ],
            "keyword": "type",
            "kind": "type-mismatch",
            "observedType": "string",
            "path": [
              "barks",
            ],
            "schema": {
              "pointer": "/components/schemas/Dog/properties/barks",
              "uri": "file:///t/api.json",
            },
            "value": "loud",
          },
        ],
      }
    `);
  });
});

describe('SchemaChecker: references', () => {
  const hr = {
    Employee: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        department: { $ref: '#/components/schemas/Department' },
        manager: { $ref: '#/components/schemas/Employee', nullable: true },
      },
    },
    Department: { type: 'object', properties: { id: { type: 'integer' }, manager: { $ref: '#/components/schemas/Employee' } } },
  };
  it('follows Employee → Department → Employee as deep as the data goes', () => {
    const set = documents(hr);
    const body = { id: 1, department: { id: 2, manager: { id: 3, manager: { id: 'x', department: { id: 4 } } } } };
    expect(new SchemaChecker(set).check(schemaAt('Employee'), body).issues.map(brief)).toEqual([
      `type-mismatch /department/manager/manager/id ← ${S}/Employee/properties/id type`,
    ]);
  });

  it.each([
    ['A → B → A', { A: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/A' } }],
    ['A → A', { A: { $ref: '#/components/schemas/A' } }],
    ['A: allOf [A]', { A: { allOf: [{ $ref: '#/components/schemas/A' }] } }],
    ['A: anyOf [B], B: oneOf [A]', { A: { anyOf: [{ $ref: '#/components/schemas/B' }] }, B: { oneOf: [{ $ref: '#/components/schemas/A' }] } }],
  ])('a reference cycle that consumes no data (%s) accepts instead of looping', (_name, schemas) => {
    const checker = new SchemaChecker(documents(schemas));
    expect(checker.check(schemaAt('A'), { any: [1, 2, { x: null }] })).toEqual({ issues: [] });
  });

  it('follows $refs into other documents', () => {
    const set = documents({ T: { type: 'object', properties: { address: { $ref: 'common.json#/Address' } } } });
    set.add({ uri: 'file:///t/common.json', shown: 'common.json', dialect: 'openapi-3.0', value: { Address: { type: 'object', properties: { city: { type: 'string' } } } } });
    const issue = new SchemaChecker(set).check(schemaAt('T'), { address: { city: 5 } }).issues[0]!;
    expect(issue.schema).toEqual({ uri: 'file:///t/common.json', pointer: '/Address/properties/city' });
  });
});

describe('SchemaChecker: limits and hostile input', () => {
  it('stops after maxIssues and says so', () => {
    const checker = new SchemaChecker(documents({ T: { type: 'array', items: { type: 'string' } } }), { maxIssues: 10 });
    const result = checker.check(schemaAt('T'), Array.from({ length: 100 }, (_, i) => i));
    expect(result.issues).toHaveLength(10);
    expect(result.truncated).toBe('stopped after 10 issues');
  });

  it('checks a 1,000,000-item array quickly', () => {
    const checker = new SchemaChecker(documents({ T: { type: 'array', uniqueItems: true, items: { type: 'integer', minimum: 0 } } }));
    const big = Array.from({ length: 1_000_000 }, (_, i) => i);
    big[999_999] = -1;
    const started = performance.now();
    const result = checker.check(schemaAt('T'), big);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.issues.map(brief)).toEqual([`constraint-violation /999999 ← ${S}/T/items minimum`]);
  });

  const deep = (levels: number, wrap: (inner: unknown) => unknown): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = wrap(value);
    return value;
  };
  it.each([
    ['arrays', (inner: unknown) => [inner], { Tree: { type: 'array', items: { $ref: '#/components/schemas/Tree' } } }],
    ['objects', (inner: unknown) => ({ child: inner }), { Tree: { type: 'object', properties: { child: { $ref: '#/components/schemas/Tree' } } } }],
  ])('100,000-deep %s against a recursive schema: no stack overflow, one truncation note', (_name, wrap, schemas) => {
    const result = new SchemaChecker(documents(schemas)).check(schemaAt('Tree'), deep(100_000, wrap));
    expect(result.issues).toEqual([]);
    expect(result.truncated).toMatch(/^value nests deeper than 512 levels; not checked below \//);
  });

  it('100,000-deep data against {} is not walked at all', () => {
    const result = new SchemaChecker(documents({ T: {} })).check(schemaAt('T'), deep(100_000, (inner) => [inner]));
    expect(result).toEqual({ issues: [] });
  });

  it('a huge maxDepth cannot overflow the stack either', () => {
    const schemas = { Tree: { type: 'array', items: { $ref: '#/components/schemas/Tree' } } };
    const result = new SchemaChecker(documents(schemas), { maxDepth: 1_000_000 }).check(schemaAt('Tree'), deep(100_000, (inner) => [inner]));
    expect(result.truncated).toBeDefined();
  });

  it('reports __proto__ in data as undocumented, without polluting any prototype', () => {
    const body = JSON.parse('{"id": 1, "__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown;
    const result = new SchemaChecker(documents({ T: { type: 'object', properties: { id: { type: 'integer' } } } })).check(schemaAt('T'), body);
    expect(result.issues.map(brief)).toEqual([`undocumented-property /__proto__ ← ${S}/T properties`, `undocumented-property /constructor ← ${S}/T properties`]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads __proto__ and constructor as ordinary declared property names', () => {
    const schema = JSON.parse(
      '{"type": "object", "required": ["constructor", "toString"], "properties": {"__proto__": {"type": "string"}, "constructor": {"type": "integer"}, "toString": {}}}',
    ) as unknown;
    const checker = new SchemaChecker(documents({ T: schema }));
    expect(checker.check(schemaAt('T'), JSON.parse('{"__proto__": 5, "constructor": 1, "toString": 1}')).issues.map(brief)).toEqual([
      `type-mismatch /__proto__ ← ${S}/T/properties/__proto__ type`,
    ]);
    // `constructor` and `toString` are on Object.prototype, but not the body's own members.
    expect(checker.check(schemaAt('T'), {}).issues.map(brief)).toEqual([
      `missing-required /constructor ← ${S}/T required`,
      `missing-required /toString ← ${S}/T required`,
    ]);
  });

  it('compares enum members and unique items by JSON value, including deep ones', () => {
    const checker = new SchemaChecker(documents({ T: { type: 'array', uniqueItems: true, items: { enum: [{ a: [1] }, 0, 'x'] } } }));
    expect(checker.check(schemaAt('T'), [{ a: [1] }, 0, 'x']).issues).toEqual([]);
    expect(checker.check(schemaAt('T'), [false, { a: [1.0] }, { a: [1] }]).issues.map(brief)).toEqual([
      `constraint-violation (root) ← ${S}/T uniqueItems`,
      `enum-mismatch /0 ← ${S}/T/items enum`,
    ]);
  });
});

describe('SchemaChecker: agreement with the JSON Schema Test Suite (draft 2020-12)', () => {
  const SUITE = join(FIXTURES, 'json-schema-test-suite', 'tests', 'draft2020-12');
  /** The keywords the checker supports; `format` is annotation-only in 2020-12, so not here. */
  const FILES = [
    'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'patternProperties', 'items',
    'prefixItems', 'allOf', 'anyOf', 'oneOf', 'not', 'if-then-else', 'minimum', 'maximum', 'exclusiveMinimum',
    'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems',
    'minProperties', 'maxProperties', 'boolean_schema', 'ref', 'infinite-loop-detection',
  ];
  /**
   * "file > group > case" where the checker's answer differs from the suite's, and why.
   * recon resolves `$ref`s as JSON pointers into documents (as the compiler does); it does not
   * track `$id`/`$anchor` base URIs, remote documents, or annotations (unevaluated*).
   */
  const KNOWN: Record<string, string> = {
    'enum > empty enum': 'enum: [] is dropped as a generator slip (keywords.ts), as the engine does',
    'not > collect annotations inside a \'not\', even if collection is disabled': 'unevaluatedProperties (annotations) is not supported',
    'ref > ref creates new scope when adjacent to keywords': 'unevaluatedProperties (annotations) is not supported',
    'ref > remote ref, containing refs itself': 'remote (metaschema) references are not loaded',
    'ref > Recursive references between schemas': '$id base URIs are not tracked',
    'ref > refs with relative uris and defs': '$id base URIs are not tracked',
    'ref > relative refs with absolute uris and defs': '$id base URIs are not tracked',
    'ref > $id must be resolved against nearest parent, not just immediate parent': '$id base URIs are not tracked',
    'ref > order of evaluation: $id and $ref': '$id base URIs are not tracked',
    'ref > order of evaluation: $id and $anchor and $ref': '$id base URIs are not tracked',
    'ref > order of evaluation: $id and $ref on nested schema': '$id base URIs are not tracked',
    'ref > simple URN base URI with $ref via the URN': '$id base URIs are not tracked',
    'ref > URN base URI with URN and JSON pointer ref': '$id base URIs are not tracked',
    'ref > URN base URI with URN and anchor ref': '$id base URIs are not tracked',
    'ref > URN ref with nested pointer ref': '$id base URIs are not tracked',
    'ref > ref to if': '$id base URIs are not tracked',
    'ref > ref to then': '$id base URIs are not tracked',
    'ref > ref to else': '$id base URIs are not tracked',
    'ref > ref with absolute-path-reference': '$id base URIs are not tracked',
  };
  const seen = new Set<string>();

  it.each(FILES)('%s.json', (name) => {
    const groups = JSON.parse(readFileSync(join(SUITE, `${name}.json`), 'utf8')) as {
      description: string;
      schema: unknown;
      tests: { description: string; data: unknown; valid: boolean }[];
    }[];
    const disagreements: string[] = [];
    for (const group of groups) {
      const key = `${name} > ${group.description}`;
      const uri = 'file:///suite/schema.json';
      const set = new DocumentSet({ uri, shown: 'schema.json', value: group.schema, dialect: 'openapi-3.1' });
      const checker = new SchemaChecker(set, { strictProperties: false });
      let disagreed = false;
      for (const test of group.tests) {
        const { issues } = checker.check({ uri, pointer: '' }, test.data);
        if ((issues.length === 0) !== test.valid) disagreed = true;
      }
      if (disagreed) seen.add(key);
      if (disagreed && KNOWN[key] === undefined) disagreements.push(key);
    }
    expect(disagreements).toEqual([]);
  });

  it('lists only disagreements that still happen', () => {
    expect(Object.keys(KNOWN).filter((key) => !seen.has(key))).toEqual([]);
  });

  it('covers every suite file it names', () => {
    const present = new Set(readdirSync(SUITE).map((file) => file.replace(/\.json$/, '')));
    expect(FILES.filter((name) => !present.has(name))).toEqual([]);
  });
});

describe('SchemaChecker: Tripletex (OpenAPI 3.0)', async () => {
  const spec = await loadSpec(join(FIXTURES, 'specs', 'tripletex', 'tripletex-openapi-3.0.json'));
  const uri = spec.documents.root.uri;
  const at = (name: string): NodeRef => ({ uri, pointer: `/components/schemas/${name}` });
  const checker = new SchemaChecker(spec.documents);
  const employee = (id: number): Record<string, unknown> => ({
    id,
    version: 3,
    url: `tripletex.no/v2/employee/${id}`,
    firstName: 'Ola',
    lastName: 'Nordmann',
    displayName: 'Ola Nordmann',
    email: 'ola@example.no',
    phoneNumberMobileCountry: { id: 161, url: 'tripletex.no/v2/country/161' },
    userType: 'STANDARD',
    address: { id: 9, addressLine1: 'Storgata 1', postalCode: '0150', city: 'Oslo', country: { id: 161 } },
    department: { id: 5, name: 'Salg', departmentManager: { id: 2, url: 'tripletex.no/v2/employee/2' } },
    employments: [{ id: 1, employmentId: 'E1', startDate: '2020-01-01', isMainEmployer: true }],
    changes: [{ employeeId: 1, timestamp: '2024-01-05 10:00:00', changeType: 'CREATE' }],
    isContact: false,
  });

  it.each([
    ['ResponseWrapperEmployee', { value: employee(1) }],
    ['ListResponseEmployee', { fullResultSize: 2, from: 0, count: 2, versionDigest: 'abc', values: [employee(1), employee(2)] }],
    ['ResponseWrapperDepartment', { value: { id: 5, name: 'Salg', departmentManager: employee(2) } }],
  ])('a conforming %s has no issues', (name, body) => {
    expect(checker.check(at(name), body)).toEqual({ issues: [] });
  });

  it('finds planted deviations, each at the vendor-document schema to correct', () => {
    const planted = employee(3);
    planted.id = '3'; // number sent as string
    planted.firstName = null; // not nullable in the document
    planted.userType = 'SUPERUSER'; // not in the enum
    planted.vendorOnly = true; // undocumented
    (planted.department as Record<string, unknown>).departmentManager = { id: 2.5 };
    const body = { fullResultSize: 1, values: [employee(1), planted] };
    expect(checker.check(at('ListResponseEmployee'), body).issues.map(brief)).toEqual([
      `type-mismatch /values/1/id ← ${S}/Employee/properties/id type`,
      `unexpected-null /values/1/firstName ← ${S}/Employee/properties/firstName type`,
      `enum-mismatch /values/1/userType ← ${S}/Employee/properties/userType enum`,
      `type-mismatch /values/1/department/departmentManager/id ← ${S}/Employee/properties/id type`,
      `undocumented-property /values/1/vendorOnly ← ${S}/Employee properties`,
    ]);
  });

  it('agrees with the Ajv engine on what is valid', () => {
    const validate = spec.validator(at('ListResponseEmployee'));
    const loose = new SchemaChecker(spec.documents, { strictProperties: false });
    const bodies = [
      { values: [employee(1)] },
      { values: [{ ...employee(1), id: 'x' }] },
      { values: [{ ...employee(1), changes: [{ changeType: 'NOPE' }] }] },
      { values: [{ ...employee(1), department: null }] },
      { count: 1.5 },
    ];
    expect(bodies.map((body) => loose.check(at('ListResponseEmployee'), body).issues.length === 0)).toEqual(bodies.map((body) => validate(body)));
  });
});

describe('SchemaChecker: 24SevenOffice (OpenAPI 3.0, oneOf error bodies)', async () => {
  const spec = await loadSpec(join(FIXTURES, 'specs', '24sevenoffice', 'rest.yaml'));
  const operation = spec.operations.find((op) => op.method === 'post' && op.path === '/salesorders')!;
  const schema = operation.responses.find((response) => response.status === '400')!.content[0]!.schema!;
  const checker = new SchemaChecker(spec.documents);
  const validation = (path: unknown) => ({ error: { name: 'ValidationError', payload: { validationErrors: [{ path, keyword: 'required' }] } }, trackingId: 'def456' });

  it('a ValidationError body takes the ValidationError branch', () => {
    expect(checker.check(schema, validation('customer.name'))).toEqual({ issues: [] });
  });

  it('a deviation inside it is explained by that branch, not by the first one', () => {
    expect(checker.check(schema, validation(7)).issues.map(brief)).toEqual([
      `type-mismatch /error/payload/validationErrors/0/path ← ${S}/ValidationError/properties/error/properties/payload/properties/validationErrors/items/properties/path type [oneOf[1] #/components/schemas/ValidationError]`,
    ]);
  });
});

describe('SchemaChecker: Tripletex (Swagger 2.0)', async () => {
  const spec = await loadSpec(join(FIXTURES, 'specs', 'tripletex', 'tripletex-swagger-2.0.json'));
  const at: NodeRef = { uri: spec.documents.root.uri, pointer: '/components/schemas/ResponseWrapperEmployee' };

  it('reads the converted document in the swagger-2.0 dialect', () => {
    expect(spec.documents.dialectOf(at.uri)).toBe('swagger-2.0');
    const checker = new SchemaChecker(spec.documents);
    const department = { id: 5, name: 'Salg' };
    expect(checker.check(at, { value: { id: 1, firstName: 'Ola', lastName: 'Nordmann', department } })).toEqual({ issues: [] });
    // The 2.0 document (unlike the 3.0 copy) requires firstName and lastName.
    expect(checker.check(at, { value: { id: 1, firstName: 'Ola', department: { ...department, id: '5' } } }).issues.map(brief)).toEqual([
      `missing-required /value/lastName ← ${S}/Employee required`,
      `type-mismatch /value/department/id ← ${S}/Department/properties/id type`,
    ]);
  });
});

describe('SchemaChecker: a YAML document with a discriminator and a second file', async () => {
  const spec = await loadSpec(join(FIXTURES, 'drift', 'check', 'pets.openapi.yaml'));
  const schema = spec.operations[0]!.responses[0]!.content[0]!.schema!;
  const checker = new SchemaChecker(spec.documents);
  const table: [string, { given: unknown; want: string[] }][] = [
    ['a cat', { given: { id: 1, petType: 'cat', indoor: true, owner: null }, want: [] }],
    ['a dog with an owner who has pets', { given: { id: 2, petType: 'dog', barks: true, owner: { name: 'Ola', pets: [{ id: 1, petType: 'cat' }] } }, want: [] }],
    [
      'a dog without barks, a local date-time, and a cat owned by someone without a name',
      {
        given: { id: 3, petType: 'dog', born: '2024-01-05T10:00:00', owner: { phone: '22 33 44 55', pets: [{ id: 1, petType: 'cat', meows: true }] } },
        want: [
          'missing-required /owner/name ← /Owner required [oneOf[1] #/components/schemas/Dog]',
          'constraint-violation /owner/phone ← /Owner/properties/phone pattern [oneOf[1] #/components/schemas/Dog]',
          'undocumented-property /owner/pets/0/meows ← /components/schemas/Base properties [oneOf[1] #/components/schemas/Dog > oneOf[0] #/components/schemas/Cat]',
          'missing-required /barks ← /components/schemas/Dog/allOf/1 required [oneOf[1] #/components/schemas/Dog]',
          'format-mismatch /born ← /components/schemas/Dog/allOf/1/properties/born format [oneOf[1] #/components/schemas/Dog]',
        ],
      },
    ],
  ];
  it.each(table)('%s', (_name, { given, want }) => {
    expect(checker.check(schema, given).issues.map(brief)).toEqual(want);
  });

  it('points into the file where the schema lives', () => {
    const [issue] = checker.check(schema, { id: 1, petType: 'cat', owner: {} }).issues;
    expect(spec.documents.describe(issue!.schema)).toMatch(/common\.yaml#\/Owner$/);
  });
});

describe('SchemaChecker: URL references and hostile schemas', () => {
  it('follows a $ref to a URL document', () => {
    const set = documents({ T: { $ref: 'https://schemas.example.com/money.json#/Amount' } });
    set.add({ uri: 'https://schemas.example.com/money.json', shown: 'https://schemas.example.com/money.json', dialect: 'openapi-3.0', value: { Amount: { type: 'number' } } });
    const [issue] = new SchemaChecker(set).check(schemaAt('T'), '12.50').issues;
    expect(issue).toMatchObject({ kind: 'type-mismatch', observedType: 'string', schema: { uri: 'https://schemas.example.com/money.json', pointer: '/Amount' } });
  });

  it('a schema nested 100,000 levels deep (allOf in allOf) stops with a note, not a stack overflow', () => {
    let schema: unknown = { type: 'string' };
    for (let i = 0; i < 100_000; i++) schema = { allOf: [schema] };
    const result = new SchemaChecker(documents({ T: schema })).check(schemaAt('T'), 5);
    expect(result.issues).toEqual([]);
    expect(result.truncated).toMatch(/^schema nests deeper than 256 levels at api\.json#\/components\/schemas\/T(\/allOf\/0){256}; not checked further$/);
  });

  it('nested oneOfs on a recursive schema (branches^depth work) stop with a note', () => {
    const node = { type: 'object', properties: { next: { $ref: '#/components/schemas/T' } } };
    const schemas = { T: { oneOf: [node, node, { ...node, required: ['next'] }] } };
    let value: unknown = {};
    for (let i = 0; i < 40; i++) value = { next: value };
    const started = performance.now();
    const result = new SchemaChecker(documents(schemas)).check(schemaAt('T'), value);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result.truncated).toBe('stopped after trying 200000 schemas in the branches of one oneOf/anyOf/not/if');
  });
});
