/**
 * Infer a schema from observed values, for the overlay actions that add what the document lacks
 * (an undocumented property, status, content type or operation). Values are folded into one
 * accumulator as they are seen, so memory follows the shape of the data, not the number of
 * samples, and every sample counts: a property seen only in response 500 is still in the schema,
 * so re-running drift with the overlay applied finds nothing left to report.
 */
import type { SchemaDialect } from '../spec/types.js';
import { recogniseFormat } from './formats.js';
import type { JsonType } from './types.js';

/** Deeper than this, the inferred schema accepts anything (a vendor's data is rarely 32 deep). */
const MAX_INFER_DEPTH = 32;
/** Formats an inferred schema may claim: the ones every OpenAPI tool checks the same way. */
const STANDARD_FORMATS = new Set(['date-time', 'date', 'email', 'uuid', 'uri']);

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

export class ShapeAccumulator {
  samples = 0;
  readonly types = new Map<JsonType, number>();
  private properties: Map<string, ShapeAccumulator> | undefined;
  private items: ShapeAccumulator | undefined;
  /** The one standard format every string so far had; null once they disagreed or had none. */
  private format: string | null | undefined;

  /** @example acc.add({ id: 1, email: 'a@b.no' }) */
  add(value: unknown, depth = 0): void {
    this.samples++;
    const type = jsonTypeOf(value);
    this.types.set(type, (this.types.get(type) ?? 0) + 1);
    if (depth >= MAX_INFER_DEPTH) return;
    if (type === 'string') this.addFormat(value as string);
    else if (type === 'array') {
      this.items ??= new ShapeAccumulator();
      for (const item of value as unknown[]) this.items.add(item, depth + 1);
    } else if (type === 'object') {
      this.properties ??= new Map();
      const object = value as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        let child = this.properties.get(key);
        if (child === undefined) this.properties.set(key, (child = new ShapeAccumulator()));
        child.add(object[key], depth + 1);
      }
    }
  }

  /** Fold another accumulator in, as if its values had been added here. */
  merge(other: ShapeAccumulator): void {
    this.samples += other.samples;
    for (const [type, n] of other.types) this.types.set(type, (this.types.get(type) ?? 0) + n);
    if (other.format !== undefined) this.format = this.format === undefined || this.format === other.format ? other.format : null;
    if (other.items !== undefined) (this.items ??= new ShapeAccumulator()).merge(other.items);
    for (const [key, child] of other.properties ?? []) {
      this.properties ??= new Map();
      let mine = this.properties.get(key);
      if (mine === undefined) this.properties.set(key, (mine = new ShapeAccumulator()));
      mine.merge(child);
    }
  }

  private addFormat(value: string): void {
    if (this.format === null) return;
    const recognised = recogniseFormat(value);
    const format = recognised !== undefined && STANDARD_FORMATS.has(recognised) ? recognised : null;
    this.format = this.format === undefined || this.format === format ? format : null;
  }

  /** A schema in the document's own dialect that every value seen validates against. */
  toSchema(dialect: SchemaDialect): Record<string, unknown> {
    const nullable = this.types.has('null');
    const types = [...this.types.keys()].filter((t) => t !== 'null');
    // An integer is a number: 3 and 3.5 together are `number`.
    const merged = types.includes('number') ? types.filter((t) => t !== 'integer') : types;
    if (merged.length === 0) return nullable ? { description: 'Only null was observed.' } : {};
    if (merged.length > 1) {
      const anyOf = merged.map((type) => this.schemaOfType(type, dialect));
      if (nullable && dialect === 'openapi-3.1') anyOf.push({ type: 'null' });
      // 3.0 / 2.0: an anyOf without `type` accepts null already in recon's reading, and `nullable`
      // beside anyOf is how 3.0 generators write it.
      return nullable && dialect !== 'openapi-3.1' ? { anyOf, ...nullableFlag(dialect) } : { anyOf };
    }
    const schema = this.schemaOfType(merged[0]!, dialect);
    if (!nullable) return schema;
    if (dialect === 'openapi-3.1') return { ...schema, type: [schema.type, 'null'] };
    return { ...schema, ...nullableFlag(dialect) };
  }

  private schemaOfType(type: JsonType, dialect: SchemaDialect): Record<string, unknown> {
    if (type === 'object') {
      const properties: Record<string, unknown> = {};
      for (const [key, child] of this.properties ?? []) {
        Object.defineProperty(properties, key, { value: child.toSchema(dialect), enumerable: true, writable: true, configurable: true });
      }
      return { type: 'object', properties };
    }
    if (type === 'array') return { type: 'array', items: this.items?.toSchema(dialect) ?? {} };
    if (type === 'string' && typeof this.format === 'string') return { type: 'string', format: this.format };
    return { type };
  }
}

function nullableFlag(dialect: SchemaDialect): Record<string, unknown> {
  return dialect === 'swagger-2.0' ? { 'x-nullable': true } : { nullable: true };
}
