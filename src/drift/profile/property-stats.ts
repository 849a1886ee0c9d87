/**
 * The running tally for one (operation, status, pointer): counts only, plus a bounded set of
 * distinct values and a few examples, so memory follows the shape of the data rather than the
 * number of exchanges.
 */
import { createHash } from 'node:crypto';
import type { ExchangeRef, JsonType } from '../types.js';
import { citeExchange, keepFirst, shortExample } from './evidence.js';
import type { KeyGroup } from './key-uniqueness.js';
import type { NamedCount } from './types.js';

/** Strings that are plain decimal numbers; locale spellings (`1 234,50`) are formats, not this. */
const NUMERIC = /^[+-]?\d+(?:\.\d+)?$/;
/** Longer strings are counted by digest so a distinct set of long text stays small. */
const DIGEST_OVER = 128;

/** Shared allowance of distinct values across all properties of one profile. */
export interface DistinctBudget {
  remaining: number;
}

export interface FormatTally {
  count: number;
  example: unknown;
  refs: ExchangeRef[];
}

export interface EvidenceLimits {
  examples: number;
  exampleLength: number;
  exchanges: number;
  maxDistinct: number;
}

export class PropertyStats {
  responses = 0;
  values = 0;
  nulls = 0;
  strings = 0;
  numericStrings = 0;
  emptyStrings = 0;
  /** A numeric string with a leading zero (`"0150"`): a code, not a number. */
  leadingZero = false;
  minLength: number | undefined;
  maxLength: number | undefined;
  readonly types = new Map<JsonType, number>();
  readonly formats = new Map<string, FormatTally>();
  readonly distinct = new Set<DistinctKey>();
  distinctCapped = false;
  readonly numericExamples: unknown[] = [];
  readonly numericRefs: ExchangeRef[] = [];
  readonly emptyRefs: ExchangeRef[] = [];
  /** Where key-uniqueness tallies this property: undefined until resolved, null for never. */
  keyGroup: KeyGroup | null | undefined;
  private lastExchange = -1;

  constructor(
    /** Pointer of the object holding the property, for the absent count. */
    readonly parent: string | undefined,
    readonly key: string | undefined,
  ) {}

  /** Objects seen at this pointer (the parent count for its properties). */
  get objects(): number {
    return this.types.get('object') ?? 0;
  }

  add(value: unknown, type: JsonType, format: string | undefined, exchange: number, ref: ExchangeRef, limits: EvidenceLimits, budget: DistinctBudget): void {
    if (exchange !== this.lastExchange) {
      this.lastExchange = exchange;
      this.responses++;
    }
    this.values++;
    this.types.set(type, (this.types.get(type) ?? 0) + 1);
    if (type === 'null') {
      this.nulls++;
      return;
    }
    if (format !== undefined) this.addFormat(format, value, ref, limits);
    if (type === 'string') this.addString(value as string, ref, limits);
    if (type !== 'object' && type !== 'array') this.addDistinct(value, type, limits.maxDistinct, budget);
  }

  private addFormat(format: string, value: unknown, ref: ExchangeRef, limits: EvidenceLimits): void {
    let tally = this.formats.get(format);
    if (tally === undefined) this.formats.set(format, (tally = { count: 0, example: shortExample(value, limits.exampleLength), refs: [] }));
    tally.count++;
    citeExchange(tally.refs, ref, limits.exchanges);
  }

  private addString(text: string, ref: ExchangeRef, limits: EvidenceLimits): void {
    this.strings++;
    const length = text.length;
    if (this.minLength === undefined || length < this.minLength) this.minLength = length;
    if (this.maxLength === undefined || length > this.maxLength) this.maxLength = length;
    if (length === 0) {
      this.emptyStrings++;
      citeExchange(this.emptyRefs, ref, limits.exchanges);
      return;
    }
    if (length <= 40 && NUMERIC.test(text)) {
      this.numericStrings++;
      if (/^[+-]?0\d/.test(text)) this.leadingZero = true;
      if (!this.numericExamples.includes(text)) keepFirst(this.numericExamples, text, limits.examples);
      citeExchange(this.numericRefs, ref, limits.exchanges);
    }
  }

  private addDistinct(value: unknown, type: JsonType, max: number, budget: DistinctBudget): void {
    if (this.distinctCapped) return;
    const key = distinctKey(value, type);
    if (this.distinct.has(key)) return;
    if (this.distinct.size >= max || budget.remaining <= 0) {
      this.distinctCapped = true;
      return;
    }
    this.distinct.add(key);
    budget.remaining--;
  }

  typeCounts(): NamedCount<JsonType>[] {
    return byCount(this.types);
  }

  formatCounts(): NamedCount[] {
    return byCount(new Map([...this.formats].map(([name, tally]) => [name, tally.count])));
  }
}

/** A scalar as a Map/Set key. The value itself where it can be (a Map keeps `1` and `"1"`
 * apart, and no new string is built per value); long text by digest, so a set of it stays small. */
export type DistinctKey = string | number | boolean;

export function distinctKey(value: unknown, type: JsonType): DistinctKey {
  if (type === 'string' && (value as string).length > DIGEST_OVER) return '\u0000' + createHash('sha1').update(value as string).digest('base64');
  return value as DistinctKey;
}

/** Most frequent first; ties by name so output is stable. */
export function byCount<T extends string>(counts: Map<T, number>): NamedCount<T>[] {
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
