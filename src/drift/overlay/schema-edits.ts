/**
 * Corrections to schemas, collected per schema object so that two findings about one schema
 * (two required properties absent, a property both undocumented on one operation and another)
 * become one consistent set of actions.
 */
import type { DocumentSet } from '../../spec/documents.js';
import type { SpecVersion } from '../../spec/types.js';
import type { FindingEntry } from '../aggregate.js';
import { ShapeAccumulator } from '../infer.js';
import type { JsonType } from '../types.js';
import type { ActionSink } from './sink.js';

interface SchemaEdit {
  pointer: string;
  value: Record<string, unknown>;
  addProperties: Map<string, ShapeAccumulator>;
  dropAdditionalPropertiesFalse: boolean;
  removeRequired: Set<string>;
  nullable: boolean;
  enumAdd: unknown[];
  types: Set<JsonType>;
  formats: Set<string>;
  dropFormat: boolean;
  /** keyword → the observed extreme that must become allowed. */
  constraints: Map<string, { min?: number; max?: number }>;
  evidence: string[];
}

export class SchemaEdits {
  private readonly edits = new Map<string, SchemaEdit>();

  constructor(
    private readonly documents: DocumentSet,
    private readonly version: SpecVersion,
  ) {}

  /** Fold one finding about a schema into the edit of that schema. */
  add(entry: FindingEntry, evidence: string): boolean {
    const location = entry.location;
    if (location === undefined || location.uri !== this.documents.root.uri) return false;
    const value = this.documents.valueAt(location);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    let edit = this.edits.get(location.pointer);
    if (edit === undefined) {
      edit = {
        pointer: location.pointer,
        value: value as Record<string, unknown>,
        addProperties: new Map(),
        dropAdditionalPropertiesFalse: false,
        removeRequired: new Set(),
        nullable: false,
        enumAdd: [],
        types: new Set(),
        formats: new Set(),
        dropFormat: false,
        constraints: new Map(),
        evidence: [],
      };
      this.edits.set(location.pointer, edit);
    }
    edit.evidence.push(evidence);
    switch (entry.kind) {
      case 'undocumented-property': {
        const name = entry.property ?? '';
        const shape = edit.addProperties.get(name) ?? new ShapeAccumulator();
        if (entry.shape !== undefined) mergeShape(shape, entry.shape);
        edit.addProperties.set(name, shape);
        if (entry.severity === 'error') edit.dropAdditionalPropertiesFalse = true;
        return true;
      }
      case 'missing-required':
        edit.removeRequired.add(entry.property ?? '');
        return true;
      case 'unexpected-null':
        edit.nullable = true;
        return true;
      case 'enum-mismatch':
        for (const v of entry.enumValues) if (!edit.enumAdd.includes(v)) edit.enumAdd.push(v);
        return true;
      case 'type-mismatch':
        for (const type of entry.types.keys()) if (type !== 'null') edit.types.add(type);
        return true;
      case 'format-mismatch':
        edit.dropFormat = true;
        for (const format of entry.formats.keys()) edit.formats.add(format);
        return true;
      case 'constraint-violation': {
        const keyword = entry.keyword ?? '';
        const bound = edit.constraints.get(keyword) ?? {};
        if (entry.min !== undefined) bound.min = Math.min(bound.min ?? entry.min, entry.min);
        if (entry.max !== undefined) bound.max = Math.max(bound.max ?? entry.max, entry.max);
        edit.constraints.set(keyword, bound);
        return true;
      }
      default:
        return false;
    }
  }

  emit(sink: ActionSink): void {
    for (const edit of this.edits.values()) this.emitOne(edit, sink);
  }

  private emitOne(edit: SchemaEdit, sink: ActionSink): void {
    const at = edit.pointer;
    const why = summarise(edit.evidence);
    const v = edit.value;
    const update: Record<string, unknown> = {};

    if (edit.removeRequired.size > 0 && Array.isArray(v.required)) {
      const remaining = (v.required as unknown[]).filter((name) => typeof name !== 'string' || !edit.removeRequired.has(name));
      sink.remove(at, ['required'], `Not always present: ${[...edit.removeRequired].join(', ')}. ${why}`);
      if (remaining.length > 0) update.required = remaining;
    }
    if (edit.addProperties.size > 0) {
      const properties: Record<string, unknown> = {};
      for (const [name, shape] of edit.addProperties) {
        Object.defineProperty(properties, name, { value: shape.toSchema(this.documents.dialectOf(this.documents.root.uri)), enumerable: true, writable: true, configurable: true });
      }
      update.properties = properties;
      if (edit.dropAdditionalPropertiesFalse && v.additionalProperties === false) sink.remove(at, ['additionalProperties'], `Properties beyond the documented ones are sent. ${why}`);
    }
    this.typeAndNull(edit, sink, update, why);
    if (edit.enumAdd.length > 0 && Array.isArray(v.enum)) update.enum = edit.enumAdd;
    if (edit.dropFormat && typeof v.format === 'string') {
      sink.remove(at, ['format'], `Values do not match format ${v.format}${edit.formats.size > 0 ? ` (observed: ${[...edit.formats].join(', ')})` : ''}. ${why}`);
      if (edit.formats.size > 0) update['x-recon-observed-formats'] = [...edit.formats];
    }
    for (const [keyword, bound] of edit.constraints) this.constraint(edit, keyword, bound, sink, update, why);
    if (Object.keys(update).length > 0) sink.update(at, [], update, why);
  }

