/**
 * What the data profile returns: one PropertyProfile per (operation, status, pointer), plain
 * data for the renderers, next to the profile findings (`Finding` with a `ProfileKind`).
 */
import type { ExchangeRef, Finding, JsonType, OperationRef } from '../types.js';

/** Every limit the profile works under, written out once. */
export const DATA_PROFILE_DEFAULTS = {
  /** Distinct values counted exactly per property; beyond it `distinctExact` is false. */
  maxDistinctPerProperty: 10_000,
  /** Distinct values kept across all properties together, so 100,000 exchanges of wide
   * records stay in bounded memory; beyond it new values are no longer counted. */
  maxDistinctTotal: 1_000_000,
  /** Pointers profiled per (operation, status); a body keyed by ids (`{"10004": {...}}`)
   * would otherwise add a property per record. Beyond it new pointers are counted only. */
  maxPointersPerResponse: 2_000,
  /** Distinct key values tracked per entity property for uniqueness (exact up to here). */
  maxKeyValuesPerGroup: 10_000,
  /** Record ids kept per shared key value (the count stays exact up to here). */
  maxIdsPerValue: 1_000,
  /** Key values and record ids kept across all key groups together; beyond it new ones are
   * not tracked and counts read "at least". */
  maxKeyEntriesTotal: 1_000_000,
  /** Example values per finding, and the length a string example is cut to. */
  examples: 3,
  exampleLength: 80,
  /** Exchanges cited per finding. */
  exchanges: 5,
  /** A property whose values are at least this distinct is a key candidate by its values… */
  keyDistinctRatio: 0.95,
  /** …once this many records were seen. */
  keyMinRecords: 20,
} as const;

export type DataProfileOptions = { -readonly [K in keyof typeof DATA_PROFILE_DEFAULTS]: number };

/** A count per name, most frequent first. */
export interface NamedCount<T extends string = string> {
  name: T;
  count: number;
}

/** What one property looked like across the responses of one operation + status. */
export interface PropertyProfile {
  operation: OperationRef;
  status: string;
  contentType?: string;
  /** Folded JSON pointer (`/data/*\/organizationNumber`). */
  pointer: string;
  /** Responses of this operation + status with a JSON body (the denominator). */
  samples: number;
  /** Responses in which the pointer held at least one value. */
  responses: number;
  /** Values seen at the pointer: a list of 50 records gives 50 per response. */
  values: number;
  nulls: number;
  /** nulls / values (0 when no values). */
  nullRate: number;
  /** Objects at the parent pointer that lacked the property (0 for the body and array items). */
  absent: number;
  /** Distinct non-null scalar values; exact while `distinctExact`. */
  distinct: number;
  distinctExact: boolean;
  types: NamedCount<JsonType>[];
  /** Formats `recogniseFormat` named, most frequent first. */
  formats: NamedCount[];
  /** Strings that are plain decimal numbers (`"1234"`, `"-12.50"`). */
  numericStrings: number;
  emptyStrings: number;
  /** String lengths in UTF-16 code units, when strings were seen. */
  minLength?: number;
  maxLength?: number;
}

/** What the profile could not look at, so a reader knows the counts are partial. */
export interface DataProfileCuts {
  /** Objects or arrays deeper than the walk's depth cap (64). */
  depthCut: number;
  /** Array items beyond the walk's per-array cap (10,000). */
  itemsCut: number;
  /** Values at pointers beyond `maxPointersPerResponse`. */
  pointersCut: number;
  /** True once some property hit a distinct-value cap. */
  distinctCapped: boolean;
}

export interface DataProfileResult {
  properties: PropertyProfile[];
  /** Kinds from PROFILE_KINDS; severity info except non-unique-key (warning). */
  findings: Finding[];
  cuts: DataProfileCuts;
}

/** Where a value was seen, for the evidence of a finding. */
export interface Sighting {
  operation: OperationRef;
  status: string;
  contentType?: string;
  pointer: string;
  ref: ExchangeRef;
}
