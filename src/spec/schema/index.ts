/**
 * Schemas of an API description as JSON Schema 2020-12, and validators compiled from them.
 */
export { SchemaCompiler, type SchemaCompilerOptions } from './compiler.js';
export { createAjv, openApiFormats, type Ajv, type EngineDialect } from './engine.js';
export {
  MAX_SCHEMA_DEPTH,
  normaliseSchema,
  type JsonSchema,
  type JsonSchemaObject,
  type MapRef,
  type NormaliseIssue,
  type NormaliseOptions,
} from './normalise.js';
export type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
