/**
 * A recording's shape: the compact, JSON-serialisable summary `--baseline OLD` compares
 * against, and the changes the comparison returns. Everything keyed by the vendor's data
 * (pointers, values, header names) is an array of entries, never an object's keys, so a
 * property named `__proto__` is plain data here and in the saved file.
 */
import type { JsonType, OperationRef, Severity } from '../types.js';

export const SHAPE_FORMAT = 'recon-recording-shape';
export const SHAPE_VERSION = 1;

/** Every limit and threshold of the shape and its comparison, written out once. */
export const SHAPE_DEFAULTS = {
  /** Distinct string values kept per property; more and the property is not enum-like. */
  maxEnumValues: 20,
  /** Longer strings are text, not enum values, and are not kept. */
  maxEnumValueLength: 40,
  /** Pointers kept per (operation, status); values at further pointers are counted only. */
  maxPointersPerResponse: 2_000,
  /** A property is "removed" when it was in at least this share of old responses and in none
   * of the new; a header likewise. */
  removedPresence: 0.5,
  /** Responses a header must be seen in, in both recordings, before its constant value counts. */
  minHeaderSamples: 2,
} as const;

export type ShapeOptions = { -readonly [K in keyof typeof SHAPE_DEFAULTS]: number };

export interface ValueCount {
  value: string;
  count: number;
}

export interface TypeCount {
  type: JsonType;
  /** Responses in which a value of this type appeared at the pointer. */
  count: number;
}

export interface PropertyShape {
  /** Folded JSON pointer (`/data/*\/price`). */
  pointer: string;
  /** Responses in which the pointer held a value. */
  present: number;
  types: TypeCount[];
  /** String values and how often each was seen, when few (enum-like); absent for text,
   * recognised formats (dates, numbers, emails) and personal-sounding names. */
  values?: ValueCount[];
  /** More than `maxEnumValues` distinct values: `values` holds the first ones only. */
  valuesOverflow?: boolean;
}

export interface HeaderPresence {
  /** Lower-cased header name. */
  name: string;
  /** Responses carrying it. */
  present: number;
}

export interface StatusShape {
  status: string;
  samples: number;
  /** Samples with a parsed JSON body: the denominator for `properties`. */
  bodies: number;
  mediaTypes: ValueCount[];
  properties: PropertyShape[];
  headers: HeaderPresence[];
  /** Values at pointers beyond `maxPointersPerResponse`, not summarised. */
  pointersCut?: number;
}

export interface OperationShape {
  operation: OperationRef;
  samples: number;
  statuses: StatusShape[];
}

/** A response header across the whole recording; `value` only when it never varied. */
export interface HeaderShape {
  name: string;
  present: number;
  value?: string;
}

export interface RecordingShape {
  format: typeof SHAPE_FORMAT;
  version: typeof SHAPE_VERSION;
  /** Exchanges summarised. */
  exchanges: number;
  operations: OperationShape[];
  headers: HeaderShape[];
}

export const BASELINE_CHANGE_KINDS = [
  'property-added',
  'property-removed',
  'type-changed',
  'status-added',
  'status-removed',
  'media-type-changed',
  'enum-value-added',
  'header-changed',
  'header-removed',
  'header-added',
  'operation-not-observed',
] as const;
export type BaselineChangeKind = (typeof BASELINE_CHANGE_KINDS)[number];

/** What one recording showed, as evidence for a change. */
export interface BaselineEvidence {
  /** Responses (or values, for enum values) that showed it. */
  count: number;
  /** Responses that could have shown it. */
  total: number;
  types?: JsonType[];
  values?: string[];
}

export interface BaselineChange {
  kind: BaselineChangeKind;
  /** error: removals and type changes; warning: additions, new statuses and enum values;
   * info: the rest. */
  severity: Severity;
  /** Absent for recording-wide header changes. */
  operation?: OperationRef;
  status?: string;
  /** Folded JSON pointer, or `header:X-Acme-Release` for headers. */
  pointer?: string;
  /** One line a person reads. */
  message: string;
  old?: BaselineEvidence;
  new?: BaselineEvidence;
}
