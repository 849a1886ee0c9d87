/**
 * A set of schemas a value must satisfy together: the positions asked for, with their `$ref`s
 * followed and their `allOf` branches flattened in. `oneOf` / `anyOf` are left as choices for
 * the sampler to make (and re-flatten with the branch it picked).
 */
import type { DocumentSet } from '../documents.js';
import type { NodeRef } from '../types.js';
import { childRef, enumOf, isNullable, isObject, typesOf, type SchemaNode } from './reading.js';

export interface Choice {
  keyword: 'oneOf' | 'anyOf';
  /** The schema holding the keyword (its `discriminator` is read from here). */
  node: SchemaNode;
  branches: NodeRef[];
}

export interface Conjunction {
  nodes: SchemaNode[];
  choices: Choice[];
  /** Whether every schema accepts `null` (so `null` may stand in for a value cut at the depth limit). */
  nullOk: boolean;
  /** A `false` schema is among them: nothing validates. */
  impossible: boolean;
  /** Positions to check an example against: the ones asked for plus the branches picked. */
  roots: NodeRef[];
  /** Positions already added (a branch picked later is added to the same conjunction). */
  seen: Set<string>;
  /** What the sampler derived from `nodes` (merged shapes), kept with a shared conjunction. */
  memo: Map<string, unknown>;
}

/** `derive()` once per conjunction: a body samples the same schemas hundreds of times. */
export function memoised<T>(conjunction: Conjunction, key: string, derive: () => T): T {
  if (conjunction.memo.has(key)) return conjunction.memo.get(key) as T;
  const value = derive();
  conjunction.memo.set(key, value);
  return value;
}

/**
 * Flattened single positions, per document set: a body samples the same few schemas hundreds
 * of times, and walking pointers from the document root was most of the sampler's time.
 */
const cache = new WeakMap<DocumentSet, Map<string, Conjunction>>();

/** Flatten `refs` into one conjunction. The result may be shared: call `addBranch` only on one
 * with choices (those are copied). */
export function flatten(documents: DocumentSet, refs: NodeRef[]): Conjunction {
  if (refs.length !== 1) return build(documents, refs);
  let byKey = cache.get(documents);
  if (byKey === undefined) cache.set(documents, (byKey = new Map()));
  const key = `${refs[0]!.uri}#${refs[0]!.pointer}`;
  let base = byKey.get(key);
  if (base === undefined) byKey.set(key, (base = build(documents, refs)));
  if (base.choices.length === 0) return base;
  return { ...base, nodes: [...base.nodes], choices: [...base.choices], roots: [...base.roots], seen: new Set(base.seen), memo: new Map() };
}

function build(documents: DocumentSet, refs: NodeRef[]): Conjunction {
  const conjunction: Conjunction = { nodes: [], choices: [], nullOk: true, impossible: false, roots: [...refs], seen: new Set(), memo: new Map() };
  for (const at of refs) addBranch(documents, conjunction, at);
  return conjunction;
}

/** Add one more schema the value must satisfy (a `oneOf` / `anyOf` branch picked). */
export function addBranch(documents: DocumentSet, conjunction: Conjunction, at: NodeRef): void {
  if (!conjunction.roots.includes(at)) conjunction.roots.push(at);
  if (!addNode(documents, at, conjunction, conjunction.seen)) conjunction.nullOk = false;
}

/** Add the schema at `at` (and what it reaches through `$ref` and `allOf`); returns whether it accepts null. */
export function addNode(documents: DocumentSet, at: NodeRef, into: Conjunction, seen: Set<string>): boolean {
  const key = `${at.uri}#${at.pointer}`;
  // An `allOf` that reaches itself again adds nothing new, and must not loop.
  if (seen.has(key)) return true;
  seen.add(key);
  const value = documents.valueAt(at);
  if (value === false) {
    into.impossible = true;
    return false;
  }
  // `true`, a dangling reference (compiled as "anything"), or not a schema at all.
  if (!isObject(value)) return true;
  const dialect = documents.dialectOf(at.uri);
  const node: SchemaNode = { raw: value, at, dialect };
  if (typeof value.$ref === 'string') {
    let target: NodeRef;
    try {
      target = documents.target(value.$ref, at.uri);
    } catch {
      return true;
    }
    const targetNullOk = addNode(documents, target, into, seen);
    // OpenAPI 3.0.3 §4.7.24: siblings of `$ref` are ignored, except the nullable flag that
    // recon's normaliser honours. In 3.1 the siblings apply beside the reference.
    if (dialect !== 'openapi-3.1') return isNullable(value, dialect) || targetNullOk;
    const { $ref: _ref, ...siblings } = value;
    return addOwn(documents, { ...node, raw: siblings }, into, seen) && targetNullOk;
  }
  return addOwn(documents, node, into, seen);
}

function addOwn(documents: DocumentSet, node: SchemaNode, into: Conjunction, seen: Set<string>): boolean {
  into.nodes.push(node);
  let nullOk = acceptsNullItself(node);
  const { raw, at } = node;
  if (Array.isArray(raw.allOf)) {
    raw.allOf.forEach((_, i) => {
      if (!addNode(documents, childRef(at, 'allOf', i), into, seen)) nullOk = false;
    });
  }
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branches = raw[keyword];
    if (Array.isArray(branches) && branches.length > 0) {
      into.choices.push({ keyword, node, branches: branches.map((_, i) => childRef(at, keyword, i)) });
      nullOk = false; // conservative: the branch picked may not accept null
    }
  }
  // The normaliser wraps a nullable schema as `anyOf: [schema, {type: null}]` when other
  // keywords would reject null: null is then always accepted.
  return isNullable(raw, node.dialect) || nullOk;
}

function acceptsNullItself(node: SchemaNode): boolean {
  const types = typesOf(node);
  if (types !== undefined && !types.has('null')) return false;
  const values = enumOf(node);
  if (values !== undefined && !values.includes(null)) return false;
  if ('const' in node.raw && node.raw.const !== null) return false;
  return true;
}
