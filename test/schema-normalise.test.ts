import { describe, expect, it } from 'vitest';
import { SpecLoadError } from '../src/errors.js';
import { MAX_SCHEMA_DEPTH, normaliseSchema, type NormaliseIssue } from '../src/spec/schema/index.js';
import type { SchemaDialect } from '../src/spec/types.js';

const mapRef = (ref: string): string => `mapped:${ref}`;

interface Case {
  given: unknown;
  dialect: SchemaDialect;
  want: unknown;
}

const cases: [string, Case][] = [
  // nullable (OpenAPI 3.0) and x-nullable (Swagger 2.0)
  ['3.0 nullable widens type', { given: { type: 'string', nullable: true }, dialect: 'openapi-3.0', want: { type: ['string', 'null'] } }],
  [
    '3.0 nullable widens type and enum',
    { given: { type: 'string', enum: ['a', 'b'], nullable: true }, dialect: 'openapi-3.0', want: { type: ['string', 'null'], enum: ['a', 'b', null] } },
  ],
  ['3.0 nullable enum without type', { given: { enum: [1, 2], nullable: true }, dialect: 'openapi-3.0', want: { enum: [1, 2, null] } }],
  ['3.0 nullable with nothing that rejects null', { given: { nullable: true, description: 'd' }, dialect: 'openapi-3.0', want: { description: 'd' } }],
  [
    '3.0 nullable beside $ref wraps (the only sibling honoured)',
    { given: { $ref: '#/components/schemas/A', nullable: true, description: 'ignored' }, dialect: 'openapi-3.0', want: { anyOf: [{ $ref: 'mapped:#/components/schemas/A' }, { type: 'null' }] } },
  ],
  [
    '3.0 nullable allOf wraps',
    { given: { allOf: [{ $ref: '#/A' }], nullable: true }, dialect: 'openapi-3.0', want: { anyOf: [{ allOf: [{ $ref: 'mapped:#/A' }] }, { type: 'null' }] } },
  ],
  [
    '3.0 nullable oneOf with type wraps',
    {
      given: { type: 'object', oneOf: [{ $ref: '#/A' }, { $ref: '#/B' }], nullable: true },
      dialect: 'openapi-3.0',
      want: { anyOf: [{ type: 'object', oneOf: [{ $ref: 'mapped:#/A' }, { $ref: 'mapped:#/B' }] }, { type: 'null' }] },
    },
  ],
  ['3.0 nullable: false', { given: { type: 'integer', nullable: false }, dialect: 'openapi-3.0', want: { type: 'integer' } }],
  ['3.0 x-nullable (left by converters)', { given: { type: 'integer', 'x-nullable': true }, dialect: 'openapi-3.0', want: { type: ['integer', 'null'] } }],
  ['2.0 x-nullable widens type', { given: { type: 'string', 'x-nullable': true }, dialect: 'swagger-2.0', want: { type: ['string', 'null'] } }],
  ['2.0 x-nullable beside $ref wraps', { given: { $ref: '#/definitions/A', 'x-nullable': true }, dialect: 'swagger-2.0', want: { anyOf: [{ $ref: 'mapped:#/definitions/A' }, { type: 'null' }] } }],
  ['2.0 has no nullable keyword', { given: { type: 'string', nullable: true }, dialect: 'swagger-2.0', want: { type: 'string' } }],
  ['3.1 has no nullable keyword', { given: { type: 'string', nullable: true }, dialect: 'openapi-3.1', want: { type: 'string' } }],
  ['3.1 type array kept', { given: { type: ['string', 'null'] }, dialect: 'openapi-3.1', want: { type: ['string', 'null'] } }],
  ['3.0 type already with null', { given: { type: ['string', 'null'], nullable: true }, dialect: 'openapi-3.0', want: { type: ['string', 'null'] } }],

  // draft 4 bounds
  ['boolean exclusiveMinimum', { given: { type: 'number', minimum: 0, exclusiveMinimum: true }, dialect: 'openapi-3.0', want: { type: 'number', exclusiveMinimum: 0 } }],
  ['boolean exclusiveMaximum', { given: { maximum: 10, exclusiveMaximum: true }, dialect: 'swagger-2.0', want: { exclusiveMaximum: 10 } }],
  ['exclusiveMinimum: false keeps minimum', { given: { minimum: 1, exclusiveMinimum: false }, dialect: 'openapi-3.0', want: { minimum: 1 } }],
  ['exclusiveMaximum: true without maximum', { given: { exclusiveMaximum: true }, dialect: 'openapi-3.0', want: {} }],
  ['3.1 numeric exclusiveMinimum', { given: { minimum: 1, exclusiveMinimum: 0 }, dialect: 'openapi-3.1', want: { minimum: 1, exclusiveMinimum: 0 } }],

  // annotations and extensions
  ['example dropped', { given: { type: 'string', example: 'x' }, dialect: 'openapi-3.0', want: { type: 'string' } }],
  ['3.1 examples kept', { given: { type: 'string', examples: ['x'] }, dialect: 'openapi-3.1', want: { type: 'string', examples: ['x'] } }],
  ['x-* dropped', { given: { type: 'string', 'x-go-name': 'X', 'x-nullable': false }, dialect: 'openapi-3.0', want: { type: 'string' } }],
  [
    'discriminator, xml, externalDocs dropped; deprecated kept',
    {
      given: { type: 'object', discriminator: { propertyName: 'kind' }, xml: { name: 'a' }, externalDocs: { url: 'u' }, deprecated: true },
      dialect: 'openapi-3.0',
      want: { type: 'object', deprecated: true },
    },
  ],
  ['2.0 discriminator (a string) dropped', { given: { type: 'object', discriminator: 'kind' }, dialect: 'swagger-2.0', want: { type: 'object' } }],
  ['readOnly and writeOnly kept', { given: { readOnly: true, writeOnly: false }, dialect: 'openapi-3.0', want: { readOnly: true, writeOnly: false } }],
  ['title, description, default kept', { given: { title: 't', description: 'd', default: 3 }, dialect: 'openapi-3.0', want: { title: 't', description: 'd', default: 3 } }],
  ['format kept', { given: { type: 'string', format: 'date-time' }, dialect: 'openapi-3.0', want: { type: 'string', format: 'date-time' } }],
  ['2.0 type file accepts anything', { given: { type: 'file', description: 'upload' }, dialect: 'swagger-2.0', want: { description: 'upload' } }],

  // $ref
  ['3.0 $ref siblings ignored', { given: { $ref: '#/A', description: 'd', type: 'string' }, dialect: 'openapi-3.0', want: { $ref: 'mapped:#/A' } }],
  ['2.0 $ref siblings ignored', { given: { $ref: '#/definitions/A', readOnly: true }, dialect: 'swagger-2.0', want: { $ref: 'mapped:#/definitions/A' } }],
  ['3.1 $ref siblings kept', { given: { $ref: '#/A', description: 'd', maxLength: 3 }, dialect: 'openapi-3.1', want: { $ref: 'mapped:#/A', description: 'd', maxLength: 3 } }],
  [
    '3.1 $id, $schema, $anchor, $dynamicRef dropped',
    { given: { $id: 'https://x/a', $schema: 'https://json-schema.org/draft/2020-12/schema', $anchor: 'a', $dynamicRef: '#a', type: 'object' }, dialect: 'openapi-3.1', want: { type: 'object' } },
  ],
  ['3.1 unknown keyword dropped', { given: { type: 'string', maxlength: 3, 'x-y': 1 }, dialect: 'openapi-3.1', want: { type: 'string' } }],
  ['3.1 const kept', { given: { const: 'a' }, dialect: 'openapi-3.1', want: { const: 'a' } }],

  // every nested schema position
  [
    'properties, additionalProperties, patternProperties, propertyNames',
    {
      given: {
        properties: { a: { type: 'string', nullable: true } },
        additionalProperties: { 'x-a': 1, type: 'integer' },
        patternProperties: { '^x': { example: 1 } },
        propertyNames: { maxLength: 3, 'x-b': 1 },
      },
      dialect: 'openapi-3.0',
      want: {
        properties: { a: { type: ['string', 'null'] } },
        additionalProperties: { type: 'integer' },
        patternProperties: { '^x': {} },
        propertyNames: { maxLength: 3 },
      },
    },
  ],
  ['additionalProperties false', { given: { additionalProperties: false }, dialect: 'openapi-3.0', want: { additionalProperties: false } }],
  ['items', { given: { type: 'array', items: { $ref: '#/A', nullable: true } }, dialect: 'openapi-3.0', want: { type: 'array', items: { anyOf: [{ $ref: 'mapped:#/A' }, { type: 'null' }] } } }],
  [
    '2.0 tuple items become prefixItems',
    {
      given: { items: [{ type: 'string' }, { type: 'integer', 'x-nullable': true }], additionalItems: false },
      dialect: 'swagger-2.0',
      want: { prefixItems: [{ type: 'string' }, { type: ['integer', 'null'] }], items: false },
    },
  ],
  ['3.1 prefixItems and items', { given: { prefixItems: [{ type: 'string' }], items: { type: 'integer' } }, dialect: 'openapi-3.1', want: { prefixItems: [{ type: 'string' }], items: { type: 'integer' } } }],
  [
    'allOf, anyOf, oneOf, not',
    {
      given: { allOf: [{ example: 1 }], anyOf: [{ 'x-a': 1 }], oneOf: [{ type: 'string', nullable: true }], not: { type: 'string', xml: {} } },
      dialect: 'openapi-3.0',
      want: { allOf: [{}], anyOf: [{}], oneOf: [{ type: ['string', 'null'] }], not: { type: 'string' } },
    },
  ],
  [
    'if, then, else, contains, dependentSchemas, unevaluated*',
    {
      given: {
        if: { $ref: '#/A', description: 'x' },
        then: { example: 1 },
        else: { 'x-a': 1 },
        contains: { const: 1, $comment: 'c' },
        dependentSchemas: { a: { required: ['b'], 'x-y': 1 } },
        unevaluatedProperties: { type: 'string', example: 'x' },
        unevaluatedItems: false,
      },
      dialect: 'openapi-3.1',
      want: {
        if: { $ref: 'mapped:#/A', description: 'x' },
        then: {},
        else: {},
        contains: { const: 1, $comment: 'c' },
        dependentSchemas: { a: { required: ['b'] } },
        unevaluatedProperties: { type: 'string' },
        unevaluatedItems: false,
      },
    },
  ],
  [
    '$defs and definitions (→ $defs)',
    { given: { $defs: { a: { example: 1 } }, definitions: { b: { type: 'string', nullable: true } } }, dialect: 'openapi-3.0', want: { $defs: { a: {}, b: { type: ['string', 'null'] } } } },
  ],
  [
    'draft 4 dependencies',
    { given: { dependencies: { a: ['b'], c: { required: ['d'], example: 1 } } }, dialect: 'openapi-3.0', want: { dependentRequired: { a: ['b'] }, dependentSchemas: { c: { required: ['d'] } } } },
  ],

  // malformed values are dropped, not passed on to fail the compile
  [
    'malformed keyword values',
    {
      given: { type: 'string', minLength: -1, maxLength: '5', pattern: '[', required: true, enum: [], multipleOf: 0, uniqueItems: 'yes' },
      dialect: 'openapi-3.0',
      want: { type: 'string' },
    },
  ],
  ['unknown type name', { given: { type: 'date', format: 'date' }, dialect: 'openapi-3.0', want: { format: 'date' } }],
  ['non-schema', { given: 'string', dialect: 'openapi-3.0', want: {} }],
  ['boolean schema', { given: true, dialect: 'openapi-3.1', want: true }],
  ['pattern needing the u flag', { given: { pattern: '^\\p{L}+$' }, dialect: 'openapi-3.0', want: { pattern: '^\\p{L}+$' } }],
];

