/**
 * A plan per raw schema node: what the checker needs to know about one schema object, read once
 * per dialect and cached by `uri#pointer`. Child schemas are stubs, prepared the first time the
 * walk reaches them, so preparing a plan never recurses (vendor documents have hundreds of
 * reference cycles, and a hostile one may nest thousands of levels).
 *
 * The reading of each keyword per dialect follows src/spec/schema/normalise.ts + keywords.ts,
 * so the checker and the Ajv engine agree on what a document says.
 */
import type { DocumentSet } from '../../spec/documents.js';
import { escapeToken } from '../../spec/pointer.js';
import type { NodeRef, SchemaDialect } from '../../spec/types.js';
import { formatValidator, type FormatValidator } from '../formats.js';

export const T_NULL = 1;
export const T_BOOLEAN = 2;
export const T_INTEGER = 4;
export const T_NUMBER = 8;
export const T_STRING = 16;
export const T_ARRAY = 32;
export const T_OBJECT = 64;
const TYPE_BITS: Record<string, number> = {
  null: T_NULL,
  boolean: T_BOOLEAN,
  integer: T_INTEGER,
  // An integer is a number: `type: number` accepts 5.
  number: T_NUMBER | T_INTEGER,
  string: T_STRING,
  array: T_ARRAY,
  object: T_OBJECT,
};

export interface PatternPlan {
  regex: RegExp;
  plan: Plan;
}

export interface DiscriminatorPlan {
  property: string;
  /** Payload value → where its schema is. */
  mapping: Map<string, NodeRef>;
}

/** What one raw schema node says, ready to check values against. */
export interface Plan {
  at: NodeRef;
  key: string;
  ready: boolean;
  /** Accepts every value: `true`, `{}`, annotations only, or a `$ref` that points nowhere. */
  anything: boolean;
  /** The `false` schema. */
  never: boolean;
  /** `nullable: true` (3.0) or `x-nullable: true` (2.0, 3.0): null is accepted outright. */
  nullable: boolean;
  ref?: Plan;
  /** The `$ref` as written, to name a branch. */
  refText?: string;
  /** 3.0 / 2.0: a Reference Object's siblings are ignored (OpenAPI 3.0.3 §4.7.24), bar nullable. */
  refOnly: boolean;
  /** Bit set of T_*; 0 when any type is accepted. */
  types: number;
  typeNames?: string[];
  enumValues?: unknown[];
  /** The primitives of `enum`, for a lookup without JSON.stringify. */
  enumPrimitives?: Set<unknown>;
  enumHasContainers: boolean;
  hasConst: boolean;
  constValue?: unknown;
  format?: string;
  formatCheck?: FormatValidator;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  prefixItems?: Plan[];
  items?: Plan;
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  properties?: Map<string, Plan>;
  patternProperties?: PatternPlan[];
  additionalProperties?: Plan;
  required?: string[];
  minProperties?: number;
  maxProperties?: number;
  allOf?: Plan[];
  anyOf?: Plan[];
  oneOf?: Plan[];
  not?: Plan;
  if?: Plan;
  then?: Plan;
  else?: Plan;
  discriminator?: DiscriminatorPlan;
  /** Has `properties` or `patternProperties`: the object's members are documented here. */
  declaresProperties: boolean;
  /** Has properties, required, additionalProperties or `type: object` (2.0/3.0 often omit the type). */
  objectShaped: boolean;
}

type Json = Record<string, unknown>;

/** Plans of one document set, made on first use and kept. */
export class Planner {
  private readonly plans = new Map<string, Plan>();

  constructor(readonly documents: DocumentSet) {}

  /** The (possibly unprepared) plan for the node at `at`. */
  stub(at: NodeRef): Plan {
    const key = `${at.uri}#${at.pointer}`;
    let plan = this.plans.get(key);
    if (plan === undefined) {
      plan = blankPlan(at, key);
      this.plans.set(key, plan);
    }
    return plan;
  }

