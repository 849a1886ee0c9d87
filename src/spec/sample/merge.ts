/**
 * What a conjunction of schemas asks of a value, keyword by keyword: the intersection of their
 * types, the tightest bounds, every pattern, and for objects the properties any of them
 * declares (with every schema that applies to each).
 */
import type { NodeRef } from '../types.js';
import { childRef, countOf, isObject, itemsOf, numberBounds, patternOf, propertiesOf, requiredOf, typesOf, type JsonType, type NumberBounds, type SchemaNode } from './reading.js';
import type { StringConstraints } from './strings.js';

/** The types every node allows (`integer` where one says number and another integer);
 * undefined when none of them restricts the type. */
export function mergeTypes(nodes: SchemaNode[]): Set<JsonType> | undefined {
  let merged: Set<JsonType> | undefined;
  for (const node of nodes) {
    const types = typesOf(node);
    if (types === undefined) continue;
    if (merged === undefined) {
      merged = new Set(types);
      continue;
    }
    const next = new Set<JsonType>();
    for (const t of merged) {
      if (types.has(t)) next.add(t);
      else if ((t === 'integer' && types.has('number')) || (t === 'number' && types.has('integer'))) next.add('integer');
    }
    merged = next;
  }
  return merged;
}

/** The type to generate: the first allowed one other than null; for an untyped schema, the
 * type its keywords are about (a `properties` without `type: object` is common). */
export function pickType(types: Set<JsonType> | undefined, nodes: SchemaNode[]): JsonType | undefined {
  if (types !== undefined) {
    const nonNull = [...types].filter((t) => t !== 'null');
    return nonNull[0] ?? (types.has('null') ? 'null' : undefined);
  }
  const has = (...keywords: string[]): boolean => nodes.some((node) => keywords.some((k) => k in node.raw));
  if (has('properties', 'required', 'additionalProperties', 'patternProperties', 'minProperties')) return 'object';
  if (has('items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems')) return 'array';
  if (has('minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf')) return 'number';
  return 'string';
}

export function mergeNumber(nodes: SchemaNode[]): { bounds: NumberBounds; format?: string } {
  const bounds: NumberBounds = {};
  let format: string | undefined;
  for (const node of nodes) {
    const own = numberBounds(node.raw);
    if (own.minimum !== undefined) bounds.minimum = Math.max(bounds.minimum ?? -Infinity, own.minimum);
    if (own.maximum !== undefined) bounds.maximum = Math.min(bounds.maximum ?? Infinity, own.maximum);
    if (own.exclusiveMinimum !== undefined) bounds.exclusiveMinimum = Math.max(bounds.exclusiveMinimum ?? -Infinity, own.exclusiveMinimum);
    if (own.exclusiveMaximum !== undefined) bounds.exclusiveMaximum = Math.min(bounds.exclusiveMaximum ?? Infinity, own.exclusiveMaximum);
    if (own.multipleOf !== undefined) bounds.multipleOf = bounds.multipleOf === undefined ? own.multipleOf : commonMultiple(bounds.multipleOf, own.multipleOf);
    if (format === undefined && typeof node.raw.format === 'string' && ['int32', 'int64', 'float', 'double'].includes(node.raw.format)) format = node.raw.format;
  }
  return format === undefined ? { bounds } : { bounds, format };
}

function commonMultiple(a: number, b: number): number {
  if (!Number.isInteger(a) || !Number.isInteger(b)) return Math.max(a, b);
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a / gcd(a, b)) * b;
}

export function mergeString(nodes: SchemaNode[]): StringConstraints {
  const constraints: StringConstraints = { minLength: 0, maxLength: Infinity, patterns: [] };
  for (const node of nodes) {
    constraints.minLength = Math.max(constraints.minLength, countOf(node.raw, 'minLength') ?? 0);
    constraints.maxLength = Math.min(constraints.maxLength, countOf(node.raw, 'maxLength') ?? Infinity);
    const pattern = patternOf(node.raw);
    if (pattern !== undefined) constraints.patterns.push(pattern);
    if (constraints.format === undefined && typeof node.raw.format === 'string') constraints.format = node.raw.format;
  }
  return constraints;
}

