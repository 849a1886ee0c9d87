/**
 * One walk of one value against one schema: the keyword checks, in the order a person reads a
 * finding (type before enum before bounds), with one mutable path stack and issues built only
 * when something is wrong. Composition (anyOf/oneOf/not/if) lives in compose.ts.
 */
import type { NodeRef } from '../../spec/types.js';
import type { SchemaIssue } from '../types.js';
import { MAX_SCHEMA_DEPTH } from '../../spec/schema/index.js';
import { recogniseFormat } from '../formats.js';
import { applyIf, applyNot, chooseBranches } from './compose.js';
import { findDuplicate, jsonEqual } from './equal.js';
import { T_ARRAY, T_INTEGER, T_NUMBER, T_OBJECT, T_STRING, type Plan, type Planner } from './plan.js';
import { Sink } from './sink.js';
import { codePoints, isMultipleOf, pointerOf, typeBit, typeName } from './values.js';

export interface WalkSettings {
  strictProperties: boolean;
  maxDepth: number;
  maxIssues: number;
}

type Extra = Partial<Pick<SchemaIssue, 'expected' | 'value' | 'observedType' | 'observedFormat' | 'property' | 'contradicts'>>;

const hasOwn = Object.prototype.hasOwnProperty;
const NO_BRANCH: string[] = [];
const MAX_TRIAL_STEPS = 200_000;

export class Walk {
  readonly path: (string | number)[] = [];
  readonly branch: string[] = [];
  /** Plans applied to the object being checked at each level (for undocumented-property). */
  readonly applied: Plan[] = [];
  /** Per entry of `applied`: that plan declared every member of the object (the usual case,
   * which lets undocumented-property skip its own pass over the members). */
  readonly coversAll: boolean[] = [];
  /** Per entry of `applied`: the branches it was applied under (for its undocumented members). */
  readonly appliedBranch: string[][] = [];
  /** `$ref`s being followed, with the instance depth each was followed at (cycle check). */
  private readonly refPlans: Plan[] = [];
  private readonly refDepths: number[] = [];
  /** Where the plans applied to the object being checked start in `applied`. */
  objectStart = 0;
  sink: Sink;
  truncated: string | undefined;
  /** Nested `apply` calls, and their number where the current value arrived: schemas that
   * nest without consuming data (`allOf` in `allOf`…) are bounded like the compiler's. */
  private applyDepth = 0;
  private levelBase = 0;
  /** Schemas applied while trying branches since the outermost trial began: nested `oneOf`s
   * on recursive schemas cost branches^depth (as in any validator), so one composition that
   * needs more than MAX_TRIAL_STEPS stops the walk. */
  private trialSteps = 0;
  readonly main: Sink;

  constructor(
    readonly planner: Planner,
    readonly settings: WalkSettings,
  ) {
    this.sink = new Sink(Infinity, settings.maxIssues, true);
    this.main = this.sink;
  }

  report(kind: SchemaIssue['kind'], schema: NodeRef, keyword: string, extra: Extra, property?: string): void {
    const sink = this.sink;
    if (sink.stopped) return;
    const path = this.path.slice();
    if (property !== undefined) {
      path.push(property);
      sink.issues.push({ kind, path, schema, keyword, property, branch: this.branch.slice(), ...extra });
    } else {
      if (kind === 'type-mismatch' && path.length === sink.rootDepth) sink.rootMismatch = true;
      sink.issues.push({ kind, path, schema, keyword, branch: this.branch.slice(), ...extra });
    }
    this.count(sink, kind === 'undocumented-property' && extra.contradicts !== true);
  }

  /** Move issues found on a scratch sink (a chosen branch) to the current one. */
  adopt(scratch: Sink): void {
    for (const issue of scratch.issues) {
      if (this.sink.stopped) return;
      this.sink.issues.push(issue);
      this.count(this.sink, issue.kind === 'undocumented-property' && issue.contradicts !== true);
    }
  }

  private count(sink: Sink, warning: boolean): void {
    if (!warning) sink.errors++;
    if (sink.errors > sink.maxErrors) sink.stopped = true;
    if (sink.issues.length >= sink.maxIssues) {
      sink.stopped = true;
      if (sink.main) this.truncated ??= `stopped after ${sink.maxIssues} issues`;
    }
  }

