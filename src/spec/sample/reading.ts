/**
 * Reading one raw schema object as recon's normaliser does (src/spec/schema/normalise.ts and
 * keywords.ts), per dialect: what the compiled validator will hold the sample to. Malformed
 * keywords are ignored here exactly where the normaliser drops them.
 */
import type { NodeRef, SchemaDialect } from '../types.js';
import { appendPointer } from '../pointer.js';

/** One schema object of the document, where it is, and how to read it. */
export interface SchemaNode {
  raw: Record<string, unknown>;
  at: NodeRef;
  dialect: SchemaDialect;
}

export type JsonType = 'null' | 'boolean' | 'object' | 'array' | 'number' | 'string' | 'integer';
const JSON_TYPES = new Set<string>(['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']);

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function childRef(at: NodeRef, ...tokens: (string | number)[]): NodeRef {
  return { uri: at.uri, pointer: appendPointer(at.pointer, ...tokens) };
}

/** OpenAPI 3.0's `nullable`, Swagger's `x-nullable` (also left in converted 3.0 documents);
 * 3.1 has neither and writes `type: [..., 'null']`. */
export function isNullable(raw: Record<string, unknown>, dialect: SchemaDialect): boolean {
  if (dialect === 'openapi-3.1') return false;
  return raw['x-nullable'] === true || (dialect === 'openapi-3.0' && raw.nullable === true);
}

/** The types the node allows (with `null` when nullable), or undefined for "any": no `type`,
 * or one naming Swagger's `file` or an unknown type (the normaliser then drops it). */
export function typesOf(node: SchemaNode): Set<JsonType> | undefined {
  const type = node.raw.type;
  const names = typeof type === 'string' ? [type] : Array.isArray(type) ? type : undefined;
  if (names === undefined || !names.every((n) => typeof n === 'string' && JSON_TYPES.has(n))) return undefined;
  const types = new Set(names as JsonType[]);
  if (isNullable(node.raw, node.dialect)) types.add('null');
  return types;
}

/** `enum` when it is a non-empty array (an empty one is dropped), widened with null when nullable. */
export function enumOf(node: SchemaNode): unknown[] | undefined {
  const values = node.raw.enum;
  if (!Array.isArray(values) || values.length === 0) return undefined;
  return isNullable(node.raw, node.dialect) && !values.includes(null) ? [...values, null] : values;
}

export interface NumberBounds {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Draft 4 (Swagger 2.0, OpenAPI 3.0) writes `exclusiveMinimum: true` beside `minimum`; 2020-12
 * (OpenAPI 3.1) writes the bound itself. The normaliser accepts the numeric form in any dialect. */
export function numberBounds(raw: Record<string, unknown>): NumberBounds {
  const bounds: NumberBounds = {};
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    const flag = raw[exclusive];
    const value = raw[bound];
    if (isNumber(flag)) bounds[exclusive] = flag;
    if (isNumber(value)) {
      if (flag === true) bounds[exclusive] = value;
      else bounds[bound] = value;
    }
  }
  if (isNumber(raw.multipleOf) && raw.multipleOf > 0) bounds.multipleOf = raw.multipleOf;
  return bounds;
}

/** A non-negative integer keyword (`minLength`, `maxItems`…), or undefined when absent or malformed. */
export function countOf(raw: Record<string, unknown>, keyword: string): number | undefined {
  const value = raw[keyword];
  return Number.isInteger(value) && (value as number) >= 0 ? (value as number) : undefined;
}

/** A `pattern` the engine compiles (ECMA-262 with the `u` flag); others are dropped. */
export function patternOf(raw: Record<string, unknown>): RegExp | undefined {
  if (typeof raw.pattern !== 'string') return undefined;
  try {
    return new RegExp(raw.pattern, 'u');
  } catch {
    return undefined;
  }
}

/** Positional item schemas and the schema of the rest: draft 4's `items: [...]` plus
 * `additionalItems`, or 2020-12's `prefixItems` plus `items`. `rest: false` forbids more. */
export function itemsOf(node: SchemaNode): { prefix: NodeRef[]; rest: NodeRef | boolean } {
  const { raw, at } = node;
  if (Array.isArray(raw.prefixItems)) {
    return { prefix: raw.prefixItems.map((_, i) => childRef(at, 'prefixItems', i)), rest: restOf(raw.items, at, 'items') };
  }
  if (Array.isArray(raw.items)) {
    return { prefix: raw.items.map((_, i) => childRef(at, 'items', i)), rest: restOf(raw.additionalItems, at, 'additionalItems') };
  }
  return { prefix: [], rest: restOf(raw.items, at, 'items') };
}

function restOf(value: unknown, at: NodeRef, key: string): NodeRef | boolean {
  if (value === undefined || value === true) return true;
  if (value === false) return false;
  return childRef(at, key);
}

const propertiesCache = new WeakMap<Record<string, unknown>, [string, NodeRef][]>();

/** `properties` of the node, as name → position (cached: a schema object has one position). */
export function propertiesOf(node: SchemaNode): [string, NodeRef][] {
  const properties = node.raw.properties;
  if (!isObject(properties)) return [];
  let found = propertiesCache.get(node.raw);
  if (found === undefined) {
    found = Object.keys(properties).map((name) => [name, childRef(node.at, 'properties', name)]);
    propertiesCache.set(node.raw, found);
  }
  return found;
}

export function requiredOf(raw: Record<string, unknown>): string[] {
  const required = raw.required;
  return Array.isArray(required) && required.every((r) => typeof r === 'string') ? (required as string[]) : [];
}

/** Scalars (and arrays of them) the document gives as examples of this schema, best first. */
export function examplesOf(raw: Record<string, unknown>): unknown[] {
  const found: unknown[] = [];
  if ('example' in raw) found.push(raw.example);
  if (Array.isArray(raw.examples)) found.push(...raw.examples);
  if ('default' in raw) found.push(raw.default);
  return found;
}
