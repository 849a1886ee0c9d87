/**
 * Validate data against `specs/integration-spec.schema.json` and turn every Ajv error into a
 * problem a person can act on: the key path, its line and column when the file is known, and
 * what to write instead. Values are echoed only where they cannot be secrets (enum values, key
 * names, numbers out of range).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type SchemaObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { formatKeyPath, type KeyPath } from '../../config/errors.js';
import { describeSchemaError, keyPathOf, MESSAGE_KEYWORD, resolveLocalSchemaRef } from '../../config/schema-words.js';
import type { IntegrationSpecProblem } from './errors.js';

/** Absolute path of the schema (the same from src/ under vitest and from dist/). */
export const INTEGRATION_SPEC_SCHEMA_PATH: string = fileURLToPath(new URL('../../../specs/integration-spec.schema.json', import.meta.url));


let schema: SchemaObject | undefined;
let validator: ValidateFunction | undefined;

/** The schema as data (read once). */
export function integrationSpecSchema(): SchemaObject {
  schema ??= JSON.parse(readFileSync(INTEGRATION_SPEC_SCHEMA_PATH, 'utf8')) as SchemaObject;
  return schema;
}

function compiledValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
    ajvFormats.default(ajv, { formats: ['date-time', 'uri'] });
    ajv.addKeyword(MESSAGE_KEYWORD);
    validator = ajv.compile(integrationSpecSchema());
  }
  return validator;
}

/** Line and column of a key path in the file, when there is a file. */
export type Locate = (path: KeyPath) => { line: number; column: number } | undefined;

/**
 * Every way `data` fails the schema, as data (empty when it is a valid format-1 spec).
 *
 * @example
 * validateIntegrationSpec({ integrationSpec: 1, rateLimits: [{ limit: 'sixty' }] })
 * // [{ path: '', message: "missing required key 'generatedAt'" }, …, { path: 'rateLimits[0].limit', message: 'expected a mapping …' }]
 */
export function validateIntegrationSpec(data: unknown, locate?: Locate): IntegrationSpecProblem[] {
  const validate = compiledValidator();
  if (validate(data)) return [];
  const problems: IntegrationSpecProblem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const placed = describeSchemaError(error, keyPathOf(error.instancePath, data), knownKeys);
    if (!placed) continue;
    const key = `${formatKeyPath(placed.path)}\0${placed.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ ...locate?.(placed.path), path: formatKeyPath(placed.path), message: placed.message });
  }
  return problems;
}

/** Keys a mapping may hold: its own `properties` and those of the shape it refers to (`$defs/sourced`). */
function knownKeys(node: SchemaObject): string[] {
  const keys = Object.keys((node.properties ?? {}) as object);
  if (typeof node.$ref === 'string') keys.push(...knownKeys(resolveSchemaRef(node.$ref)));
  return [...new Set(keys)];
}

/** The schema a local `$ref` (`#/$defs/sourced`) points at; `{}` when it points nowhere. */
export function resolveSchemaRef(ref: string): SchemaObject {
  return resolveLocalSchemaRef(integrationSpecSchema(), ref) ?? {};
}
