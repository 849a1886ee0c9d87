/**
 * Strict HAR 1.2 conformance against `specs/har-1.2.schema.json`, plus what a schema cannot say
 * (every `pageref` names a page). Problems are returned as data with JSON pointers.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

export interface HarProblem {
  /** JSON pointer to the value at fault (a missing property's own pointer, not its parent's). */
  pointer: string;
  message: string;
}

export interface HarValidation {
  ok: boolean;
  errors: HarProblem[];
}

/** Most problems reported: a file broken throughout says so without a million-line list. */
export const MAX_HAR_PROBLEMS = 100;

/** `specs/` sits three levels above this module in src/ and dist/ alike. */
const SCHEMA_URL = new URL('../../../specs/har-1.2.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled === undefined) {
    const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as object;
    // allErrors: report every problem, not the first; the schema is ours, so strict mode stays on.
    compiled = new Ajv2020({ allErrors: true }).compile(schema);
  }
  return compiled;
}

/**
 * @example
 * const { ok, errors } = validateHar(JSON.parse(text));
 * // errors: [{ pointer: '/log/entries/0/request/url', message: 'required property is missing' }]
 */
export function validateHar(har: unknown): HarValidation {
  const validate = validator();
  const errors: HarProblem[] = [];
  if (!validate(har)) {
    for (const error of validate.errors ?? []) {
      const problem = toProblem(error);
      if (problem !== undefined && !errors.some((e) => e.pointer === problem.pointer && e.message === problem.message)) errors.push(problem);
    }
  } else {
    errors.push(...danglingPagerefs(har as { log: { pages?: { id: string }[]; entries: { pageref?: string }[] } }));
  }
  return { ok: errors.length === 0, errors: errors.slice(0, MAX_HAR_PROBLEMS) };
}

function toProblem(error: ErrorObject): HarProblem | undefined {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { pointer: `${error.instancePath}/${escape(String(params['missingProperty']))}`, message: 'required property is missing' };
    case 'additionalProperties':
      return {
        pointer: `${error.instancePath}/${escape(String(params['additionalProperty']))}`,
        message: 'unknown property (HAR custom fields start with "_")',
      };
    case 'anyOf':
      return undefined; // its branches report the detail
    default:
      return { pointer: error.instancePath, message: error.message ?? error.keyword };
  }
}

function danglingPagerefs(har: { log: { pages?: { id: string }[]; entries: { pageref?: string }[] } }): HarProblem[] {
  const pages = new Set((har.log.pages ?? []).map((page) => page.id));
  const problems: HarProblem[] = [];
  har.log.entries.forEach((entry, i) => {
    if (entry.pageref !== undefined && !pages.has(entry.pageref)) {
      problems.push({ pointer: `/log/entries/${i}/pageref`, message: `no page has the id "${entry.pageref}"` });
    }
  });
  return problems;
}

/** RFC 6901 §4. */
function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
