/**
 * Compare an old and a new schema from the client's side. In a request the client writes the
 * value, so the vendor accepting less breaks it; in a response the client reads the value, so
 * the vendor sending more (new types, null, enum values) or less (properties) breaks it.
 */
import { MAX_SCHEMA_DEPTH } from '../../spec/schema/index.js';
import type { NodeRef } from '../../spec/index.js';
import type { ChangeKind } from './kinds.js';
import { BOUNDS, UPPER_BOUNDS, readSchemaView, type SchemaView } from './schema-view.js';
import type { DiffScope, Node } from './scope.js';
import type { Side } from './types.js';

/** Which value is compared: a parameter or a body, in a request or a response. */
export interface SchemaPlace {
  direction: 'request' | 'response';
  subject: 'parameter' | 'body';
  /** `parameter query:limit`, `request application/json`, `response 200 application/json`. */
  where: string;
}

/** What comparing a pair found: `dirty` when a change was seen below it (or cannot be ruled
 * out); `low` the stack depth of the outermost ancestor its cleanliness still depends on. */
export interface PairResult {
  dirty: boolean;
  low: number;
}

const CLEAN: PairResult = { dirty: false, low: Infinity };

/** Visible properties per (cached, read-only) view and direction. */
const VISIBLE = new WeakMap<SchemaView, { readOnly?: Map<string, Node>; writeOnly?: Map<string, Node> }>();

/**
 * Compare two schemas, reporting into `scope`. Cycles end at a pair already on the stack; the
 * result lets the caller know whether anything below changed, so that clean pairs are cached
 * across operations (a pair in a cycle is clean once the cycle's outermost pair is: the
 * strongly-connected-components argument of Tarjan's algorithm, on the stack depth).
 * @example
 * compareSchemas(scope, { direction: 'response', subject: 'body', where: 'response 200 application/json' }, oldNode, newNode);
 */
export function compareSchemas(scope: DiffScope, place: SchemaPlace, oldNode: Node, newNode: Node, property = ''): PairResult {
  // Most schemas of two versions are the same leaves (`{type: string}`): equal text without a
  // `$ref` in it, read in the same dialect, means the same thing. Checked before anything is built.
  const dialects = scope.documents('old').dialectOf(oldNode.at.uri) === scope.documents('new').dialectOf(newNode.at.uri);
  if (dialects && sameWithoutRefs(oldNode.value, newNode.value, 0)) return CLEAN;
  const before = readSchemaView(scope.documents('old'), oldNode);
  const after = readSchemaView(scope.documents('new'), newNode);
  if (!before || !after) return CLEAN;
  const key = `${place.direction}|${before.id}|${after.id}`;
  if (scope.clean.has(key)) return CLEAN;
  const depth = scope.onStack.get(key);
  if (depth !== undefined) return { dirty: false, low: depth };
  const done = scope.done.get(key);
  if (done) {
    const waitsOn = done.dependsOn === undefined ? undefined : scope.onStack.get(done.dependsOn);
    return done.dirty || waitsOn === undefined ? { dirty: true, low: Infinity } : { dirty: false, low: waitsOn };
  }

  const here = scope.stack.length;
  // Vendor graphs nest a few dozen pairs deep (Tripletex: 22); deeper is hostile. Stop without
  // claiming cleanliness, so nothing below is cached as unchanged.
  if (here >= MAX_SCHEMA_DEPTH) return { dirty: true, low: Infinity };
  const reported = scope.changes.length;
  const pendingFrom = scope.pending.length;
  scope.stack.push(key);
  scope.onStack.set(key, here);
  const below = new SchemaComparison(scope, place, property, before, after).run();
  scope.stack.pop();
  scope.onStack.delete(key);

  const dirty = below.dirty || scope.changes.length > reported;
  if (dirty) {
    scope.done.set(key, { dirty: true });
    scope.pending.length = pendingFrom; // their cleanliness is unknown now: never cached
    return { dirty: true, low: Infinity };
  }
  if (below.low >= here) {
    scope.clean.add(key);
    for (const waiting of scope.pending.splice(pendingFrom)) scope.clean.add(waiting);
    return CLEAN;
  }
  scope.done.set(key, { dirty: false, dependsOn: scope.stack[below.low]! });
  scope.pending.push(key);
  return { dirty: false, low: below.low };
}