export interface ArrayShape {
  minItems: number;
  maxItems: number;
  uniqueItems: boolean;
  /** The schemas item `index` must satisfy; undefined when a schema forbids an item there. */
  itemRefs(index: number): NodeRef[] | undefined;
}

export function mergeArray(nodes: SchemaNode[]): ArrayShape {
  const items = nodes.map(itemsOf);
  return {
    minItems: Math.max(0, ...nodes.map((n) => countOf(n.raw, 'minItems') ?? 0)),
    maxItems: Math.min(Infinity, ...nodes.map((n) => countOf(n.raw, 'maxItems') ?? Infinity)),
    uniqueItems: nodes.some((n) => n.raw.uniqueItems === true),
    itemRefs(index) {
      const refs: NodeRef[] = [];
      for (const { prefix, rest } of items) {
        const at = index < prefix.length ? prefix[index]! : rest;
        if (at === false) return undefined;
        if (at !== true) refs.push(at);
      }
      return refs;
    },
  };
}

export interface ObjectShape {
  /** Every property name some schema declares, in the order declared. */
  names: string[];
  required: Set<string>;
  /** Some schema documents `additionalProperties` (a schema or `true`): other names are expected. */
  documentsAdditional: boolean;
  minProperties: number;
  maxProperties: number;
  /** The schemas the value of `name` must satisfy; undefined when a schema forbids the name. */
  refsFor(name: string): NodeRef[] | undefined;
}

export function mergeObject(nodes: SchemaNode[]): ObjectShape {
  const required = new Set<string>();
  const declared = nodes.map((node) => new Map(propertiesOf(node)));
  const names = [...new Set(declared.flatMap((map) => [...map.keys()]))];
  for (const node of nodes) for (const name of requiredOf(node.raw)) required.add(name);
  const patterns = nodes.map((node) => {
    const pp = node.raw.patternProperties;
    if (!isObject(pp)) return [];
    return Object.keys(pp).flatMap((source): [RegExp, NodeRef][] => {
      try {
        return [[new RegExp(source, 'u'), childRef(node.at, 'patternProperties', source)]];
      } catch {
        return [];
      }
    });
  });
  const known = new Map<string, NodeRef[] | undefined>();
  return {
    names,
    required,
    documentsAdditional: nodes.some((n) => n.raw.additionalProperties === true || isObject(n.raw.additionalProperties)),
    minProperties: Math.max(0, ...nodes.map((n) => countOf(n.raw, 'minProperties') ?? 0)),
    maxProperties: Math.min(Infinity, ...nodes.map((n) => countOf(n.raw, 'maxProperties') ?? Infinity)),
    refsFor(name) {
      if (known.has(name)) return known.get(name);
      const refs = refsOf(name);
      known.set(name, refs);
      return refs;
    },
  };
  /** The schemas that apply to property `name`: each node's own, matching pattern, or additional one. */
  function refsOf(name: string): NodeRef[] | undefined {
    const refs: NodeRef[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const own = declared[i]!.get(name);
      if (own !== undefined) refs.push(own);
      const matching = patterns[i]!.filter(([regex]) => regex.test(name));
      for (const [, at] of matching) refs.push(at);
      if (own !== undefined || matching.length > 0) continue;
      // 2020-12 §10.3.2.3: `additionalProperties` of a schema applies to the names its own
      // `properties` and `patternProperties` do not cover, also inside an `allOf`.
      const additional = nodes[i]!.raw.additionalProperties;
      if (additional === false) return undefined;
      if (isObject(additional)) refs.push(childRef(nodes[i]!.at, 'additionalProperties'));
    }
    return refs;
  }
}