  /** `value` arrives at `plan` (the body, a property, an item). */
  checkValue(plan: Plan, value: unknown): void {
    if (!plan.ready) this.planner.prepare(plan);
    if (plan.anything || this.sink.stopped) return;
    // No try/finally on the hot path: a walk is used once, and check() abandons it on a throw.
    const outerBase = this.levelBase;
    this.levelBase = this.applyDepth;
    this.checkArrived(plan, value);
    this.levelBase = outerBase;
  }

  private checkArrived(plan: Plan, value: unknown): void {
    if (value === null) return this.checkNull(plan);
    if (typeof value !== 'object') return this.apply(plan, value);
    if (this.path.length >= this.settings.maxDepth) {
      this.truncated ??= `value nests deeper than ${this.settings.maxDepth} levels; not checked below ${pointerOf(this.path)}`;
      return;
    }
    if (Array.isArray(value)) return this.apply(plan, value);
    const start = this.applied.length;
    const outer = this.objectStart;
    this.objectStart = start;
    this.apply(plan, value);
    if (this.settings.strictProperties) this.undocumented(value as Record<string, unknown>, start);
    this.applied.length = start;
    this.objectStart = outer;
  }

  /**
   * A null is one finding, at the schema it arrived at (where `nullable: true` would go), not
   * one per branch or `$ref` that rejects it.
   */
  private checkNull(plan: Plan): void {
    const scratch = this.trial(plan, null, 0);
    const first = scratch.issues.find((issue) => issue.kind !== 'undocumented-property' || issue.contradicts);
    if (first === undefined) return;
    this.report('unexpected-null', plan.at, first.keyword, { expected: first.expected, value: null, observedType: 'null' });
  }

  /** Apply `plan` to `value` on a scratch sink that stops after `maxErrors`; nothing it
   * applies counts for undocumented-property. */
  trial(plan: Plan, value: unknown, maxErrors: number): Sink {
    this.beginTrials();
    const saved = this.sink;
    const start = this.applied.length;
    const scratch = new Sink(maxErrors, this.settings.maxIssues);
    this.sink = scratch;
    try {
      this.apply(plan, value);
    } finally {
      this.sink = saved;
      this.applied.length = start;
    }
    return scratch;
  }

  /** Called before trying branches: the outermost composition gets a fresh step budget. */
  beginTrials(): void {
    if (this.sink === this.main) this.trialSteps = 0;
  }

  /** Every keyword of `plan` on `value`. */
  apply(plan: Plan, value: unknown): void {
    if (!plan.ready) this.planner.prepare(plan);
    if (plan.anything || this.sink.stopped) return;
    if (this.applyDepth - this.levelBase >= MAX_SCHEMA_DEPTH) {
      this.truncated ??= `schema nests deeper than ${MAX_SCHEMA_DEPTH} levels at ${this.planner.documents.describe(plan.at)}; not checked further`;
      return;
    }
    if (this.sink !== this.main && ++this.trialSteps > MAX_TRIAL_STEPS) {
      this.truncated ??= `stopped after trying ${MAX_TRIAL_STEPS} schemas in the branches of one oneOf/anyOf/not/if`;
      this.main.stopped = true;
      this.sink.stopped = true;
      return;
    }
    this.applyDepth++;
    this.applyKeywords(plan, value);
    this.applyDepth--;
  }

  private applyKeywords(plan: Plan, value: unknown): void {
    if (plan.never) return this.report('constraint-violation', plan.at, 'false', { expected: false, value });
    if (value === null && plan.nullable) return;
    const type = typeBit(value);
    let slot = -1;
    if (type === T_OBJECT) {
      slot = this.applied.length;
      this.applied.push(plan);
      this.coversAll[slot] = false;
      this.appliedBranch[slot] = this.branch.length === 0 ? NO_BRANCH : this.branch.slice();
    }
    if (plan.ref !== undefined) {
      this.followRef(plan.ref, value);
      if (plan.refOnly) return;
    }
    if (plan.types !== 0 && (plan.types & type) === 0) {
      return this.report('type-mismatch', plan.at, 'type', { expected: plan.typeNames, value, observedType: typeName(type) });
    }
    if (plan.enumValues !== undefined && !this.inEnum(plan, value)) {
      this.report('enum-mismatch', plan.at, 'enum', { expected: plan.enumValues, value });
    }
    if (plan.hasConst && !jsonEqual(plan.constValue, value)) {
      this.report('enum-mismatch', plan.at, 'const', { expected: [plan.constValue], value });
    }
    if (type === T_STRING) this.checkString(plan, value as string);
    else if (type === T_OBJECT) this.checkObject(plan, value as Record<string, unknown>, slot);
    else if (type === T_ARRAY) this.checkArray(plan, value as unknown[]);
    else if (type & (T_INTEGER | T_NUMBER)) this.checkNumber(plan, value as number);
    if (plan.allOf !== undefined) for (const branch of plan.allOf) this.apply(branch, value);
    if (plan.anyOf !== undefined) chooseBranches(this, plan, 'anyOf', plan.anyOf, value);
    if (plan.oneOf !== undefined) chooseBranches(this, plan, 'oneOf', plan.oneOf, value);
    if (plan.not !== undefined) applyNot(this, plan, value);
    if (plan.if !== undefined) applyIf(this, plan, value);
  }

