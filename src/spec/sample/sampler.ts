/**
 * The sampler: one value for a set of schemas (a conjunction), recursively. Objects get their
 * required properties and a seeded share of the optional ones, and never a property their
 * schemas do not declare (drift reports those); `oneOf` / `anyOf` get one branch, a `oneOf`
 * value is checked to match exactly that one; depth and a value budget cut reference cycles.
 */
import type { ApiSpec } from '../api-spec.js';
import type { NodeRef } from '../types.js';
import { addBranch, flatten, memoised, type Choice, type Conjunction } from './conjunction.js';
import { discriminatorValue } from './discriminator.js';
import { sampleNumber } from './numbers.js';
import { OPTIONAL_SHARE, type SampleContextOptions } from './options.js';
import type { Random } from './random.js';
import { mergeArray, mergeNumber, mergeObject, mergeString, mergeTypes, pickType } from './merge.js';
import { enumOf, examplesOf, type JsonType } from './reading.js';
import { sampleString } from './strings.js';

/** A schema the sampler could not satisfy, and why; the value returned is the closest it got. */
export interface SampleProblem {
  /** `file.yaml#/components/schemas/X/properties/code`. */
  at: string;
  reason: string;
}

/** Levels past `maxDepth` at which a chain of required properties is given up on. */
const RUNAWAY_DEPTH = 24;
/** Tries at a `oneOf` before settling for a value that matches more than one branch. */
const ONE_OF_ATTEMPTS = 4;

interface Place {
  depth: number;
  /** Arrays around this value: 0 for the outermost array (the list of a list response). */
  arrayDepth: number;
}

export class Sampler {
  readonly problems: SampleProblem[] = [];
  /** Items made in list arrays (see `isList`), to size the next try at `minBodyBytes`. */
  listItemsMade = 0;
  /** Values generated so far; past `budget`, optional properties are left out everywhere. */
  private generated = 0;
  private readonly budget: number;

  constructor(
    private readonly spec: ApiSpec,
    private readonly options: SampleContextOptions,
    private readonly random: Random,
  ) {
    this.budget = options.maxValues * Math.max(1, options.listItems ?? 1);
  }

  /** A value valid against every schema in `refs`. */
  value(refs: NodeRef[], place: Place): unknown {
    this.generated++;
    let value: unknown = null;
    for (let attempt = 0; attempt < ONE_OF_ATTEMPTS; attempt++) {
      const conjunction = flatten(this.spec.documents, refs);
      const forced = new Map<string, unknown>();
      const oneOfs = this.choose(conjunction, forced, attempt);
      value = this.generate(conjunction, forced, place);
      if (oneOfs.every(({ choice, branch }) => this.matchesOnly(choice, branch, value))) return value;
    }
    this.problem(refs[0], 'no value found that matches exactly one oneOf branch');
    return value;
  }

  /** Pick a branch of every `oneOf` / `anyOf`, including those the picked branches bring in. */
  private choose(conjunction: Conjunction, forced: Map<string, unknown>, attempt: number): { choice: Choice; branch: NodeRef }[] {
    const oneOfs: { choice: Choice; branch: NodeRef }[] = [];
    for (let i = 0; i < conjunction.choices.length && i < 64; i++) {
      const choice = conjunction.choices[i]!;
      const index = (this.random.int(0, choice.branches.length - 1) + attempt) % choice.branches.length;
      const branch = choice.branches[index]!;
      const discriminator = discriminatorValue(this.spec.documents, choice, branch);
      if (discriminator !== undefined) forced.set(discriminator.propertyName, discriminator.value);
      addBranch(this.spec.documents, conjunction, branch);
      if (choice.keyword === 'oneOf') oneOfs.push({ choice, branch });
    }
    return oneOfs;
  }

  private matchesOnly(choice: Choice, branch: NodeRef, value: unknown): boolean {
    return choice.branches.every((other) => (other === branch) === this.spec.validator(other)(value));
  }

