/**
 * Validate data against `specs/integration-spec.schema.json` and turn every Ajv error into a
 * problem a person can act on: the key path, its line and column when the file is known, and
 * what to write instead. Values are echoed only where they cannot be secrets (enum values, key
 * names, numbers out of range).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { formatKeyPath, type KeyPath } from '../../config/errors.js';
import { closestMatch } from '../../config/suggest.js';
import type { IntegrationSpecProblem } from './errors.js';

/** Absolute path of the schema (the same from src/ under vitest and from dist/). */
export const INTEGRATION_SPEC_SCHEMA_PATH: string = fileURLToPath(new URL('../../../specs/integration-spec.schema.json', import.meta.url));

/** Schema keyword that carries the message shown when a value fails that schema. */
const MESSAGE_KEYWORD = 'x-recon-message';

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
    const placed = describe(error, keyPath(error.instancePath, data));
    if (!placed) continue;
    const key = `${formatKeyPath(placed.path)}\0${placed.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ ...locate?.(placed.path), path: formatKeyPath(placed.path), message: placed.message });
  }
  return problems;
}

function describe(error: ErrorObject, path: KeyPath): { path: KeyPath; message: string } | undefined {
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as SchemaObject;
  const custom = typeof parent[MESSAGE_KEYWORD] === 'string' ? (parent[MESSAGE_KEYWORD] as string) : undefined;
  switch (error.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(params.additionalProperty ?? params.unevaluatedProperty);
      const known = knownKeys(parent);
      const guess = closestMatch(name, known);
      const tail = guess ? ` (did you mean '${guess}'?)` : known.length > 0 ? `; known keys: ${known.join(', ')}` : '';
      return { path: [...path, name], message: `unknown key '${name}'${tail}` };
    }
    case 'required':
      return { path, message: `missing required key '${String(params.missingProperty)}'` };
    case 'type': {
      const expected = ([] as string[]).concat(params.type as string | string[]).map(describeType);
      return { path, message: `expected ${joinOr(expected)}, found ${describeValue(error.data)}` };
    }
    case 'const':
      return { path, message: custom ?? `must be ${JSON.stringify(params.allowedValue)}` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      if (typeof error.data !== 'string') return { path, message: `expected one of: ${allowed.join(', ')}` };
      const guess = closestMatch(error.data, allowed);
      return { path, message: `'${error.data}' is not one of: ${allowed.join(', ')}${guess ? ` (did you mean '${guess}'?)` : ''}` };
    }
    case 'format':
      return { path, message: params.format === 'date-time' ? 'must be a date-time such as 2026-12-04T23:00:00Z' : `must be ${String(params.format) === 'uri' ? 'an absolute URL' : `a ${String(params.format)}`}` };
    case 'pattern':
      return { path, message: custom ?? `must match ${String(params.pattern)}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words: Record<string, string> = { '>=': 'at least', '<=': 'at most', '>': 'greater than', '<': 'less than' };
      return { path, message: `must be ${words[String(params.comparison)] ?? String(params.comparison)} ${String(params.limit)} (found ${String(error.data)})` };
    }
    case 'minLength':
      return { path, message: 'must not be empty' };
    default:
      return { path, message: custom ?? error.message ?? `fails the ${error.keyword} rule` };
  }
}

/** Keys a mapping may hold: its own `properties` and those of the shape it refers to (`$defs/sourced`). */
function knownKeys(node: SchemaObject): string[] {
  const keys = Object.keys((node.properties ?? {}) as object);
  if (typeof node.$ref === 'string') keys.push(...knownKeys(resolveSchemaRef(node.$ref)));
  return [...new Set(keys)];
}

/** The schema a local `$ref` (`#/$defs/sourced`) points at; `{}` when it points nowhere. */
export function resolveSchemaRef(ref: string): SchemaObject {
  let node: unknown = integrationSpecSchema();
  for (const token of ref.replace(/^#\//, '').split('/')) {
    node = (node as Record<string, unknown> | undefined)?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return (node ?? {}) as SchemaObject;
}

/** JSON pointer → key path, with sequence indices as numbers. */
function keyPath(pointer: string, data: unknown): KeyPath {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path.push(Array.isArray(node) ? Number(token) : token);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[token] : undefined;
  }
  return path;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  null: 'nothing',
};
const describeType = (type: string) => TYPE_WORDS[type] ?? type;

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a fractional number';
  if (typeof value === 'boolean') return `${value}`;
  return `a ${typeof value}`;
}

function joinOr(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)!}`;
}