  private typeAndNull(edit: SchemaEdit, sink: ActionSink, update: Record<string, unknown>, why: string): void {
    const v = edit.value;
    const documented = typeof v.type === 'string' ? [v.type] : Array.isArray(v.type) ? (v.type as string[]) : [];
    let types = documented;
    if (edit.types.size > 0) {
      const union = new Set<string>(documented);
      for (const t of edit.types) union.add(t === 'integer' && union.has('number') ? 'number' : t);
      if (union.has('number')) union.delete('integer');
      types = [...union];
    }
    const typeChanged = types.length !== documented.length || types.some((t, i) => t !== documented[i]);
    if (this.version === '3.1') {
      const withNull = edit.nullable && !types.includes('null') && types.length > 0 ? [...types, 'null'] : types;
      if (withNull.length !== documented.length || typeChanged) {
        if (v.type !== undefined) sink.remove(edit.pointer, ['type'], `Observed types: ${withNull.join(', ')}. ${why}`);
        update.type = withNull.length === 1 ? withNull[0] : withNull;
      }
      if (edit.nullable && Array.isArray(v.enum) && !(v.enum as unknown[]).includes(null)) edit.enumAdd.push(null);
      return;
    }
    if (typeChanged) {
      if (types.length === 1) {
        update.type = types[0];
      } else {
        // OpenAPI 3.0 and Swagger 2.0 have no type lists: the type moves into alternatives.
        if (v.type !== undefined) sink.remove(edit.pointer, ['type'], `Observed types: ${types.join(', ')}. ${why}`);
        update.anyOf = types.map((type) => ({ type }));
      }
    }
    if (edit.nullable) {
      update[this.version === '2.0' ? 'x-nullable' : 'nullable'] = true;
      // OpenAPI 3.0.3 §4.7.25.1: with an enum, null must be one of its values to be allowed.
      if (Array.isArray(v.enum) && !(v.enum as unknown[]).includes(null)) edit.enumAdd.push(null);
    }
  }

  private constraint(edit: SchemaEdit, keyword: string, bound: { min?: number; max?: number }, sink: ActionSink, update: Record<string, unknown>, why: string): void {
    const v = edit.value;
    const widen: Record<string, 'min' | 'max'> = {
      maxLength: 'max', maxItems: 'max', maxProperties: 'max', maximum: 'max',
      minLength: 'min', minItems: 'min', minProperties: 'min', minimum: 'min',
    };
    const side = widen[keyword];
    if (side !== undefined && typeof bound[side] === 'number' && typeof v[keyword] === 'number') {
      update[keyword] = bound[side];
      // A boolean exclusive flag (3.0 / 2.0) beside the bound would still exclude the observed extreme.
      const exclusive = side === 'max' ? 'exclusiveMaximum' : 'exclusiveMinimum';
      if (keyword.endsWith('imum') && v[exclusive] === true) sink.remove(edit.pointer, [exclusive], why);
      return;
    }
    if (v[keyword] !== undefined) sink.remove(edit.pointer, [keyword], `Observed values break ${keyword}: ${JSON.stringify(v[keyword])}. ${why}`);
    // A numeric exclusive bound removed in 3.1 leaves no bound; a boolean one leaves the inclusive bound, widened:
    if ((keyword === 'exclusiveMaximum' || keyword === 'exclusiveMinimum') && v[keyword] === true) {
      const plain = keyword === 'exclusiveMaximum' ? 'maximum' : 'minimum';
      const extreme = keyword === 'exclusiveMaximum' ? bound.max : bound.min;
      if (typeof v[plain] === 'number' && extreme !== undefined) update[plain] = keyword === 'exclusiveMaximum' ? Math.max(extreme, v[plain] as number) : Math.min(extreme, v[plain] as number);
    }
  }
}

function mergeShape(into: ShapeAccumulator, from: ShapeAccumulator): void {
  into.merge(from);
}

function summarise(evidence: string[]): string {
  const unique = [...new Set(evidence)];
  return unique.length <= 3 ? unique.join(' ') : `${unique.slice(0, 3).join(' ')} (+${unique.length - 3} more)`;
}
