/**
 * Validate a parsed `recon.yaml` against `specs/recon-config.schema.json` and turn every Ajv
 * error into a problem a person can act on: the key path, its line and column, and what to write
 * instead. Values from the file are echoed only where they cannot be secrets (enum values,
 * numbers out of range, key names).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { ConfigProblem, KeyPath } from './errors.js';
import { closestMatch } from './suggest.js';
import type { ConfigSource } from './yaml-source.js';

/** Absolute path of recon's config schema (the same from src/ under vitest and from dist/). */
export const CONFIG_SCHEMA_PATH: string = fileURLToPath(new URL('../../specs/recon-config.schema.json', import.meta.url));

/** Schema keyword that carries the message shown when a value fails that schema. */
const MESSAGE_KEYWORD = 'x-recon-message';

let schema: SchemaObject | undefined;
let validator: ValidateFunction | undefined;

/** The config schema as data (read once). */
export function configSchema(): SchemaObject {
  schema ??= JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8')) as SchemaObject;
  return schema;
}

function compiledValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, discriminator: true, strict: true, strictRequired: false, allowUnionTypes: true });
    ajv.addKeyword(MESSAGE_KEYWORD);
    validator = ajv.compile(configSchema());
  }
  return validator;
}

/** Every schema problem in the document (empty when it is valid). */
export function validateConfigData(source: ConfigSource): ConfigProblem[] {
  const validate = compiledValidator();
  if (validate(source.data)) return [];
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  // Ajv reports a bad key name first (from inside `propertyNames`), then which name it was.
  let nameError: ErrorObject | undefined;
  for (const error of validate.errors ?? []) {
    if (error.propertyName !== undefined) {
      nameError ??= error;
      continue;
    }
    const placed = describe(error, instancePath(error.instancePath, source.data), nameError);
    if (error.keyword === 'propertyNames') nameError = undefined;
    if (!placed) continue;
    const problem = source.problem(placed.path, placed.message);
    const key = `${problem.path}\0${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function describe(error: ErrorObject, path: KeyPath, nameError: ErrorObject | undefined): { path: KeyPath; message: string } | undefined {
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as SchemaObject;
  const custom = typeof parent[MESSAGE_KEYWORD] === 'string' ? (parent[MESSAGE_KEYWORD] as string) : undefined;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const known = Object.keys((parent.properties ?? {}) as object);
      const guess = closestMatch(name, known);
      const tail = guess ? ` (did you mean '${guess}'?)` : known.length > 0 ? `; known keys: ${known.join(', ')}` : '';
      return { path: [...path, name], message: `unknown key '${name}'${tail}` };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      // The discriminator's own error says which values are allowed.
      if ((parent.discriminator as { propertyName?: string } | undefined)?.propertyName === missing) return undefined;
      return { path, message: `missing required key '${missing}'` };
    }
    case 'discriminator':
      return describeDiscriminator(params, path, parent);
    case 'propertyNames': {
      const name = String(params.propertyName);
      const inner = (nameError?.parentSchema ?? {}) as SchemaObject;
      const message = typeof inner[MESSAGE_KEYWORD] === 'string' ? (inner[MESSAGE_KEYWORD] as string) : `'${name}' is not allowed as a key here`;
      return { path: [...path, name], message };
    }
    case 'type': {
      if (custom && parent.pattern !== undefined) return { path, message: custom };
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
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words: Record<string, string> = { '>=': 'at least', '<=': 'at most', '>': 'greater than', '<': 'less than' };
      return { path, message: `must be ${words[String(params.comparison)] ?? String(params.comparison)} ${String(params.limit)} (found ${String(error.data)})` };
    }
    case 'minLength':
      return { path, message: params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters` };
    case 'dependentRequired':
      return { path, message: `'${String(params.property)}' needs '${String(params.missingProperty)}' as well` };
    default:
      return { path, message: custom ?? error.message ?? `fails the ${error.keyword} rule` };
  }
}

/** `auth.type` missing or unknown: list the types that exist (taken from the oneOf branches). */
function describeDiscriminator(params: Record<string, unknown>, path: KeyPath, parent: SchemaObject): { path: KeyPath; message: string } {
  const tag = String(params.tag);
  const allowed = ((parent.oneOf ?? []) as SchemaObject[]).map((branch) => branchTag(branch, tag)).filter((v): v is string => v !== undefined);
  const value = params.tagValue;
  if (value === undefined) return { path, message: `missing required key '${tag}' (one of: ${allowed.join(', ')})` };
  if (typeof value !== 'string') return { path: [...path, tag], message: `expected one of: ${allowed.join(', ')}` };
  const guess = closestMatch(value, allowed);
  return { path: [...path, tag], message: `unknown ${tag} '${value}'${guess ? ` (did you mean '${guess}'?)` : ''}; one of: ${allowed.join(', ')}` };
}

function branchTag(branch: SchemaObject, tag: string): string | undefined {
  const resolved = typeof branch.$ref === 'string' ? resolveLocalRef(branch.$ref) : branch;
  const value = (resolved?.properties as Record<string, SchemaObject> | undefined)?.[tag]?.const;
  return typeof value === 'string' ? value : undefined;
}

function resolveLocalRef(ref: string): SchemaObject | undefined {
  let node: unknown = configSchema();
  for (const token of ref.replace(/^#\//, '').split('/')) {
    node = (node as Record<string, unknown> | undefined)?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node as SchemaObject | undefined;
}

/** JSON pointer → key path, with sequence indices as numbers. */
function instancePath(pointer: string, data: unknown): KeyPath {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(node) ? Number(token) : token;
    path.push(segment);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[token] : undefined;
  }
  return path;
}

function describeType(type: string): string {
  const words: Record<string, string> = {
    string: 'a string',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    object: 'a mapping (key: value)',
    array: 'a list',
    null: 'nothing',
  };
  return words[type] ?? type;
}

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