class SchemaComparison {
  private readonly request: boolean;
  private readonly result: PairResult = { dirty: false, low: Infinity };

  constructor(
    private readonly scope: DiffScope,
    private readonly place: SchemaPlace,
    private readonly property: string,
    private readonly before: SchemaView,
    private readonly after: SchemaView,
  ) {
    this.request = place.direction === 'request';
  }

  run(): PairResult {
    this.types();
    this.nullability();
    this.enums();
    if (this.request) this.bounds();
    if (hasType(this.before, 'object') && hasType(this.after, 'object')) this.properties();
    if (hasType(this.before, 'array') && hasType(this.after, 'array') && this.before.items && this.after.items) {
      this.child(this.before.items, this.after.items, `${this.property}[]`);
    }
    if (this.before.additionalProperties && this.after.additionalProperties) {
      this.child(this.before.additionalProperties, this.after.additionalProperties, `${this.property}{*}`);
    }
    this.branches();
    return this.result;
  }

  private child(oldNode: Node, newNode: Node, property: string): void {
    const { dirty, low } = compareSchemas(this.scope, this.place, oldNode, newNode, property);
    this.result.dirty ||= dirty;
    this.result.low = Math.min(this.result.low, low);
  }

  private report(kind: ChangeKind, side: Side, at: NodeRef, message: string, before?: unknown, after?: unknown, property = this.property): void {
    const subject = property === '' ? this.place.where : `${this.place.where}: ${property}`;
    this.scope.report(kind, side, at, `${subject} ${message}`, { where: this.place.where, property, before, after });
  }

  private types(): void {
    const { types: was } = this.before;
    const { types: now } = this.after;
    if (!was || !now) return;
    const lost = [...was].filter((t) => !accepts(now, t));
    const gained = [...now].filter((t) => !accepts(was, t));
    const text = `type ${list(was)} → ${list(now)}`;
    if (this.request) {
      const changed: ChangeKind = this.place.subject === 'parameter' ? 'parameter-type-changed' : 'request-type-changed';
      if (lost.length > 0) this.report(changed, 'new', this.after.at, text, [...was], [...now]);
      else if (gained.length > 0) this.report('request-type-widened', 'new', this.after.at, text, [...was], [...now]);
    } else if (gained.length > 0) {
      this.report('response-type-changed', 'new', this.after.at, text, [...was], [...now]);
    }
  }

  private nullability(): void {
    if (!this.request && !this.before.nullable && this.after.nullable) {
      this.report('response-made-nullable', 'new', this.after.at, 'may now be null');
    }
    if (this.request && this.before.nullable && !this.after.nullable) {
      const kind: ChangeKind = this.place.subject === 'parameter' ? 'parameter-type-changed' : 'request-type-changed';
      this.report(kind, 'new', this.after.at, 'no longer accepts null');
    }
  }

  private enums(): void {
    const was = this.before.enum;
    const now = this.after.enum;
    if (was === undefined && now === undefined) return;
    const at = this.after.at;
    if (was === undefined) {
      if (this.request) this.report('request-constraint-tightened', 'new', at, `is now restricted to ${values(now!)}`, undefined, now);
      return;
    }
    if (now === undefined) {
      if (!this.request) this.report('response-enum-value-added', 'new', at, `is no longer restricted to ${values(was)}`, was, undefined);
      return;
    }
    const wasKeys = new Set(was.map(keyOf));
    const nowKeys = new Set(now.map(keyOf));
    const added = now.filter((v) => !wasKeys.has(keyOf(v)));
    const removed = was.filter((v) => !nowKeys.has(keyOf(v)));
    if (this.request) {
      if (removed.length > 0) this.report('request-enum-value-removed', 'new', at, `no longer accepts ${values(removed)}`, was, now);
      if (added.length > 0) this.report('request-enum-value-added', 'new', at, `also accepts ${values(added)}`, was, now);
    } else if (added.length > 0) {
      this.report('response-enum-value-added', 'new', at, `may now be ${values(added)}`, was, now);
    }
  }

