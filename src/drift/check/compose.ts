/**
 * Composition keywords that need a choice or a trial: `anyOf`/`oneOf` (which branch does this
 * value take?), `not` and `if`. A person reads "the Cat branch is missing `meows`", not "no
 * branch matched", so the checker picks the branch the value was most likely meant to be and
 * reports that branch's issues, naming the branch in each (`oneOf[1] #/components/schemas/Cat`).
 */
import { escapeToken } from '../../spec/pointer.js';
import type { NodeRef } from '../../spec/types.js';
import { T_OBJECT, type Plan } from './plan.js';
import { Sink } from './sink.js';
import { typeBit } from './values.js';
import { declares, type Walk } from './walk.js';

interface Trial {
  index: number;
  sink: Sink;
  /** Plans the branch applied to the object (for undocumented-property), and whether each
   * declared all of its members (`Walk.coversAll`). */
  applied: Plan[];
  coversAll: boolean[];
  appliedBranch: string[][];
  /** Members the branch, with what applies outside it, leaves undeclared, at any depth. */
  undeclared: number;
}

/**
 * Pick the branch(es) of `anyOf`/`oneOf` the value takes and report their issues:
 * 1. an OpenAPI `discriminator` (3.0.3 §4.7.25) names the branch outright;
 * 2. else the first branch with no issue at all;
 * 3. else the one whose type matches the value, then with the fewest disqualifying issues
 *    (undocumented-property warnings do not disqualify), then the fewest undeclared members,
 *    then the first.
 * For `oneOf`, a second branch that also has no disqualifying issue breaks "exactly one"
 * (2020-12 §10.2.1.3): a constraint-violation, since generated clients refuse such a value.
 */
export function chooseBranches(walk: Walk, plan: Plan, kind: 'anyOf' | 'oneOf', branches: Plan[], value: unknown): void {
  if (branches.length === 0) return;
  const isObject = typeBit(value) === T_OBJECT;
  if (plan.discriminator !== undefined && isObject) {
    const picked = discriminated(walk, plan, kind, branches, value as Record<string, unknown>);
    if (picked !== undefined) {
      walk.branch.push(picked.label);
      try {
        walk.apply(picked.plan, value);
      } finally {
        walk.branch.pop();
      }
      return;
    }
  }
  walk.beginTrials();
  const keys = isObject ? Object.keys(value as object) : undefined;
  let best: Trial | undefined;
  let tried = 0;
  const clean: number[] = [];
  for (; tried < branches.length; tried++) {
    const limit = best === undefined || best.sink.rootMismatch ? Infinity : best.sink.errors;
    const trial = tryBranch(walk, kind, branches, tried, value, limit, keys);
    if (trial.sink.errors > limit) continue;
    if (trial.sink.errors === 0) clean.push(tried);
    if (best === undefined || better(trial, best)) best = trial;
    if (trial.sink.errors === 0 && (trial.undeclared === 0 || !walk.settings.strictProperties)) {
      tried++;
      break;
    }
  }
  if (kind === 'oneOf' && clean.length > 0) {
    for (; tried < branches.length; tried++) {
      if (tryBranch(walk, kind, branches, tried, value, 0, undefined).sink.errors === 0) clean.push(tried);
    }
    if (clean.length > 1) {
      const expected = clean.map((i) => labelOf(walk, kind, i, branches[i]!));
      walk.report('constraint-violation', plan.at, 'oneOf', { expected, value });
    }
  }
  if (best === undefined) return;
  const slot = walk.applied.length;
  walk.applied.push(...best.applied);
  for (let i = 0; i < best.applied.length; i++) {
    walk.coversAll[slot + i] = best.coversAll[i]!;
    walk.appliedBranch[slot + i] = best.appliedBranch[i]!;
  }
  walk.adopt(best.sink);
}

/** A branch whose type matches the value beats one whose type does not; then fewer
 * disqualifying issues; then fewer undeclared members; then the earlier branch. */
