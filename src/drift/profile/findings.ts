/**
 * Profile findings read off one property's tally: `mixed-formats`, `numeric-string` and
 * `empty-string-as-null`. All are `info`: facts about the vendor's data an integrator must
 * handle, not contradictions of the document.
 */
import type { ExchangeRef, Finding, OperationRef } from '../types.js';
import { ofTotal, shortExample } from './evidence.js';
import type { PropertyStats } from './property-stats.js';
import type { DataProfileOptions } from './types.js';

/** Both mean "a number in a string"; the numeric-string finding covers them, not mixed-formats. */
const NUMBER_FORMATS = new Set(['numeric-string', 'decimal-string']);
/** Identifiers sent as digit strings are right to be strings (leading zeros, no arithmetic). */
const IDENTIFIER = /(?:^id$|Id$|ID$|_id$|number$|nr$|no$|code$|phone|mobile|fax|zip|postal|post|orgnr|account|iban|kid$|ean$|gtin$|sku$)/i;

export interface PropertyContext {
  operation: OperationRef;
  status: string;
  contentType: string | undefined;
  pointer: string;
  /** Objects at the parent pointer lacking the property. */
  absent: number;
}

type Limits = Pick<DataProfileOptions, 'examples' | 'exchanges' | 'exampleLength'>;

/** Every profile finding one property shows, in a stable order. */
export function propertyFindings(stats: PropertyStats, at: PropertyContext, limits: Limits): Finding[] {
  return [mixedFormats(stats, at, limits), numericString(stats, at, limits), emptyStringAsNull(stats, at, limits)].filter(
    (f): f is Finding => f !== undefined,
  );
}

function base(at: PropertyContext, kind: Finding['kind'], message: string, observed: Finding['observed'], exchanges: ExchangeRef[]): Finding {
  return {
    kind,
    severity: 'info',
    operation: at.operation,
    status: at.status,
    ...(at.contentType !== undefined ? { contentType: at.contentType } : {}),
    pointer: at.pointer,
    message,
    observed,
    exchanges,
  };
}

function label(at: PropertyContext, stats: PropertyStats): string {
  return `\`${stats.key ?? (at.pointer === '' ? 'body' : at.pointer)}\``;
}

function mixedFormats(stats: PropertyStats, at: PropertyContext, limits: Limits): Finding | undefined {
  const formats = stats.formatCounts().filter((f) => f.name !== 'empty-string');
  if (formats.length < 2 || formats.every((f) => NUMBER_FORMATS.has(f.name))) return undefined;
  const seen = formats.reduce((n, f) => n + f.count, 0);
  const list = formats.map((f) => `${f.name} (${f.count})`).join(', ');
  const refs: ExchangeRef[] = [];
  for (const f of formats) for (const ref of stats.formats.get(f.name)!.refs.slice(0, 1)) refs.push(ref);
  return base(
    at,
    'mixed-formats',
    `${label(at, stats)} comes in ${formats.length} formats: ${list}`,
    {
      count: seen - formats[0]!.count,
      total: seen,
      examples: formats.slice(0, limits.examples).map((f) => stats.formats.get(f.name)!.example),
      formats: formats.map((f) => f.name),
      types: stats.typeCounts().map((t) => t.name),
    },
    refs.slice(0, limits.exchanges),
  );
}

function numericString(stats: PropertyStats, at: PropertyContext, limits: Limits): Finding | undefined {
  const nonEmpty = stats.strings - stats.emptyStrings;
  if (nonEmpty === 0 || stats.numericStrings !== nonEmpty) return undefined;
  const decimals = (stats.formats.get('decimal-string')?.count ?? 0) > 0;
  // A digit string with a leading zero, or a field named like an identifier, is a code: only a
  // decimal fraction proves it is an amount.
  if (!decimals && (stats.leadingZero || IDENTIFIER.test(stats.key ?? ''))) return undefined;
  return base(
    at,
    'numeric-string',
    `${label(at, stats)} is a number sent as a string in ${ofTotal(stats.numericStrings, stats.values)}`,
    { count: stats.numericStrings, total: stats.values, examples: stats.numericExamples.map((v) => shortExample(v, limits.exampleLength)), types: ['string'] },
    stats.numericRefs.slice(0, limits.exchanges),
  );
}

function emptyStringAsNull(stats: PropertyStats, at: PropertyContext, limits: Limits): Finding | undefined {
  if (stats.emptyStrings === 0) return undefined;
  const nonEmpty = stats.strings - stats.emptyStrings;
  // Only "" ever: a constant, not a stand-in for a missing value.
  if (stats.nulls === 0 && at.absent === 0 && nonEmpty === 0) return undefined;
  const total = stats.values + at.absent;
  const also = [stats.nulls > 0 ? `null in ${stats.nulls}` : '', at.absent > 0 ? `absent in ${at.absent}` : ''].filter((s) => s !== '');
  return base(
    at,
    'empty-string-as-null',
    `${label(at, stats)}: empty string used as null in ${ofTotal(stats.emptyStrings, total)}${also.length > 0 ? ` (also ${also.join(', ')})` : ''}`,
    { count: stats.emptyStrings, total, examples: stats.nulls > 0 ? ['', null] : [''], types: stats.typeCounts().map((t) => t.name) },
    stats.emptyRefs.slice(0, limits.exchanges),
  );
}
