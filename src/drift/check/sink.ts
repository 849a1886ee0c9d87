/**
 * Where a walk's issues go: the result, or a scratch list while a composition branch is tried.
 */
import type { SchemaIssue } from '../types.js';

/** Where issues go: the result, or a scratch list while a branch is tried. */
export class Sink {
  readonly issues: SchemaIssue[] = [];
  /** Issues other than undocumented-property warnings: these disqualify a branch. */
  errors = 0;
  stopped = false;
  /** For a branch trial: the depth of the value tried, and whether the value's own type
   * mismatched there (a branch of the wrong type explains a value worst). */
  rootDepth = -1;
  rootMismatch = false;

  /** Stops once `errors` exceeds `maxErrors` or `issues` reaches `maxIssues`; only the
   * result's sink (`main`) says so in `truncated`. */
  constructor(
    readonly maxErrors: number,
    readonly maxIssues: number,
    readonly main = false,
  ) {}
}
