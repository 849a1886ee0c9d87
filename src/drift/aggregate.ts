/**
 * Folds what was seen in every exchange into findings: one per (kind, operation, status,
 * content type, pointer, keyword, schema location), with how many responses showed it out of
 * how many could have, a few redacted examples, the first exchanges, and the evidence the
 * overlay needs (observed types, formats, bounds, enum values, an inferred shape).
 */
import type { Redactor } from '../http/redact/index.js';
import type { NodeRef } from '../spec/types.js';
import { ShapeAccumulator, jsonTypeOf } from './infer.js';
import type { ExchangeRef, Finding, FindingKind, JsonType, OperationRef, Severity, SkippedExchange } from './types.js';

/** Exchanges and examples kept per finding: enough to look at, few enough to read. */
export const AGGREGATE_LIMITS = { exchanges: 5, examples: 3, enumValues: 200, exampleChars: 120 } as const;

/** What identifies a finding and what it says, shared by an observation and the folded entry. */
interface FindingIdentity {
  kind: FindingKind;
  severity: Severity;
  operation: OperationRef;
  status?: string;
  contentType?: string;
  pointer: string;
  keyword?: string;
  location?: NodeRef;
  branch?: string[];
  expected?: unknown;
  /** The property a missing/undocumented finding names, or the header. */
  property?: string;
  /** Why, in words, for kinds whose message is not derived from the rest (invalid-body). */
  detail?: string;
}

/** One sighting in one exchange. */
export interface Observation extends FindingIdentity {
  /** The value seen (raw; redacted when it becomes an example). */
  value?: unknown;
  hasValue?: boolean;
  observedFormat?: string;
  ref: ExchangeRef;
  /** Feed the value to the entry's shape (undocumented property / status / content type / operation). */
  infer?: boolean;
  /** Response headers of an undocumented status or operation (documented with it by the overlay). */
  headers?: string[];
}

/** Everything known about one finding while the recordings are read. */
export interface FindingEntry extends FindingIdentity {
  key: string;
  /** Responses that showed it (each counted once) and values seen in all. */
  responses: number;
  occurrences: number;
  lastExchange: string;
  exchanges: ExchangeRef[];
  examples: unknown[];
  types: Map<JsonType, number>;
  formats: Map<string, number>;
  /** Numbers: smallest/largest value; strings and arrays: shortest/longest length. */
  min?: number;
  max?: number;
  enumValues: unknown[];
  shape?: ShapeAccumulator;
  headers?: Set<string>;
}

export class Aggregator {
  readonly entries = new Map<string, FindingEntry>();
  /** Checked responses per `opKey|status|mediaType` and per `opKey|status` and per `opKey`. */
  readonly totals = new Map<string, number>();
  readonly skipped = new Map<string, { count: number; exchanges: ExchangeRef[] }>();

  constructor(private readonly redactor: Redactor) {}

  count(key: string): void {
    this.totals.set(key, (this.totals.get(key) ?? 0) + 1);
  }

  skip(item: SkippedExchange): void {
    let entry = this.skipped.get(item.reason);
    if (entry === undefined) this.skipped.set(item.reason, (entry = { count: 0, exchanges: [] }));
    entry.count++;
    if (entry.exchanges.length < AGGREGATE_LIMITS.exchanges) entry.exchanges.push(item.ref);
  }

