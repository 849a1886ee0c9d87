/**
 * Ajv errors in words a person acts on, shared by every file recon validates against one of its
 * own schemas (recon.yaml, integration-spec.yaml): the key path, what was expected, what was
 * found, and a "did you mean" for typos. Values are echoed only where they cannot be secrets
 * (enum values, key names, numbers out of range).
 */
import type { ErrorObject, SchemaObject } from 'ajv/dist/2020.js';
import type { KeyPath } from './errors.js';
import { closestMatch } from './suggest.js';

/** Schema keyword that carries the message shown when a value fails that schema. */
export const MESSAGE_KEYWORD = 'x-recon-message';

export interface PlacedProblem {
  path: KeyPath;
  message: string;
}

/**
 * The generic keywords; a schema's own ones (discriminators, key-name rules) are handled by its
 * caller first. `knownKeys` lists the keys a mapping may hold, for the "did you mean".
 * @example describeSchemaError(error, ['auth', 'type'], (s) => Object.keys(s.properties ?? {}))
 */
export function describeSchemaError(error: ErrorObject, path: KeyPath, knownKeys: (parent: SchemaObject) => string[]): PlacedProblem | undefined {
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
      return { path, message: params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters` };
    case 'dependentRequired':
      return { path, message: `'${String(params.property)}' needs '${String(params.missingProperty)}' as well` };
    default:
      return { path, message: custom ?? error.message ?? `fails the ${error.keyword} rule` };
  }
}

/** JSON pointer → key path, with sequence indices as numbers. */
export function keyPathOf(pointer: string, data: unknown): KeyPath {
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

/** The node a local `$ref` (`#/$defs/sourced`) points at in `root`; undefined when nowhere. */
export function resolveLocalSchemaRef(root: SchemaObject, ref: string): SchemaObject | undefined {
  let node: unknown = root;
  for (const token of ref.replace(/^#\//, '').split('/')) {
    node = (node as Record<string, unknown> | undefined)?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node as SchemaObject | undefined;
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

function describeType(type: string): string {
  return TYPE_WORDS[type] ?? type;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') {
    // YAML reads 1e400 as Infinity and .nan as NaN: neither is "fractional".
    if (Number.isNaN(value)) return 'NaN (not a number)';
    if (!Number.isFinite(value)) return `${value < 0 ? 'minus ' : ''}infinity (a number too large to hold, such as 1e400)`;
    return Number.isInteger(value) ? 'a whole number' : 'a fractional number';
  }
  if (typeof value === 'boolean') return `${value}`;
  return `a ${typeof value}`;
}

function joinOr(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)!}`;
}
