/**
 * One schema as the comparer needs it: `$ref`s followed, `allOf` merged, and the dialect's way
 * of saying "or null" read into one flag, so that comparing a Swagger 2.0 `x-nullable`, an
 * OpenAPI 3.0 `nullable` and a 3.1 `type: [x, 'null']` is comparing like with like.
 */
import { isReference, type DocumentSet, type SchemaDialect } from '../../spec/index.js';
import { childRef, type Node } from './scope.js';

export type Bound = 'maxLength' | 'minLength' | 'maximum' | 'minimum' | 'exclusiveMaximum' | 'exclusiveMinimum' | 'maxItems' | 'minItems';
export const BOUNDS: readonly Bound[] = ['maxLength', 'minLength', 'maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'maxItems', 'minItems'];
/** Bounds where a larger value accepts more. */
export const UPPER_BOUNDS = new Set<Bound>(['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems']);

export interface SchemaView {
  /** Where the schema itself is (after `$ref`s). */
  at: Node['at'];
  /** The same number for every view of the schema at `at`: the identity used to end cycles. */
  id: number;
  /** JSON types other than null; undefined when the schema does not say. */
  types: Set<string> | undefined;
  nullable: boolean;
  /** Values other than null, when restricted. */
  enum: unknown[] | undefined;
  properties: Map<string, Node>;
  required: Set<string>;
  items: Node | undefined;
  additionalProperties: Node | undefined;
  /** `oneOf` / `anyOf` branches (a bare `{type: 'null'}` branch is read as `nullable`). */
  branches: Node[];
  bounds: Partial<Record<Bound, number>>;
  pattern: string | undefined;
  readOnly: boolean;
  writeOnly: boolean;
}

/** allOf chains in vendor documents are a few levels deep; this only stops hostile ones. */
const MAX_MERGE_DEPTH = 32;

/**
 * @example
 * const view = readSchemaView(spec.documents, { value: { $ref: '#/components/schemas/Customer' }, at });
 * view?.properties.has('phone');
 */
export function readSchemaView(set: DocumentSet, node: Node): SchemaView | undefined {
  const cache = cacheOf(set);
  // Property nodes come from cached views, so the same object recurs: look it up first.
  if (cache.byNode.has(node)) return cache.byNode.get(node);
  const key = `${node.at.uri}#${node.at.pointer}`;
  let view = cache.byPlace.get(key);
  if (view === undefined && !cache.byPlace.has(key)) {
    view = read(set, node, 0, new Set());
    if (view) {
      const at = `${view.at.uri}#${view.at.pointer}`;
      view.id = cache.ids.get(at) ?? cache.ids.size;
      cache.ids.set(at, view.id);
    }
    cache.byPlace.set(key, view);
  }
  cache.byNode.set(node, view);
  return view;
}

interface ViewCache {
  byNode: WeakMap<Node, SchemaView | undefined>;
  byPlace: Map<string, SchemaView | undefined>;
  /** A small number per schema position, for cheap pair keys. */
  ids: Map<string, number>;
}

/**
 * Views by document set: a schema shared by hundreds of operations is read once (Tripletex's
 * 739 operations share one graph of ~2,000 schemas). Callers treat views as read-only.
 */
const CACHES = new WeakMap<DocumentSet, ViewCache>();

function cacheOf(set: DocumentSet): ViewCache {
  let cache = CACHES.get(set);
  if (!cache) CACHES.set(set, (cache = { byNode: new WeakMap(), byPlace: new Map(), ids: new Map() }));
  return cache;
}

function read(set: DocumentSet, node: Node, depth: number, seen: Set<string>): SchemaView | undefined {
  if (depth > MAX_MERGE_DEPTH) return undefined;
  const dialect = set.dialectOf(node.at.uri);
  if (isReference(node.value)) {
    const target = set.deref(node.at);
    if (!target) return undefined;
    const key = `${target.at.uri}#${target.at.pointer}`;
    if (seen.has(key)) return undefined;
    const view = read(set, target, depth + 1, new Set(seen).add(key));
    if (!view) return undefined;
    const siblings = node.value as Record<string, unknown>;
    // OpenAPI 3.0 ignores a reference's siblings, except the nullable flag vendors put there
    // (see normalise.ts); 3.1 applies them, which for a diff means: merge them in.
    if (dialect === 'openapi-3.1') merge(view, own(node, dialect));
    else if (saysNullable(siblings, dialect)) view.nullable = true;
    return view;
  }
  const view = own(node, dialect);
  const schema = asRecord(node.value);
  if (Array.isArray(schema.allOf)) {
    schema.allOf.forEach((member: unknown, i) => {
      const part = read(set, { value: member, at: childRef(node.at, 'allOf', String(i)) }, depth + 1, seen);
      if (part) merge(view, part);
    });
  }
  // `anyOf: [X, {type: 'null'}]` is how generators say "X or null": read it as X, nullable.
  if (view.branches.length === 1 && view.types === undefined && view.properties.size === 0) {
    const only = read(set, view.branches[0]!, depth + 1, seen);
    if (only) {
      merge(view, only);
      view.nullable ||= only.nullable;
      view.branches = only.branches;
    }
  }
  return view;
}

/** The schema's own keywords, without following anything. */
function own(node: Node, dialect: SchemaDialect): SchemaView {
  const schema = asRecord(node.value);
  const view: SchemaView = {
    at: node.at,
    id: -1,
    types: undefined,
    nullable: saysNullable(schema, dialect),
    enum: undefined,
    properties: new Map(),
    required: new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []),
    items: undefined,
    additionalProperties: undefined,
    branches: [],
    bounds: {},
    pattern: typeof schema.pattern === 'string' ? schema.pattern : undefined,
    readOnly: schema.readOnly === true,
    writeOnly: schema.writeOnly === true,
  };
  const declared = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type.filter((t): t is string => typeof t === 'string') : [];
  if (declared.includes('null')) view.nullable = true;
  const types = declared.filter((t) => t !== 'null');
  if (types.length > 0) view.types = new Set(types);
  else if (schema.properties !== undefined) view.types = new Set(['object']);
  else if (schema.items !== undefined) view.types = new Set(['array']);
  if (Array.isArray(schema.enum)) {
    if (schema.enum.includes(null)) view.nullable = true;
    view.enum = schema.enum.filter((v) => v !== null);
  }
  for (const [name, value] of Object.entries(asRecord(schema.properties))) {
    view.properties.set(name, { value, at: childRef(node.at, 'properties', name) });
  }
  if (schema.items !== null && typeof schema.items === 'object' && !Array.isArray(schema.items)) {
    view.items = { value: schema.items, at: childRef(node.at, 'items') };
  }
  if (schema.additionalProperties !== null && typeof schema.additionalProperties === 'object') {
    view.additionalProperties = { value: schema.additionalProperties, at: childRef(node.at, 'additionalProperties') };
  }
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const list = schema[keyword];
    if (!Array.isArray(list)) continue;
    list.forEach((branch: unknown, i) => {
      if (isNullBranch(branch)) view.nullable = true;
      else view.branches.push({ value: branch, at: childRef(node.at, keyword, String(i)) });
    });
  }
  for (const bound of BOUNDS) {
    // Draft 4 (3.0, Swagger) writes exclusive bounds as booleans beside minimum/maximum; only
    // the numeric 3.1 form is a bound of its own.
    if (typeof schema[bound] === 'number') view.bounds[bound] = schema[bound];
  }
  return view;
}

/** Fill what `into` leaves open from `part` (an allOf member): properties and required add up. */
function merge(into: SchemaView, part: SchemaView): void {
  into.types ??= part.types;
  into.enum ??= part.enum;
  for (const [name, node] of part.properties) if (!into.properties.has(name)) into.properties.set(name, node);
  for (const name of part.required) into.required.add(name);
  into.items ??= part.items;
  into.additionalProperties ??= part.additionalProperties;
  if (into.branches.length === 0) into.branches = part.branches;
  for (const bound of BOUNDS) if (into.bounds[bound] === undefined && part.bounds[bound] !== undefined) into.bounds[bound] = part.bounds[bound];
  into.pattern ??= part.pattern;
  into.readOnly ||= part.readOnly;
  into.writeOnly ||= part.writeOnly;
}

function saysNullable(schema: Record<string, unknown>, dialect: SchemaDialect): boolean {
  if (dialect === 'openapi-3.1') return false;
  return schema['x-nullable'] === true || (dialect === 'openapi-3.0' && schema.nullable === true);
}

function isNullBranch(value: unknown): boolean {
  const schema = asRecord(value);
  return schema.type === 'null' || (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null);
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