  /** A cycle of references that consumes no data (`A: {$ref: B}`, `B: {$ref: A}`, or
   * `A: {allOf: [{$ref: A}]}`) closes here and accepts; Employee → Department → Employee
   * consumes a level of data per turn and so is bounded by the data. */
  private followRef(target: Plan, value: unknown): void {
    const depth = this.path.length;
    for (let i = this.refPlans.length - 1; i >= 0 && this.refDepths[i] === depth; i--) {
      if (this.refPlans[i] === target) return;
    }
    this.refPlans.push(target);
    this.refDepths.push(depth);
    this.apply(target, value);
    this.refPlans.pop();
    this.refDepths.pop();
  }

  private inEnum(plan: Plan, value: unknown): boolean {
    if (value === null || typeof value !== 'object') return plan.enumPrimitives!.has(value);
    return plan.enumHasContainers && plan.enumValues!.some((member) => jsonEqual(member, value));
  }

  private checkString(plan: Plan, value: string): void {
    if (plan.minLength !== undefined || plan.maxLength !== undefined) {
      // 2020-12 validation §6.3.1: length in code points, which is at most the UTF-16 length.
      const length = value.length > (plan.maxLength ?? Infinity) || value.length < 2 * (plan.minLength ?? 0) ? codePoints(value) : value.length;
      if (plan.maxLength !== undefined && length > plan.maxLength) this.bound(plan, 'maxLength', plan.maxLength, value);
      if (plan.minLength !== undefined && length < plan.minLength) this.bound(plan, 'minLength', plan.minLength, value);
    }
    if (plan.pattern !== undefined && !plan.pattern.test(value)) this.bound(plan, 'pattern', plan.pattern.source, value);
    if (plan.formatCheck !== undefined && plan.formatCheck(value) === false) this.formatMismatch(plan, value);
  }

  private checkNumber(plan: Plan, value: number): void {
    if (plan.minimum !== undefined && value < plan.minimum) this.bound(plan, 'minimum', plan.minimum, value);
    if (plan.maximum !== undefined && value > plan.maximum) this.bound(plan, 'maximum', plan.maximum, value);
    if (plan.exclusiveMinimum !== undefined && value <= plan.exclusiveMinimum) this.bound(plan, 'exclusiveMinimum', plan.exclusiveMinimum, value);
    if (plan.exclusiveMaximum !== undefined && value >= plan.exclusiveMaximum) this.bound(plan, 'exclusiveMaximum', plan.exclusiveMaximum, value);
    if (plan.multipleOf !== undefined && !isMultipleOf(value, plan.multipleOf)) this.bound(plan, 'multipleOf', plan.multipleOf, value);
    if (plan.formatCheck !== undefined && plan.formatCheck(value) === false) this.formatMismatch(plan, value);
  }

  private bound(plan: Plan, keyword: string, expected: unknown, value: unknown): void {
    this.report('constraint-violation', plan.at, keyword, { expected, value });
  }

  private formatMismatch(plan: Plan, value: string | number): void {
    const observedFormat = recogniseFormat(value);
    this.report('format-mismatch', plan.at, 'format', observedFormat === undefined ? { expected: plan.format, value } : { expected: plan.format, value, observedFormat });
  }

  private checkArray(plan: Plan, value: unknown[]): void {
    const length = value.length;
    if (plan.minItems !== undefined && length < plan.minItems) this.bound(plan, 'minItems', plan.minItems, length);
    if (plan.maxItems !== undefined && length > plan.maxItems) this.bound(plan, 'maxItems', plan.maxItems, length);
    if (plan.uniqueItems) {
      const duplicate = findDuplicate(value);
      if (duplicate !== undefined) this.bound(plan, 'uniqueItems', true, duplicate.value);
    }
    let i = 0;
    const path = this.path;
    if (plan.prefixItems !== undefined) {
      for (; i < length && i < plan.prefixItems.length; i++) {
        path.push(i);
        this.checkValue(plan.prefixItems[i]!, value[i]);
        path.pop();
      }
    }
    const items = plan.items;
    if (items === undefined || i >= length) return;
    if (!items.ready) this.planner.prepare(items);
    if (items.anything) return;
    for (; i < length && !this.sink.stopped; i++) {
      path.push(i);
      this.checkValue(items, value[i]);
      path.pop();
    }
  }

