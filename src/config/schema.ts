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
import { describeSchemaError, keyPathOf, MESSAGE_KEYWORD, resolveLocalSchemaRef, type PlacedProblem } from './schema-words.js';
import type { ConfigSource } from './yaml-source.js';

/** Absolute path of recon's config schema (the same from src/ under vitest and from dist/). */
export const CONFIG_SCHEMA_PATH: string = fileURLToPath(new URL('../../specs/recon-config.schema.json', import.meta.url));


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
    const placed = describe(error, keyPathOf(error.instancePath, source.data), nameError);
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

function describe(error: ErrorObject, path: KeyPath, nameError: ErrorObject | undefined): PlacedProblem | undefined {
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as SchemaObject;
  switch (error.keyword) {
    case 'required':
      // The discriminator's own error says which values are allowed.
      if ((parent.discriminator as { propertyName?: string } | undefined)?.propertyName === String(params.missingProperty)) return undefined;
      break;
    case 'discriminator':
      return describeDiscriminator(params, path, parent);
    case 'propertyNames': {
      const name = String(params.propertyName);
      const inner = (nameError?.parentSchema ?? {}) as SchemaObject;
      const message = typeof inner[MESSAGE_KEYWORD] === 'string' ? (inner[MESSAGE_KEYWORD] as string) : `'${name}' is not allowed as a key here`;
      return { path: [...path, name], message };
    }
  }
  return describeSchemaError(error, path, (schema) => Object.keys((schema.properties ?? {}) as object));
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
  const resolved = typeof branch.$ref === 'string' ? resolveLocalSchemaRef(configSchema(), branch.$ref) : branch;
  const value = (resolved?.properties as Record<string, SchemaObject> | undefined)?.[tag]?.const;
  return typeof value === 'string' ? value : undefined;
}