function better(trial: Trial, best: Trial): boolean {
  if (trial.sink.rootMismatch !== best.sink.rootMismatch) return best.sink.rootMismatch;
  if (trial.sink.errors !== best.sink.errors) return trial.sink.errors < best.sink.errors;
  return trial.undeclared < best.undeclared;
}

function tryBranch(
  walk: Walk,
  kind: string,
  branches: Plan[],
  index: number,
  value: unknown,
  maxErrors: number,
  keys: string[] | undefined,
): Trial {
  const branch = branches[index]!;
  const start = walk.applied.length;
  const saved = walk.sink;
  const sink = new Sink(maxErrors, walk.settings.maxIssues);
  sink.rootDepth = walk.path.length;
  walk.sink = sink;
  walk.branch.push(labelOf(walk, kind, index, branch));
  try {
    walk.apply(branch, value);
  } finally {
    walk.sink = saved;
    walk.branch.pop();
  }
  const applied = walk.applied.splice(start);
  const coversAll = walk.coversAll.slice(start, start + applied.length);
  const appliedBranch = walk.appliedBranch.slice(start, start + applied.length);
  // Members left undeclared: the object's own (checked once the branch is chosen, so counted
  // here) plus those of nested objects, already reported on the scratch sink as warnings.
  const nested = sink.issues.length - sink.errors;
  return { index, sink, applied, coversAll, appliedBranch, undeclared: nested + (keys === undefined ? 0 : undeclaredCount(walk, applied, keys)) };
}

function undeclaredCount(walk: Walk, applied: Plan[], keys: string[]): number {
  const plans = [...walk.applied.slice(walk.objectStart), ...applied];
  if (plans.some((plan) => plan.additionalProperties !== undefined)) return 0;
  let count = 0;
  for (const key of keys) if (!declares(plans, 0, key)) count++;
  return count;
}

function discriminated(
  walk: Walk,
  plan: Plan,
  kind: string,
  branches: Plan[],
  value: Record<string, unknown>,
): { plan: Plan; label: string } | undefined {
  const { property, mapping } = plan.discriminator!;
  if (!Object.prototype.hasOwnProperty.call(value, property)) return undefined;
  const tag = value[property];
  if (typeof tag !== 'string') return undefined;
  const target: NodeRef | undefined = mapping.get(tag) ?? walk.planner.target(`#/components/schemas/${escapeToken(tag)}`, plan.at.uri);
  if (target === undefined) return undefined;
  const key = `${target.uri}#${target.pointer}`;
  for (let i = 0; i < branches.length; i++) {
    const branch = branches[i]!;
    if (!branch.ready) walk.planner.prepare(branch);
    if (branch.key === key || branch.ref?.key === key) return { plan: branch, label: labelOf(walk, kind, i, branch) };
  }
  const chosen = walk.planner.stub(target);
  return { plan: chosen, label: `${kind} ${property}=${tag} ${walk.planner.documents.describe(target)}` };
}

/** `oneOf[1] #/components/schemas/Cat`: the `$ref` as written, else where the inline branch is. */
export function labelOf(walk: Walk, kind: string, index: number, branch: Plan): string {
  if (!branch.ready) walk.planner.prepare(branch);
  const documents = walk.planner.documents;
  const where = branch.refText ?? (branch.at.uri === documents.root.uri ? `#${branch.at.pointer}` : documents.describe(branch.at));
  return `${kind}[${index}] ${where}`;
}

/** 2020-12 §10.2.1.4: the value must not match `not`. */
export function applyNot(walk: Walk, plan: Plan, value: unknown): void {
  if (walk.trial(plan.not!, value, 0).errors === 0) {
    walk.report('constraint-violation', plan.at, 'not', { value });
  }
}

/** 2020-12 §10.2.2: `then` applies when the value matches `if`, `else` when it does not. */
export function applyIf(walk: Walk, plan: Plan, value: unknown): void {
  const next = walk.trial(plan.if!, value, 0).errors === 0 ? plan.then : plan.else;
  if (next !== undefined) walk.apply(next, value);
}
