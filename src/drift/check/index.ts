/**
 * The explaining schema checker: what drift says about one body against one schema.
 *
 * @example
 * import { SchemaChecker } from '../drift/check/index.js';
 * const checker = new SchemaChecker(spec.documents, { strictProperties: true });
 * const { issues, truncated } = checker.check(response.content[0].schema, JSON.parse(text));
 */
export { SchemaChecker, SCHEMA_CHECKER_DEFAULTS, type SchemaCheckerOptions, type CheckResult } from './checker.js';