  /** Only for requests: a response that promises narrower values never hurts its reader. */
  private bounds(): void {
    const at = this.after.at;
    for (const bound of BOUNDS) {
      const was = this.before.bounds[bound];
      const now = this.after.bounds[bound];
      if (now === undefined || now === was) continue;
      const tighter = was === undefined || (UPPER_BOUNDS.has(bound) ? now < was : now > was);
      if (tighter) this.report('request-constraint-tightened', 'new', at, `${bound} ${was ?? '(none)'} → ${now}`, was, now);
    }
    const { pattern: was } = this.before;
    const { pattern: now } = this.after;
    if (now !== undefined && now !== was) {
      this.report('request-constraint-tightened', 'new', at, was === undefined ? `pattern ${now} added` : `pattern ${was} → ${now}`, was, now);
    }
  }

  private properties(): void {
    const was = this.visible(this.before);
    const now = this.visible(this.after);
    const name = (p: string) => (this.property === '' ? p : `${this.property}.${p}`);
    for (const [prop, node] of was) {
      if (now.has(prop)) continue;
      const kind: ChangeKind = this.request ? 'request-property-removed' : 'response-property-removed';
      this.report(kind, 'old', node.at, 'removed', undefined, undefined, name(prop));
    }
    for (const [prop, node] of now) {
      const old = was.get(prop);
      const requiredNow = this.after.required.has(prop);
      const requiredBefore = this.before.required.has(prop);
      if (!old) {
        const kind: ChangeKind =
          !this.request ? 'response-property-added'
          : requiredNow ? 'request-property-added-required'
          : 'request-property-added-optional';
        this.report(kind, 'new', node.at, requiredNow ? 'added (required)' : 'added', undefined, undefined, name(prop));
        continue;
      }
      if (this.request && requiredNow && !requiredBefore) {
        this.report('request-property-made-required', 'new', node.at, 'is now required', false, true, name(prop));
      }
      if (!this.request && requiredBefore && !requiredNow) {
        this.report('response-property-made-optional', 'new', node.at, 'is no longer required (may be absent)', true, false, name(prop));
      }
      this.child(old, node, name(prop));
    }
  }

  /** The properties a client sees in this direction: readOnly ones are never sent, writeOnly never read. */
  private visible(view: SchemaView): Map<string, Node> {
    const hidden = this.request ? 'readOnly' : 'writeOnly';
    let byDirection = VISIBLE.get(view);
    if (!byDirection) VISIBLE.set(view, (byDirection = {}));
    const cached = byDirection[hidden];
    if (cached) return cached;
    const side = view === this.before ? 'old' : 'new';
    const out = new Map<string, Node>();
    for (const [name, node] of view.properties) {
      const property = readSchemaView(this.scope.documents(side), node);
      if (property?.[hidden]) continue;
      out.set(name, node);
    }
    byDirection[hidden] = out;
    return out;
  }

  /** oneOf/anyOf: pair branches by the schema they name, else by position. */
  private branches(): void {
    const was = this.before.branches;
    const now = this.after.branches;
    if (was.length === 0 && now.length === 0) return;
    const byName = (nodes: Node[]) => new Map(nodes.map((n, i) => [branchName(n) ?? `#${i}`, n]));
    const oldByName = byName(was);
    const newByName = byName(now);
    for (const [name, node] of newByName) {
      const old = oldByName.get(name);
      if (old) this.child(old, node, this.property);
      else if (!this.request && was.length > 0) this.report('response-type-changed', 'new', node.at, `may now also be ${name}`);
    }
    if (this.request && now.length > 0) {
      for (const [name, node] of oldByName) {
        if (!newByName.has(name)) this.report('request-type-changed', 'old', node.at, `no longer accepts ${name}`);
      }
    }
  }
}

/** Deep equality of two JSON values that contain no `$ref` (a reference may point at
 * different schemas in the two documents); false when unsure. */
function sameWithoutRefs(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || depth > 16) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (key === '$ref' || !Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!sameWithoutRefs((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** `integer` is a `number`: a schema that takes numbers takes integers. */
function accepts(types: Set<string>, type: string): boolean {
  return types.has(type) || (type === 'integer' && types.has('number'));
}

function hasType(view: SchemaView, type: string): boolean {
  return view.types === undefined || view.types.has(type);
}

function branchName(node: Node): string | undefined {
  const ref = (node.value as { $ref?: unknown } | null)?.$ref;
  return typeof ref === 'string' ? ref.slice(ref.lastIndexOf('/') + 1) : undefined;
}

function keyOf(value: unknown): string {
  return JSON.stringify(value);
}

function list(types: Set<string>): string {
  return [...types].join('|');
}

function values(list: unknown[]): string {
  return list.map((v) => JSON.stringify(v)).join(', ');
}
