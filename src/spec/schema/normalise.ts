/**
 * One OpenAPI / Swagger schema object → one JSON Schema 2020-12 object that recon's Ajv engine
 * compiles. The rules are a table (`KEYWORDS` in keywords.ts): a keyword not in it is dropped (`x-*`,
 * `example`, `xml`, `externalDocs`, `discriminator`, `$id`, `$schema`, vendor typos), and a
 * keyword whose value has the wrong shape is dropped and reported through `onIssue`, so one
 * sloppy schema never stops the others from compiling. The input is never mutated; leaf values
 * (`enum`, `const`, `default`, `required`…) are shared with it, not copied, so treat both as
 * read-only.
 *
 * `$ref`s are not followed: each is replaced by `mapRef(ref)`, so the input is a tree and the
 * walk ends; a depth limit guards against hostile nesting.
 */
import { SpecLoadError } from '../../errors.js';
import { toPointer } from '../pointer.js';
import type { SchemaDialect } from '../types.js';
import { KEYWORDS, convertDraft4Bounds, convertItems, isObject, type SchemaWalk } from './keywords.js';

/** A JSON Schema 2020-12 schema: an object, or `true` / `false`. */
export type JsonSchema = boolean | JsonSchemaObject;
export interface JsonSchemaObject {
  [keyword: string]: unknown;
}

/**
 * Maps a `$ref` as written to the reference the engine should follow. `pointer` is where the
 * `$ref` was written (the options' `pointer` plus the path inside the schema).
 */
export type MapRef = (ref: string, pointer: string) => string;

/** Something the normaliser had to drop because it was malformed. */
export interface NormaliseIssue {
  pointer: string;
  keyword: string;
  message: string;
}

export interface NormaliseOptions {
  /** Named in the error for a too-deep schema: the document. */
  source?: string;
  /** Where the schema is in its document; issue and `$ref` pointers are built on it. */
  pointer?: string;
  /** Deepest nesting of schemas accepted (default `MAX_SCHEMA_DEPTH`). */
  maxDepth?: number;
  /** Told about each keyword dropped because its value was malformed. */
  onIssue?: (issue: NormaliseIssue) => void;
  /** Told about each `format` the schema names (the compiler checks it against the engine's). */
  onFormat?: (format: string, pointer: string) => void;
}

/**
 * Vendor schemas nest a few dozen levels at most (references cut the tree); ten times that is
 * hostile. It also keeps Ajv's own recursive code generation well inside Node's stack.
 */
export const MAX_SCHEMA_DEPTH = 256;

/**
 * @example
 * normaliseSchema({ type: 'string', nullable: true, example: 'x' }, 'openapi-3.0', (r) => r)
 * // → { type: ['string', 'null'] }
 */
export function normaliseSchema(
  schema: unknown,
  dialect: SchemaDialect,
  mapRef: MapRef,
  options: NormaliseOptions = {},
): JsonSchema {
  return new Walker(dialect, mapRef, options).schema(schema);
}

/** Keywords whose presence makes a schema reject `null` other than through `type` / `enum`. */
const REJECTS_NULL_BESIDES_TYPE = ['$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'const'];

class Walker implements SchemaWalk {
  private readonly path: (string | number)[] = [];
  private readonly maxDepth: number;
  private depth = 0;

  constructor(
    readonly dialect: SchemaDialect,
    readonly mapRef: MapRef,
    private readonly options: NormaliseOptions,
  ) {
    this.maxDepth = options.maxDepth ?? MAX_SCHEMA_DEPTH;
  }

  pointer(): string {
    return (this.options.pointer ?? '') + toPointer(this.path);
  }

  issue(keyword: string, message: string): void {
    this.options.onIssue?.({ pointer: this.pointer(), keyword, message });
  }

  format(name: string): void {
    this.options.onFormat?.(name, this.pointer());
  }

  /** Normalise the schema at `tokens` below the current one. */
  child(value: unknown, ...tokens: (string | number)[]): JsonSchema {
    this.path.push(...tokens);
    this.depth++;
    try {
      return this.schema(value);
    } finally {
      this.path.length -= tokens.length;
      this.depth--;
    }
  }

  schema(value: unknown): JsonSchema {
    if (typeof value === 'boolean') return value;
    if (!isObject(value)) {
      this.issue('', 'not a schema object; treated as accepting anything');
      return {};
    }
    if (this.depth > this.maxDepth) {
      throw new SpecLoadError(
        'RECON_SPEC_INVALID',
        `schema nests deeper than ${this.maxDepth} levels`,
        { source: this.options.source ?? 'schema', pointer: this.pointer() },
        { hint: 'a vendor schema this deep is almost certainly generated wrongly or hostile' },
      );
    }
    const out: JsonSchemaObject = {};
    // OpenAPI 3.0.3 §4.7.24 / Swagger 2.0: a Reference Object's siblings are ignored. The one
    // exception is the nullable flag, which vendors put beside `$ref` to mean "or null" so often
    // that ignoring it would turn every such null into a false unexpected-null finding.
    if (this.dialect !== 'openapi-3.1' && typeof value.$ref === 'string') {
      out.$ref = this.mapRefHere(value.$ref);
      return this.isNullable(value) ? withNull(out) : out;
    }
    for (const key of Object.keys(value)) {
      KEYWORDS.get(key)?.(value[key], out, this, key);
    }
    convertDraft4Bounds(value, out);
    convertItems(value, out, this);
    return this.isNullable(value) ? withNull(out) : out;
  }

  /** `$ref` → the engine's reference; the pointer given is the schema object's, as
   * `forEachRef` reports it. */
  mapRefHere(ref: string): string {
    return this.mapRef(ref, this.pointer());
  }

  /** `nullable` is OpenAPI 3.0's; `x-nullable` is the Swagger 2.0 vendor extension that
   * generators (NSwag, swagger-codegen) also leave in converted 3.0 documents. 3.1 has neither:
   * it writes `type: [..., 'null']`. */
  private isNullable(value: Record<string, unknown>): boolean {
    if (this.dialect === 'openapi-3.1') return false;
    return value['x-nullable'] === true || (this.dialect === 'openapi-3.0' && value.nullable === true);
  }
}

/** Let `null` through as well: widen `type` and `enum`, or wrap when other keywords would
 * reject it. A schema with neither `type` nor `enum` nor those keywords already accepts null. */
function withNull(schema: JsonSchemaObject): JsonSchemaObject {
  if (REJECTS_NULL_BESIDES_TYPE.some((keyword) => keyword in schema)) {
    return { anyOf: [schema, { type: 'null' }] };
  }
  const type = schema.type;
  if (typeof type === 'string' && type !== 'null') schema.type = [type, 'null'];
  else if (Array.isArray(type) && !type.includes('null')) schema.type = [...type, 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  return schema;
}