  /** Read the node's keywords into `plan` (once). */
  prepare(plan: Plan): void {
    plan.ready = true;
    let value: unknown;
    try {
      value = this.documents.valueAt(plan.at);
    } catch {
      value = undefined; // not a JSON pointer (an anchor): accepts anything, as in the compiler
    }
    if (value === false) {
      plan.anything = false;
      plan.never = true;
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return; // true, or not a schema
    this.read(plan, value as Json, this.documents.dialectOf(plan.at.uri));
    plan.anything = !hasAssertions(plan);
  }

  private child(plan: Plan, ...tokens: (string | number)[]): Plan {
    let pointer = plan.at.pointer;
    for (const token of tokens) pointer += '/' + escapeToken(String(token));
    return this.stub({ uri: plan.at.uri, pointer });
  }

  private children(plan: Plan, keyword: string, value: unknown): Plan[] | undefined {
    if (!Array.isArray(value)) return undefined;
    return value.map((_, i) => this.child(plan, keyword, i));
  }

  private read(plan: Plan, schema: Json, dialect: SchemaDialect): void {
    plan.nullable = dialect !== 'openapi-3.1' && (schema['x-nullable'] === true || (dialect === 'openapi-3.0' && schema.nullable === true));
    if (typeof schema.$ref === 'string') {
      plan.refText = schema.$ref;
      plan.ref = this.resolve(schema.$ref, plan.at.uri);
      if (dialect !== 'openapi-3.1') {
        plan.refOnly = true;
        return;
      }
    }
    readType(plan, schema.type);
    if (Array.isArray(schema.enum) && schema.enum.length > 0) readEnum(plan, schema.enum);
    if (hasOwn(schema, 'const')) {
      plan.hasConst = true;
      plan.constValue = schema.const;
    }
    if (typeof schema.format === 'string') {
      plan.format = schema.format;
      plan.formatCheck = formatValidator(schema.format);
    }
    this.readNumbers(plan, schema);
    plan.minLength = count(schema.minLength);
    plan.maxLength = count(schema.maxLength);
    plan.pattern = typeof schema.pattern === 'string' ? regex(schema.pattern) : undefined;
    this.readItems(plan, schema);
    plan.minItems = count(schema.minItems);
    plan.maxItems = count(schema.maxItems);
    plan.uniqueItems = schema.uniqueItems === true;
    this.readObject(plan, schema);
    plan.allOf = this.children(plan, 'allOf', schema.allOf);
    plan.anyOf = this.children(plan, 'anyOf', schema.anyOf);
    plan.oneOf = this.children(plan, 'oneOf', schema.oneOf);
    for (const keyword of ['not', 'if', 'then', 'else'] as const) {
      if (isSchema(schema[keyword])) plan[keyword] = this.child(plan, keyword);
    }
    plan.discriminator = this.readDiscriminator(plan, schema.discriminator);
  }

  private readNumbers(plan: Plan, schema: Json): void {
    plan.minimum = finite(schema.minimum);
    plan.maximum = finite(schema.maximum);
    plan.exclusiveMinimum = finite(schema.exclusiveMinimum);
    plan.exclusiveMaximum = finite(schema.exclusiveMaximum);
    // Draft 4 (Swagger 2.0, OpenAPI 3.0): `exclusiveMinimum: true` makes `minimum` exclusive.
    if (schema.exclusiveMinimum === true && plan.minimum !== undefined) {
      plan.exclusiveMinimum = plan.minimum;
      plan.minimum = undefined;
    }
    if (schema.exclusiveMaximum === true && plan.maximum !== undefined) {
      plan.exclusiveMaximum = plan.maximum;
      plan.maximum = undefined;
    }
    const multipleOf = finite(schema.multipleOf);
    plan.multipleOf = multipleOf !== undefined && multipleOf > 0 ? multipleOf : undefined;
  }

  /** `items` as an array is a draft 4 tuple: it becomes `prefixItems`, and `additionalItems`
   * the schema for the rest (as convertItems in keywords.ts). */
  private readItems(plan: Plan, schema: Json): void {
    if (Array.isArray(schema.prefixItems)) {
      plan.prefixItems = this.children(plan, 'prefixItems', schema.prefixItems);
      if (isSchema(schema.items)) plan.items = this.child(plan, 'items');
    } else if (Array.isArray(schema.items)) {
      plan.prefixItems = this.children(plan, 'items', schema.items);
      if (isSchema(schema.additionalItems)) plan.items = this.child(plan, 'additionalItems');
    } else if (isSchema(schema.items)) {
      plan.items = this.child(plan, 'items');
    }
  }

  private readObject(plan: Plan, schema: Json): void {
    if (isObject(schema.properties)) {
      plan.properties = new Map();
      for (const name of Object.keys(schema.properties)) plan.properties.set(name, this.child(plan, 'properties', name));
    }
    if (isObject(schema.patternProperties)) {
      plan.patternProperties = [];
      for (const source of Object.keys(schema.patternProperties)) {
        const compiled = regex(source);
        if (compiled !== undefined) plan.patternProperties.push({ regex: compiled, plan: this.child(plan, 'patternProperties', source) });
      }
    }
    if (isSchema(schema.additionalProperties)) plan.additionalProperties = this.child(plan, 'additionalProperties');
    if (Array.isArray(schema.required)) plan.required = [...new Set(schema.required.filter((n): n is string => typeof n === 'string'))];
    plan.minProperties = count(schema.minProperties);
    plan.maxProperties = count(schema.maxProperties);
    plan.declaresProperties = plan.properties !== undefined || plan.patternProperties !== undefined;
    plan.objectShaped =
      plan.declaresProperties || plan.required !== undefined || plan.additionalProperties !== undefined || (plan.types & T_OBJECT) !== 0;
  }

  /** OpenAPI 3.0.3 §4.7.25: `mapping` values are schema names or references; without a
   * mapping, the payload value names `#/components/schemas/<value>`. Swagger 2.0 writes the
   * property name alone. */
  private readDiscriminator(plan: Plan, value: unknown): DiscriminatorPlan | undefined {
    const property = typeof value === 'string' ? value : isObject(value) && typeof value.propertyName === 'string' ? value.propertyName : undefined;
    if (property === undefined) return undefined;
    const mapping = new Map<string, NodeRef>();
    const written = isObject(value) && isObject(value.mapping) ? value.mapping : {};
    for (const tag of Object.keys(written)) {
      const target = written[tag];
      if (typeof target !== 'string') continue;
      const ref = /^[\w.-]+$/.test(target) && !/\.(json|ya?ml)$/i.test(target) ? `#/components/schemas/${escapeToken(target)}` : target;
      const at = this.target(ref, plan.at.uri);
      if (at !== undefined) mapping.set(tag, at);
    }
    return { property, mapping };
  }

  /** Where a `$ref` points, or `undefined` when it points nowhere (or is not a pointer). */
  target(ref: string, baseUri: string): NodeRef | undefined {
    try {
      const at = this.documents.target(ref, baseUri);
      return this.documents.valueAt(at) === undefined ? undefined : at;
    } catch {
      return undefined;
    }
  }

  /** An unresolvable reference accepts anything (as the compiler's `ANY_ID`). */
  private resolve(ref: string, baseUri: string): Plan | undefined {
    const at = this.target(ref, baseUri);
    return at === undefined ? undefined : this.stub(at);
  }
}

/** Every field written out, in one order, so that all plans share one hidden class and the
 * walk's property reads stay monomorphic. */
function blankPlan(at: NodeRef, key: string): Plan {
  return {
    at,
    key,
    ready: false,
    anything: true,
    never: false,
    nullable: false,
    ref: undefined,
    refText: undefined,
    refOnly: false,
    types: 0,
    typeNames: undefined,
    enumValues: undefined,
    enumPrimitives: undefined,
    enumHasContainers: false,
    hasConst: false,
    constValue: undefined,
    format: undefined,
    formatCheck: undefined,
    minimum: undefined,
    maximum: undefined,
    exclusiveMinimum: undefined,
    exclusiveMaximum: undefined,
    multipleOf: undefined,
    minLength: undefined,
    maxLength: undefined,
    pattern: undefined,
    prefixItems: undefined,
    items: undefined,
    minItems: undefined,
    maxItems: undefined,
    uniqueItems: false,
    properties: undefined,
    patternProperties: undefined,
    additionalProperties: undefined,
    required: undefined,
    minProperties: undefined,
    maxProperties: undefined,
    allOf: undefined,
    anyOf: undefined,
    oneOf: undefined,
    not: undefined,
    if: undefined,
    then: undefined,
    else: undefined,
    discriminator: undefined,
    declaresProperties: false,
    objectShaped: false,
  };
}

/** `type` as a name or list; an unknown name (Swagger's `file`) means no constraint, as in typeRule. */
function readType(plan: Plan, type: unknown): void {
  const names = typeof type === 'string' ? [type] : Array.isArray(type) ? type : [];
  let bits = 0;
  for (const name of names) {
    const bit = typeof name === 'string' && hasOwn(TYPE_BITS, name) ? TYPE_BITS[name]! : 0;
    if (bit === 0) return;
    bits |= bit;
  }
  plan.types = bits;
  if (bits !== 0) plan.typeNames = names as string[];
}

function readEnum(plan: Plan, values: unknown[]): void {
  plan.enumValues = values;
  plan.enumPrimitives = new Set();
  for (const value of values) {
    if (value !== null && typeof value === 'object') plan.enumHasContainers = true;
    else plan.enumPrimitives.add(value);
  }
}

function hasAssertions(plan: Plan): boolean {
  for (const key of Object.keys(plan) as (keyof Plan)[]) {
    if (NOT_ASSERTIONS.has(key)) continue;
    const value = plan[key];
    // A bound of 0 (`maxLength: 0`, `minimum: 0`) asserts; a `types` of 0 means any type.
    if (value !== undefined && value !== false && !(key === 'types' && value === 0)) return true;
  }
  return false;
}
const NOT_ASSERTIONS = new Set<keyof Plan>([
  'at', 'key', 'ready', 'anything', 'never', 'nullable', 'refText', 'refOnly', 'typeNames', 'declaresProperties',
  'objectShaped', 'discriminator', 'then', 'else', 'format',
]);

/** As Ajv compiles `pattern` (`unicodeRegExp`); a pattern that does not compile is ignored. */
function regex(source: string): RegExp | undefined {
  try {
    return new RegExp(source, 'u');
  } catch {
    return undefined;
  }
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function count(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) >= 0 ? (value as number) : undefined;
}

function isSchema(value: unknown): boolean {
  return typeof value === 'boolean' || isObject(value);
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}