  private generate(conjunction: Conjunction, forced: Map<string, unknown>, place: Place): unknown {
    const first = conjunction.roots[0];
    if (conjunction.impossible) {
      this.problem(first, 'a `false` schema: nothing validates');
      return null;
    }
    if (place.depth > this.options.maxDepth + RUNAWAY_DEPTH) {
      this.problem(first, 'required properties recurse without end (cut with null)');
      return null;
    }
    const cut = place.depth >= this.options.maxDepth || this.generated >= this.budget;
    const { nodes } = conjunction;

    if (this.options.useExamples) {
      const example = this.example(conjunction, (v) => v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')));
      if (example.found) return example.value;
    }
    const constNode = nodes.find((node) => 'const' in node.raw);
    if (constNode !== undefined) return constNode.raw.const;

    const types = memoised(conjunction, 'types', () => mergeTypes(nodes));
    const enums = memoised(conjunction, 'enums', () => nodes.map(enumOf).filter((values): values is unknown[] => values !== undefined));
    if (enums.length > 0) return this.fromEnums(enums, types, conjunction, cut);

    const type = pickType(types, nodes);
    if (type === undefined) {
      this.problem(first, 'the schemas allow no type in common');
      return null;
    }
    // At the depth limit a nullable object or array becomes null: the cut that ends a cycle.
    if (cut && conjunction.nullOk && (type === 'object' || type === 'array')) return null;
    switch (type) {
      case 'null':
        return null;
      case 'boolean':
        return this.random.chance(0.5);
      case 'integer':
      case 'number': {
        const { bounds, format } = memoised(conjunction, 'number', () => mergeNumber(nodes));
        const value = sampleNumber(this.random, type === 'integer', bounds, format);
        if (value !== undefined) return value;
        return this.unsatisfiable(conjunction, `no ${type} within ${JSON.stringify(bounds)}`, 0);
      }
      case 'string': {
        const constraints = memoised(conjunction, 'string', () => mergeString(nodes));
        const value = sampleString(this.random, constraints);
        if (value !== undefined) return value;
        const what = constraints.patterns.length > 0 ? `pattern ${constraints.patterns.map((p) => p.source).join(' and ')}` : `format ${constraints.format ?? ''} within the length bounds`;
        return this.unsatisfiable(conjunction, `unsatisfiable here: ${what}`, 'x'.repeat(constraints.minLength));
      }
      case 'array':
        return this.array(conjunction, place, cut);
      case 'object':
        return this.object(conjunction, forced, place, cut);
    }
  }

  /** The first documented example (`example`, `examples`, `default`) that `accept` takes and
   * that validates against every schema of the conjunction. */
  private example(conjunction: Conjunction, accept: (value: unknown) => boolean): { found: boolean; value?: unknown } {
    const candidates = memoised(conjunction, 'examples', () => conjunction.nodes.flatMap((node) => examplesOf(node.raw)));
    for (const candidate of candidates) {
      if (accept(candidate) && conjunction.roots.every((at) => this.spec.validator(at)(candidate))) return { found: true, value: candidate };
    }
    return { found: false };
  }

  private unsatisfiable(conjunction: Conjunction, reason: string, fallback: unknown): unknown {
    const example = this.example(conjunction, () => true);
    if (example.found) return example.value;
    this.problem(conjunction.roots[0], reason);
    return fallback;
  }

  private fromEnums(enums: unknown[][], types: Set<JsonType> | undefined, conjunction: Conjunction, cut: boolean): unknown {
    const key = (v: unknown): string => JSON.stringify(v);
    const others = enums.slice(1).map((values) => new Set(values.map(key)));
    const common = enums[0]!.filter((v) => others.every((set) => set.has(key(v))) && (types === undefined || types.has(typeOf(v)) || (typeOf(v) === 'integer' && types.has('number'))));
    // null only when nothing else is allowed, or to cut a cycle.
    const nonNull = common.filter((v) => v !== null);
    const candidates = nonNull.length > 0 && !(cut && common.includes(null) && conjunction.nullOk) ? nonNull : common;
    if (candidates.length === 0) return this.unsatisfiable(conjunction, 'no enum value is allowed by all the schemas', enums[0]![0]);
    return this.random.pick(candidates);
  }

  private array(conjunction: Conjunction, place: Place, cut: boolean): unknown[] {
    const shape = memoised(conjunction, 'array', () => mergeArray(conjunction.nodes));
    const [low, high] = this.options.arrayItems;
    const list = isList(place);
    let count =
      list && this.options.listItems !== undefined ? this.options.listItems
      : cut ? 0
      : this.random.int(low, high);
    count = Math.min(Math.max(count, shape.minItems), shape.maxItems);
    const out: unknown[] = [];
    const seen = new Set<string>();
    const inner = { depth: place.depth + 1, arrayDepth: place.arrayDepth + 1 };
    for (let i = 0; i < count; i++) {
      const refs = shape.itemRefs(i);
      if (refs === undefined) break; // no schema allows an item here
      let item = this.value(refs, inner);
      // uniqueItems: a few more draws, then stop short (or report, below minItems).
      for (let retry = 0; shape.uniqueItems && seen.has(JSON.stringify(item)) && retry < 5; retry++) item = this.value(refs, inner);
      if (shape.uniqueItems) {
        const key = JSON.stringify(item);
        if (seen.has(key)) break;
        seen.add(key);
      }
      out.push(item);
    }
    if (list) this.listItemsMade += out.length;
    if (out.length < shape.minItems) this.problem(conjunction.roots[0], `could not make the ${shape.minItems} items minItems asks for`);
    return out;
  }

  private object(conjunction: Conjunction, forced: Map<string, unknown>, place: Place, cut: boolean): Record<string, unknown> {
    const shape = memoised(conjunction, 'object', () => mergeObject(conjunction.nodes));
    const out: Record<string, unknown> = {};
    const inner = { depth: place.depth + 1, arrayDepth: place.arrayDepth };
    const share = this.options.optionalProperties === 'all' ? 1 : this.options.optionalProperties === 'none' ? 0 : place.depth === 0 ? 1 : OPTIONAL_SHARE * 0.5 ** (place.depth - 1);
    let count = 0;
    const put = (name: string, refs: NodeRef[]): void => {
      setOwn(out, name, forced.has(name) ? forced.get(name) : this.value(refs, inner));
      count++;
    };
    const skipped: string[] = [];
    for (const name of shape.names) {
      const refs = shape.refsFor(name);
      if (refs === undefined) {
        if (shape.required.has(name)) this.problem(conjunction.roots[0], `required property "${name}" is forbidden by additionalProperties: false`);
        continue;
      }
      const optional = !shape.required.has(name) && !forced.has(name);
      if (optional && (cut || this.generated >= this.budget || !this.random.chance(share))) skipped.push(name);
      else put(name, refs);
    }
    for (const name of [...shape.required, ...forced.keys()]) {
      if (Object.prototype.hasOwnProperty.call(out, name) || shape.names.includes(name)) continue;
      const refs = shape.refsFor(name);
      if (refs === undefined) continue;
      if (!shape.documentsAdditional) this.problem(conjunction.roots[0], `required property "${name}" is not declared in properties`);
      put(name, refs);
    }
    // A map (`additionalProperties` documented, no properties): a couple of entries.
    const mapEntries = shape.names.length === 0 && shape.documentsAdditional && !cut ? this.random.int(1, 2) : 0;
    let key = 1;
    const addEntry = (): boolean => {
      for (; key < 1000; key++) {
        const name = `key${key}`;
        const refs = Object.prototype.hasOwnProperty.call(out, name) ? undefined : shape.refsFor(name);
        if (refs !== undefined) {
          put(name, refs);
          return true;
        }
      }
      return false;
    };
    for (let i = 0; i < mapEntries; i++) addEntry();
    while (count < shape.minProperties) {
      const name = skipped.shift();
      if (name !== undefined) put(name, shape.refsFor(name)!);
      else if (!shape.documentsAdditional || !addEntry()) {
        this.problem(conjunction.roots[0], `could not reach minProperties ${shape.minProperties} with declared properties`);
        break;
      }
    }
    for (const name of Object.keys(out).reverse()) {
      if (count <= shape.maxProperties) break;
      if (shape.required.has(name)) continue;
      delete out[name];
      count--;
    }
    return out;
  }

  private problem(at: NodeRef | undefined, reason: string): void {
    const where = at === undefined ? '(unknown)' : this.spec.documents.describe(at);
    if (!this.problems.some((p) => p.at === where && p.reason === reason)) this.problems.push({ at: where, reason });
  }
}

/**
 * The list of a list response: an array in no other array, the body itself or one of its
 * properties (`{ values: [...] }`). Arrays deeper inside (an employee's `changes`) are not.
 */
function isList(place: Place): boolean {
  return place.arrayDepth === 0 && place.depth <= 1;
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

/** `out[name] = value`, also for `__proto__` (an assignment would set the prototype). */
function setOwn(out: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  else out[name] = value;
}