  private checkObject(plan: Plan, value: Record<string, unknown>, slot: number): void {
    if (plan.required !== undefined) {
      for (const name of plan.required) {
        if (!hasOwn.call(value, name)) this.report('missing-required', plan.at, 'required', {}, name);
      }
    }
    const { properties, patternProperties, additionalProperties } = plan;
    let members = -1;
    if (properties !== undefined || patternProperties !== undefined || additionalProperties !== undefined) {
      members = 0;
      let declaredMembers = 0;
      const path = this.path;
      // for-in over a parsed JSON object walks V8's enum cache without allocating a key array;
      // the own-property check keeps a polluted Object.prototype out.
      for (const key in value) {
        if (!hasOwn.call(value, key)) continue;
        if (this.sink.stopped) return;
        members++;
        let declared = false;
        const child = properties?.get(key);
        if (child !== undefined) {
          declared = true;
          path.push(key);
          this.checkValue(child, value[key]);
          path.pop();
        }
        if (patternProperties !== undefined) {
          for (const pattern of patternProperties) {
            if (!pattern.regex.test(key)) continue;
            declared = true;
            path.push(key);
            this.checkValue(pattern.plan, value[key]);
            path.pop();
          }
        }
        if (declared) {
          declaredMembers++;
          continue;
        }
        if (additionalProperties === undefined) continue;
        if (!additionalProperties.ready) this.planner.prepare(additionalProperties);
        if (additionalProperties.never) {
          this.report('undocumented-property', plan.at, 'additionalProperties', { value: value[key], contradicts: true }, key);
          continue;
        }
        path.push(key);
        this.checkValue(additionalProperties, value[key]);
        path.pop();
      }
      this.coversAll[slot] = declaredMembers === members;
    }
    if (plan.minProperties !== undefined || plan.maxProperties !== undefined) {
      const count = members >= 0 ? members : Object.keys(value).length;
      if (plan.minProperties !== undefined && count < plan.minProperties) this.bound(plan, 'minProperties', plan.minProperties, count);
      if (plan.maxProperties !== undefined && count > plan.maxProperties) this.bound(plan, 'maxProperties', plan.maxProperties, count);
    }
  }

  /**
   * strictProperties: a member no applicable schema declares (the schema, its `allOf`s, the
   * chosen `oneOf`/`anyOf` branches, `$ref` targets) is undocumented, unless one of them says
   * what other members may be (`additionalProperties`, checked per schema above). Objects
   * whose schemas declare no members at all are free-form maps and are not reported.
   */
  private undocumented(value: Record<string, unknown>, start: number): void {
    const plans = this.applied;
    let declaring = false;
    for (let i = start; i < plans.length; i++) {
      if (plans[i]!.additionalProperties !== undefined || this.coversAll[i]) return;
      if (plans[i]!.declaresProperties) declaring = true;
    }
    if (!declaring) return;
    let where = start;
    for (let i = start; i < plans.length; i++) if (plans[i]!.objectShaped) { where = i; break; }
    for (let i = start; i < plans.length; i++) if (plans[i]!.properties !== undefined) { where = i; break; }
    // Reported as found inside the branch that holds that schema.
    const branch = this.branch;
    const outer = branch.splice(0, branch.length, ...this.appliedBranch[where]!);
    try {
      for (const key of Object.keys(value)) {
        if (this.sink.stopped) return;
        if (!declares(plans, start, key)) this.report('undocumented-property', plans[where]!.at, 'properties', { value: value[key] }, key);
      }
    } finally {
      branch.splice(0, branch.length, ...outer);
    }
  }
}

/** Whether any of `plans[start..]` declares member `key` in `properties` or `patternProperties`. */
export function declares(plans: readonly Plan[], start: number, key: string): boolean {
  for (let i = start; i < plans.length; i++) {
    const plan = plans[i]!;
    if (plan.properties?.has(key)) return true;
    if (plan.patternProperties?.some((pattern) => pattern.regex.test(key))) return true;
  }
  return false;
}
