/**
 * Key order for writing: the schema's order, everywhere, whatever order the data was built or
 * hand-edited in. Regenerating a spec then diffs only where a value changed.
 */
import type { SchemaObject } from 'ajv/dist/2020.js';
import { integrationSpecSchema, resolveSchemaRef } from './validate.js';

/**
 * A copy of `data` with every mapping's keys in the order its schema lists them (including the
 * keys of a shape it refers to, such as `$defs/sourced`); keys the schema does not know (`x-…`)
 * follow, sorted.
 *
 * @example
 * orderBySchema({ rateLimits: [], integrationSpec: 1 }) // { integrationSpec: 1, rateLimits: [] }
 */
export function orderBySchema<T>(data: T, schema: SchemaObject = integrationSpecSchema()): T {
  return order(data, schema) as T;
}

function order(value: unknown, schema: SchemaObject | undefined): unknown {
  const node = schema ? resolved(schema) : undefined;
  if (Array.isArray(value)) return value.map((item) => order(item, node?.items as SchemaObject | undefined));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const properties = node ? propertiesOf(node) : {};
  const known = Object.keys(properties).filter((key) => key in record);
  const rest = Object.keys(record).filter((key) => !(key in properties)).sort();
  const additional = node?.additionalProperties as SchemaObject | undefined;
  const out: Record<string, unknown> = {};
  for (const key of known) out[key] = order(record[key], properties[key]);
  for (const key of rest) out[key] = order(record[key], typeof additional === 'object' ? additional : undefined);
  return out;
}

/** Own properties first, then those of the `$ref` target. */
function propertiesOf(node: SchemaObject): Record<string, SchemaObject> {
  const own = (node.properties ?? {}) as Record<string, SchemaObject>;
  const referred = typeof node.$ref === 'string' ? propertiesOf(resolveSchemaRef(node.$ref)) : {};
  return { ...own, ...Object.fromEntries(Object.entries(referred).filter(([key]) => !(key in own))) };
}

/** A schema that is only a `$ref` (plus a description) stands for its target. */
function resolved(node: SchemaObject): SchemaObject {
  if (typeof node.$ref === 'string' && node.properties === undefined && node.items === undefined) return resolved(resolveSchemaRef(node.$ref));
  return node;
}