describe('normaliseSchema', () => {
  it.each(cases)('%s', (_name, { given, dialect, want }) => {
    expect(normaliseSchema(given, dialect, mapRef)).toEqual(want);
  });

  it('never mutates its input', () => {
    const given = JSON.parse(
      '{"type":"object","nullable":true,"properties":{"a":{"type":"string","nullable":true,"enum":["x"]},"__proto__":{"type":"integer"}},' +
        '"items":[{"minimum":1,"exclusiveMinimum":true}],"additionalItems":false,"dependencies":{"a":["b"]}}',
    );
    const before = JSON.stringify(given);
    deepFreeze(given);
    normaliseSchema(given, 'openapi-3.0', mapRef);
    expect(JSON.stringify(given)).toBe(before);
  });

  it('keeps a property named __proto__ as data, not as a prototype', () => {
    const given = JSON.parse('{"type":"object","required":["__proto__"],"properties":{"__proto__":{"type":"string"},"b":{"type":"integer"}}}');
    const out = normaliseSchema(given, 'openapi-3.0', mapRef) as Record<string, any>;
    expect(Object.getPrototypeOf(out.properties)).toBe(Object.prototype);
    expect(Object.keys(out.properties)).toEqual(['b']);
    // Ajv skips `__proto__` in `properties`, so it moves where Ajv reads it.
    expect(out.patternProperties).toEqual({ '^__proto__$': { type: 'string' } });
    expect(out.required).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).type).toBeUndefined();
  });

  it('keeps __proto__ as an own key in other maps', () => {
    const given = JSON.parse('{"$defs":{"__proto__":{"type":"string","example":1}},"dependencies":{"__proto__":["a"]}}');
    const out = normaliseSchema(given, 'openapi-3.1', mapRef) as Record<string, any>;
    expect(Object.getPrototypeOf(out.$defs)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out.$defs, '__proto__')?.value).toEqual({ type: 'string' });
    expect(Object.getOwnPropertyDescriptor(out.dependentRequired, '__proto__')?.value).toEqual(['a']);
  });

  it('tells mapRef where each $ref was written', () => {
    const seen: [string, string][] = [];
    normaliseSchema(
      { properties: { 'a/b': { $ref: '#/A' }, c: { items: { $ref: 'other.json#/B' } } } },
      'openapi-3.0',
      (ref, pointer) => {
        seen.push([ref, pointer]);
        return ref;
      },
      { pointer: '/components/schemas/X' },
    );
    expect(seen).toEqual([
      ['#/A', '/components/schemas/X/properties/a~1b'],
      ['other.json#/B', '/components/schemas/X/properties/c/items'],
    ]);
  });

  it('reports what it dropped, and every format', () => {
    const issues: NormaliseIssue[] = [];
    const formats: [string, string][] = [];
    normaliseSchema(
      { properties: { a: { pattern: '(', format: 'int32' }, b: { type: 'strnig', format: 'x-vendor' } } },
      'openapi-3.0',
      mapRef,
      { pointer: '/S', onIssue: (issue) => issues.push(issue), onFormat: (format, pointer) => formats.push([format, pointer]) },
    );
    expect(issues).toEqual([
      { pointer: '/S/properties/a', keyword: 'pattern', message: 'not a valid regular expression; dropped' },
      { pointer: '/S/properties/b', keyword: 'type', message: 'unknown type "strnig"; ignored' },
    ]);
    expect(formats).toEqual([
      ['int32', '/S/properties/a'],
      ['x-vendor', '/S/properties/b'],
    ]);
  });

  it('refuses hostile nesting with a clear error instead of overflowing the stack', () => {
    const deep = (levels: number): unknown => {
      let schema: unknown = { type: 'string' };
      for (let i = 0; i < levels; i++) schema = { items: schema };
      return schema;
    };
    expect(() => normaliseSchema(deep(MAX_SCHEMA_DEPTH), 'openapi-3.0', mapRef)).not.toThrow();
    let error: unknown;
    try {
      normaliseSchema(deep(100_000), 'openapi-3.0', mapRef, { source: 'api.json', pointer: '/components/schemas/Deep' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SpecLoadError);
    expect((error as SpecLoadError).code).toBe('RECON_SPEC_INVALID');
    expect((error as SpecLoadError).message).toMatch(/^api\.json #\/components\/schemas\/Deep(\/items){257}: schema nests deeper than 256 levels$/);
  });
});

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
}
