/**
 * Validate a connector definition against `specs/connector.schema.json`, with the same words
 * recon.yaml's problems use (src/config/schema-words.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type SchemaObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { describeSchemaError, keyPathOf, MESSAGE_KEYWORD } from '../../config/schema-words.js';
import type { KeyPath } from '../../config/index.js';
import type { ConnectorProblem } from './errors.js';

/** Absolute path of the connector schema (the same from src/ under vitest and from dist/). */
export const CONNECTOR_SCHEMA_PATH: string = fileURLToPath(new URL('../../../specs/connector.schema.json', import.meta.url));

/** The definition as data, and how to place a problem in its file. */
export interface DefinitionSource {
  /** The file as shown in messages. */
  shown: string;
  data: unknown;
  problem(path: KeyPath, message: string): ConnectorProblem;
}

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(CONNECTOR_SCHEMA_PATH, 'utf8')) as SchemaObject;
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
    ajv.addKeyword(MESSAGE_KEYWORD);
    validator = ajv.compile(schema);
  }
  return validator;
}

/** Every schema problem in the definition, in the order Ajv found them (empty when valid). */
export function validateConnectorData(source: DefinitionSource): ConnectorProblem[] {
  const validate = compiled();
  if (validate(source.data)) return [];
  const problems: ConnectorProblem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    // "must match then/else schema" only repeats the missing key reported under it.
    if (error.keyword === 'if') continue;
    const placed = describeSchemaError(error, keyPathOf(error.instancePath, source.data), (schema) => Object.keys((schema.properties ?? {}) as object));
    if (!placed) continue;
    const problem = source.problem(placed.path, placed.message);
    const key = `${problem.path}\0${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}
