import { describe, expect, it } from 'vitest';
import { SpecLoadError } from '../src/errors.js';
import { DocumentSet } from '../src/spec/documents.js';
import { createAjv, SchemaCompiler } from '../src/spec/schema/index.js';
import type { NodeRef, SchemaDialect } from '../src/spec/types.js';

const API = 'file:///t/api.json';
const COMMON = 'file:///t/common.json';

function schemaAt(name: string, uri = API): NodeRef {
  return { uri, pointer: `/components/schemas/${name}` };
}

function documents(schemas: Record<string, unknown>, dialect: SchemaDialect = 'openapi-3.0'): DocumentSet {
  return new DocumentSet({ uri: API, shown: 'api.json', value: { openapi: '3.0.3', components: { schemas } }, dialect });
}

/** Employee → Department → Employee, a nullable `$ref`, formats, a cross-file `$ref` and back. */
function hrDocuments(): DocumentSet {
  const set = documents({
    Employee: {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'integer', format: 'int32' },
        department: { $ref: '#/components/schemas/Department' },
        manager: { $ref: '#/components/schemas/Employee', nullable: true },
        email: { type: 'string', format: 'email' },
        started: { type: 'string', format: 'date-time' },
        uuid: { type: 'string', format: 'uuid' },
        payrollCode: { type: 'string', format: 'tripletex-payroll-code' },
        address: { $ref: 'common.json#/Address' },
      },
    },
    Department: {
      type: 'object',
      properties: {
        id: { type: 'integer', format: 'int64' },
        employees: { type: 'array', items: { $ref: '#/components/schemas/Employee' } },
      },
    },
    Country: { type: 'string', enum: ['NO', 'SE'] },
  });
  set.add({
    uri: COMMON,
    shown: 'common.json',
    dialect: 'openapi-3.0',
    value: { Address: { type: 'object', properties: { city: { type: 'string' }, country: { $ref: 'api.json#/components/schemas/Country' } } } },
  });
  return set;
}

