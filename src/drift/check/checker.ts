/**
 * The explaining schema checker behind `recon drift`: every way a value differs from the raw
 * vendor schema, each with the place in the vendor's document where a correction belongs.
 */
import type { DocumentSet } from '../../spec/documents.js';
import type { NodeRef } from '../../spec/types.js';
import type { SchemaIssue } from '../types.js';
import { Planner } from './plan.js';
import { Walk, type WalkSettings } from './walk.js';

export interface SchemaCheckerOptions {
  /** Report properties not in `properties`/`patternProperties` as undocumented unless the
   * schema documents additionalProperties (true or a schema) — default true. */
  strictProperties?: boolean;
  /** Deepest instance nesting walked; deeper values are not checked and `truncated` says so,
   * instead of recursing — default 512. */
  maxDepth?: number;
  /** Issues reported per check before the walk stops (and `truncated` says so) — default 1000. */
  maxIssues?: number;
}

export interface CheckResult {
  issues: SchemaIssue[];
  /** Set when the walk stopped early: too deep, too many issues. */
  truncated?: string;
}

/** Every default, in one place. */
export const SCHEMA_CHECKER_DEFAULTS: Readonly<Required<SchemaCheckerOptions>> = {
  strictProperties: true,
  maxDepth: 512,
  maxIssues: 1000,
};

/**
 * @example
 * const checker = new SchemaChecker(spec.documents);
 * const { issues } = checker.check({ uri: spec.documents.root.uri, pointer: '/components/schemas/Employee' }, body);
 * // → [{ kind: 'type-mismatch', path: ['id'], schema: { uri, pointer: '/components/schemas/Employee/properties/id' },
 * //      keyword: 'type', expected: ['integer'], value: '42', observedType: 'string', branch: [] }]
 */
export class SchemaChecker {
  private readonly planner: Planner;
  private readonly settings: WalkSettings;

  constructor(documents: DocumentSet, options: SchemaCheckerOptions = {}) {
    this.planner = new Planner(documents);
    this.settings = {
      strictProperties: options.strictProperties ?? SCHEMA_CHECKER_DEFAULTS.strictProperties,
      maxDepth: Math.max(1, options.maxDepth ?? SCHEMA_CHECKER_DEFAULTS.maxDepth),
      maxIssues: Math.max(1, options.maxIssues ?? SCHEMA_CHECKER_DEFAULTS.maxIssues),
    };
  }

  /** Every way `value` differs from the schema at `at` (a schema object or a `{$ref}`). */
  check(at: NodeRef, value: unknown): CheckResult {
    const walk = new Walk(this.planner, this.settings);
    try {
      walk.checkValue(this.planner.stub(at), value);
    } catch (error) {
      // A schema nested deeper than the stack allows (the data is bounded by maxDepth): keep
      // what was found rather than fail the whole drift run.
      if (!(error instanceof RangeError)) throw error;
      walk.truncated ??= 'the schema nests too deeply to walk';
    }
    const issues = walk.main.issues;
    return walk.truncated === undefined ? { issues } : { issues, truncated: walk.truncated };
  }
}