  add(o: Observation): FindingEntry {
    const key = [o.kind, operationKey(o.operation), o.status ?? '', o.contentType ?? '', o.pointer, o.keyword ?? '', o.location ? `${o.location.uri}#${o.location.pointer}` : '', (o.branch ?? []).join(' > ')].join('\u0000');
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = {
        key,
        kind: o.kind,
        severity: o.severity,
        operation: o.operation,
        pointer: o.pointer,
        responses: 0,
        occurrences: 0,
        lastExchange: '',
        exchanges: [],
        examples: [],
        types: new Map(),
        formats: new Map(),
        enumValues: [],
        ...(o.status !== undefined ? { status: o.status } : {}),
        ...(o.contentType !== undefined ? { contentType: o.contentType } : {}),
        ...(o.keyword !== undefined ? { keyword: o.keyword } : {}),
        ...(o.location !== undefined ? { location: o.location } : {}),
        ...(o.branch !== undefined && o.branch.length > 0 ? { branch: o.branch } : {}),
        ...(o.expected !== undefined ? { expected: o.expected } : {}),
        ...(o.property !== undefined ? { property: o.property } : {}),
        ...(o.detail !== undefined ? { detail: o.detail } : {}),
      };
      this.entries.set(key, entry);
    }
    const exchangeId = `${o.ref.recording}:${o.ref.entry}`;
    if (entry.lastExchange !== exchangeId) {
      entry.lastExchange = exchangeId;
      entry.responses++;
      if (entry.exchanges.length < AGGREGATE_LIMITS.exchanges) entry.exchanges.push(o.ref);
    }
    entry.occurrences++;
    if (o.headers !== undefined && o.headers.length > 0) {
      entry.headers ??= new Set();
      for (const name of o.headers) entry.headers.add(name);
    }
    if (o.hasValue === true) this.addValue(entry, o);
    return entry;
  }

  private addValue(entry: FindingEntry, o: Observation): void {
    const value = o.value;
    const type = jsonTypeOf(value);
    entry.types.set(type, (entry.types.get(type) ?? 0) + 1);
    if (o.observedFormat !== undefined) entry.formats.set(o.observedFormat, (entry.formats.get(o.observedFormat) ?? 0) + 1);
    const measure = typeof value === 'number' ? value : typeof value === 'string' ? [...value].length : Array.isArray(value) ? value.length : undefined;
    if (measure !== undefined) {
      entry.min = entry.min === undefined ? measure : Math.min(entry.min, measure);
      entry.max = entry.max === undefined ? measure : Math.max(entry.max, measure);
    }
    if (entry.kind === 'enum-mismatch' && entry.enumValues.length < AGGREGATE_LIMITS.enumValues && isPrimitive(value) && !entry.enumValues.includes(value)) {
      entry.enumValues.push(value);
    }
    if (o.infer === true) (entry.shape ??= new ShapeAccumulator()).add(value);
    if (entry.examples.length < AGGREGATE_LIMITS.examples) {
      const example = o.kind === 'undocumented-header' && typeof value === 'string' ? this.redactor.headerValue(o.property ?? '', value) : this.example(o.property ?? lastToken(o.pointer), value);
      if (!entry.examples.some((e) => e === example)) entry.examples.push(example);
    }
  }

  /** Primitives redacted and cut; objects and arrays described, never copied into a report. */
  private example(name: string | undefined, value: unknown): unknown {
    if (Array.isArray(value)) return `(array of ${value.length})`;
    if (value !== null && typeof value === 'object') return `(object with ${Object.keys(value).length} properties)`;
    const redacted = this.redactor.field(name, value);
    if (typeof redacted === 'string' && redacted.length > AGGREGATE_LIMITS.exampleChars) return `${redacted.slice(0, AGGREGATE_LIMITS.exampleChars)}…`;
    return redacted;
  }

  /** The responses that could have shown a finding: of its operation+status+media type, else wider. */
  totalFor(entry: Pick<FindingEntry, 'operation' | 'status' | 'contentType'>): number {
    const op = operationKey(entry.operation);
    if (entry.status !== undefined && entry.contentType !== undefined) {
      const n = this.totals.get(`${op}|${entry.status}|${entry.contentType}`);
      if (n !== undefined) return n;
    }
    if (entry.status !== undefined) {
      const n = this.totals.get(`${op}|${entry.status}`);
      if (n !== undefined) return n;
    }
    return this.totals.get(op) ?? 0;
  }

  toFinding(entry: FindingEntry, message: string): Finding {
    const types = byCount(entry.types);
    const formats = byCount(entry.formats);
    return {
      kind: entry.kind,
      severity: entry.severity,
      operation: entry.operation,
      ...(entry.status !== undefined ? { status: entry.status } : {}),
      ...(entry.contentType !== undefined ? { contentType: entry.contentType } : {}),
      pointer: entry.pointer,
      message,
      ...(entry.expected !== undefined ? { expected: entry.expected } : {}),
      observed: {
        count: entry.responses,
        total: Math.max(this.totalFor(entry), entry.responses),
        examples: entry.examples,
        ...(types.length > 0 ? { types } : {}),
        ...(formats.length > 0 ? { formats } : {}),
        ...(entry.occurrences > entry.responses ? { occurrences: entry.occurrences } : {}),
      },
      ...(entry.location !== undefined ? { location: entry.location } : {}),
      ...(entry.branch !== undefined ? { branch: entry.branch } : {}),
      exchanges: entry.exchanges,
    };
  }
}

export function operationKey(operation: OperationRef): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}

function byCount<T>(counts: Map<T, number>): T[] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([value]) => value);
}

function isPrimitive(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function lastToken(pointer: string): string | undefined {
  const token = pointer.slice(pointer.lastIndexOf('/') + 1);
  return token === '' || token === '*' ? undefined : token.replace(/~1/g, '/').replace(/~0/g, '~');
}