describe('SchemaCompiler', () => {
  it('gives a bare {$ref} the validator of its target instead of compiling a wrapper', () => {
    const set = documents({
      Customer: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
      Alias: { $ref: '#/components/schemas/Customer' },
      NullableAlias: { $ref: '#/components/schemas/Customer', nullable: true },
      LoopA: { $ref: '#/components/schemas/LoopB' },
      LoopB: { $ref: '#/components/schemas/LoopA' },
    });
    const compiler = new SchemaCompiler(set);
    const direct = compiler.validator(schemaAt('Customer'));
    expect(compiler.validator(schemaAt('Alias'))).toBe(direct);
    expect(compiler.stats.schemasAdded).toBe(1);
    // A sibling that changes the meaning (3.0 nullable beside $ref) still gets its own schema.
    const nullable = compiler.validator(schemaAt('NullableAlias'));
    expect(nullable).not.toBe(direct);
    expect(nullable(null)).toBe(true);
    expect(direct(null)).toBe(false);
    // A cycle of bare refs stops where it closes and is compiled (as "anything") and reported.
    expect(compiler.validator(schemaAt('LoopA'))({ whatever: 1 })).toBe(true);
    expect(compiler.unresolved.map((u) => u.reason)).toContain('a cycle of references with no schema in it');
  });

  it('compiles and validates reference cycles', () => {
    const compiler = new SchemaCompiler(hrDocuments());
    const validate = compiler.validator(schemaAt('Employee'));
    const boss = { id: 1, department: { id: 2, employees: [{ id: 3, department: { id: 2, employees: [] } }] } };
    expect(validate(boss)).toBe(true);
    expect(validate({ id: 1, department: { id: 2, employees: [{ id: 'three' }] } })).toBe(false);
    expect(validate.errors?.map((e) => [e.instancePath, e.keyword])).toEqual([['/department/employees/0/id', 'type']]);
    expect(compiler.unresolved).toEqual([]);
  });

  it('follows a $ref into another document and back', () => {
    const validate = new SchemaCompiler(hrDocuments()).validator(schemaAt('Employee'));
    expect(validate({ id: 1, address: { city: 'Oslo', country: 'NO' } })).toBe(true);
    expect(validate({ id: 1, address: { city: 'Oslo', country: 'DK' } })).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/address/country');
  });

  it('honours nullable beside a $ref', () => {
    const validate = new SchemaCompiler(hrDocuments()).validator(schemaAt('Employee'));
    expect(validate({ id: 1, manager: null })).toBe(true);
    expect(validate({ id: 1, manager: { id: 2, manager: null } })).toBe(true);
    expect(validate({ id: 1, department: null })).toBe(false);
  });

  it.each([
    ['int32 at its maximum', { id: 2 ** 31 - 1 }, true],
    ['int32 overflow', { id: 2 ** 31 }, false],
    ['int32 underflow', { id: -(2 ** 31) - 1 }, false],
    ['int64 beyond 2^53', { id: 1, department: { id: 2 ** 60 } }, true],
    ['int64 overflow', { id: 1, department: { id: 1e19 } }, false],
    ['date-time', { id: 1, started: '2024-02-29T12:00:00+01:00' }, true],
    ['date-time without time', { id: 1, started: '2024-02-29' }, false],
    ['email', { id: 1, email: 'a@b.no' }, true],
    ['not an email', { id: 1, email: 'ab.no' }, false],
    ['uuid', { id: 1, uuid: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' }, true],
    ['not a uuid', { id: 1, uuid: '3f2504e0' }, false],
    ['unknown vendor format accepts anything', { id: 1, payrollCode: '!!' }, true],
  ])('formats: %s', (_name, value, valid) => {
    const validate = new SchemaCompiler(hrDocuments()).validator(schemaAt('Employee'));
    expect(validate(value)).toBe(valid);
  });

  it('lists unknown formats instead of failing', () => {
    const compiler = new SchemaCompiler(hrDocuments());
    compiler.validator(schemaAt('Employee'));
    expect([...compiler.unknownFormats]).toEqual(['tripletex-payroll-code']);
  });

  it('with strictFormats, refuses an unknown format and recovers for the next schema', () => {
    const compiler = new SchemaCompiler(hrDocuments(), { strictFormats: true });
    expect(() => compiler.validator(schemaAt('Employee'))).toThrow(SpecLoadError);
    expect(() => compiler.validator(schemaAt('Employee'))).toThrow(/unknown format "tripletex-payroll-code"/);
    expect(compiler.validator(schemaAt('Country'))('NO')).toBe(true);
  });

  it('validates a oneOf that carries a discriminator', () => {
    const set = documents({
      Pet: {
        oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
        discriminator: { propertyName: 'petType', mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' } },
      },
      Cat: { type: 'object', required: ['petType', 'meows'], properties: { petType: { type: 'string', enum: ['cat'] }, meows: { type: 'boolean' } } },
      Dog: { type: 'object', required: ['petType', 'barks'], properties: { petType: { type: 'string', enum: ['dog'] }, barks: { type: 'boolean' } } },
    });
    const validate = new SchemaCompiler(set).validator(schemaAt('Pet'));
    expect(validate({ petType: 'cat', meows: true })).toBe(true);
    expect(validate({ petType: 'dog', barks: false })).toBe(true);
    expect(validate({ petType: 'cow' })).toBe(false);
  });

  it('tolerates a $ref that points nowhere, and records it', () => {
    const set = documents({
      Broken: {
        type: 'object',
        properties: {
          a: { $ref: '#/components/schemas/Missing' },
          b: { $ref: 'nowhere.json#/X' },
          c: { $ref: '#anchor' },
          d: { type: 'integer' },
        },
      },
    });
    const compiler = new SchemaCompiler(set);
    const validate = compiler.validator(schemaAt('Broken'));
    expect(validate({ a: { anything: 1 }, b: 'x', c: null, d: 1 })).toBe(true);
    expect(validate({ d: 'x' })).toBe(false);
    expect(compiler.unresolved).toEqual([
      { ref: '#/components/schemas/Missing', from: { uri: API, pointer: '/components/schemas/Broken/properties/a' }, reason: 'nothing at api.json#/components/schemas/Missing' },
      { ref: 'nowhere.json#/X', from: { uri: API, pointer: '/components/schemas/Broken/properties/b' }, reason: 'nothing at file:///t/nowhere.json#/X' },
      { ref: '#anchor', from: { uri: API, pointer: '/components/schemas/Broken/properties/c' }, reason: 'anchor references are not supported' },
    ]);
  });

  it('turns a cycle of bare references into "anything" rather than endless recursion', () => {
    const set = documents({
      LoopA: { $ref: '#/components/schemas/LoopB' },
      LoopB: { $ref: '#/components/schemas/LoopA' },
    });
    const compiler = new SchemaCompiler(set);
    expect(compiler.validator(schemaAt('LoopA'))({ x: 1 })).toBe(true);
    expect(compiler.unresolved.map((u) => u.from.pointer)).toEqual(['/components/schemas/LoopA']);
  });

  it('returns the same function for the same node, and counts its work', () => {
    const compiler = new SchemaCompiler(hrDocuments());
    const first = compiler.validator(schemaAt('Employee'));
    expect(compiler.stats).toEqual({ schemasAdded: 4, compiled: 1 });
    expect(compiler.validator({ ...schemaAt('Employee') })).toBe(first);
    expect(compiler.stats).toEqual({ schemasAdded: 4, compiled: 1 });
    // Department was registered as part of Employee's closure: nothing is added again.
    compiler.validator(schemaAt('Department'));
    expect(compiler.stats).toEqual({ schemasAdded: 4, compiled: 2 });
  });

  it('registers only the closure of the schema asked for', () => {
    const schemas: Record<string, unknown> = {};
    for (let i = 0; i < 1000; i++) {
      schemas[`S${i}`] = { type: 'object', properties: { next: { $ref: `#/components/schemas/S${(i + 1) % 1000}` } } };
    }
    schemas.S500 = { type: 'object', properties: { a: { $ref: '#/components/schemas/S501' }, b: { $ref: '#/components/schemas/Leaf' } } };
    schemas.S501 = { type: 'string' };
    schemas.Leaf = { type: 'integer' };
    const compiler = new SchemaCompiler(documents(schemas));
    expect(compiler.validator(schemaAt('S500'))({ a: 'x', b: 1 })).toBe(true);
    expect(compiler.stats).toEqual({ schemasAdded: 3, compiled: 1 });
  });

  it('compiles reference chains and cycles far longer than Ajv could recurse through', () => {
    const schemas: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++) {
      schemas[`S${i}`] = { type: 'object', properties: { next: { $ref: `#/components/schemas/S${(i + 1) % 2000}` }, n: { type: 'integer' } } };
    }
    const compiler = new SchemaCompiler(documents(schemas));
    const validate = compiler.validator(schemaAt('S0'));
    expect(compiler.stats.schemasAdded).toBe(2000);
    expect(validate({ n: 0, next: { n: 1, next: { n: 2 } } })).toBe(true);
    expect(validate({ next: { next: { n: 'two' } } })).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/next/next/n');
    expect(compiler.validator(schemaAt('S1999'))({ next: { n: 1 } })).toBe(true);
  });

  it('compiles a schema at any position, such as a response', () => {
    const set = new DocumentSet({
      uri: API,
      shown: 'api.json',
      dialect: 'openapi-3.0',
      value: {
        paths: { '/employee/{id}': { get: { responses: { '200': { content: { 'application/json': { schema: { type: 'object', properties: { value: { $ref: '#/components/schemas/E' } } } } } } } } } },
        components: { schemas: { E: { type: 'object', required: ['id'] } } },
      },
    });
    const validate = new SchemaCompiler(set).validator({ uri: API, pointer: '/paths/~1employee~1{id}/get/responses/200/content/application~1json/schema' });
    expect(validate({ value: { id: 1 } })).toBe(true);
    expect(validate({ value: {} })).toBe(false);
  });

  it('reads Swagger 2.0 schemas in their own dialect', () => {
    const set = new DocumentSet({
      uri: API,
      shown: 'api.json',
      dialect: 'swagger-2.0',
      value: {
        definitions: {
          Price: { type: 'object', properties: { amount: { type: 'number', minimum: 0, exclusiveMinimum: true }, note: { type: 'string', 'x-nullable': true }, file: { type: 'file' } } },
        },
      },
    });
    const validate = new SchemaCompiler(set).validator({ uri: API, pointer: '/definitions/Price' });
    expect(validate({ amount: 1, note: null, file: 'bytes' })).toBe(true);
    expect(validate({ amount: 0 })).toBe(false);
  });

  it('gives each schema its own $id, so vendor $ids in 3.1 cannot clash', () => {
    const set = documents(
      {
        A: { $id: 'https://vendor.example/schema', type: 'string' },
        B: { $id: 'https://vendor.example/schema', type: 'integer' },
        C: { type: 'object', properties: { a: { $ref: '#/components/schemas/A' }, b: { $ref: '#/components/schemas/B' } } },
      },
      'openapi-3.1',
    );
    const validate = new SchemaCompiler(set).validator(schemaAt('C'));
    expect(validate({ a: 'x', b: 1 })).toBe(true);
    expect(validate({ a: 1, b: 'x' })).toBe(false);
  });

  it('validates a property named __proto__ and does not let the prototype satisfy required', () => {
    // Parsed, as a vendor document is: a `__proto__` key in an object literal sets the prototype.
    const P = JSON.parse(
      '{"type":"object","additionalProperties":false,"required":["constructor"],"properties":{"__proto__":{"type":"string"},"constructor":{"type":"integer"}}}',
    );
    const set = documents({ P });
    const validate = new SchemaCompiler(set).validator(schemaAt('P'));
    expect(validate(JSON.parse('{"__proto__": "x", "constructor": 1}'))).toBe(true);
    expect(validate(JSON.parse('{"__proto__": 5, "constructor": 1}'))).toBe(false);
    expect(validate({})).toBe(false);
  });

  it('names the document when a schema nests too deep', () => {
    let schema: unknown = { type: 'string' };
    for (let i = 0; i < 1000; i++) schema = { type: 'array', items: schema };
    const compiler = new SchemaCompiler(documents({ Deep: schema }));
    expect(() => compiler.validator(schemaAt('Deep'))).toThrow(/^api\.json #\/components\/schemas\/Deep(\/items)+: schema nests deeper than 256 levels$/);
  });

  it('compiles a schema nested as deep as allowed', () => {
    let schema: unknown = { type: 'string' };
    for (let i = 0; i < 256; i++) schema = { type: 'array', items: schema };
    let value: unknown = 'x';
    for (let i = 0; i < 256; i++) value = [value];
    expect(new SchemaCompiler(documents({ Deep: schema })).validator(schemaAt('Deep'))(value)).toBe(true);
  });

  it('exports a self-contained JSON Schema that validates the same', () => {
    const compiler = new SchemaCompiler(hrDocuments());
    const bundle = compiler.jsonSchema(schemaAt('Employee')) as { $defs: Record<string, unknown> };
    expect(Object.keys(bundle.$defs).sort()).toEqual([
      'api.json#/components/schemas/Country',
      'api.json#/components/schemas/Department',
      'api.json#/components/schemas/Employee',
      'common.json#/Address',
    ]);
    const validate = createAjv('2020-12').compile(bundle);
    expect(validate({ id: 1, manager: { id: 2 }, department: { employees: [{ id: 3 }] } })).toBe(true);
    expect(validate({ id: 1, address: { country: 'DK' } })).toBe(false);
    expect(validate({ id: 2 ** 31 })).toBe(false);
  });
});
