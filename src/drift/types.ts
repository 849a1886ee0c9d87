/**
 * What drift reads and what it returns: plain data, rendered by src/drift/render/ and read by
 * `recon report`. The finding shape is a contract (DESIGN.md "Drift finding kinds"): add fields,
 * never rename or remove them.
 */
import type { NodeRef } from '../spec/types.js';

/** Stable ids, shown in every output. */
export const FINDING_KINDS = [
  'undocumented-operation',
  'undocumented-status',
  'undocumented-content-type',
  'invalid-body',
  'missing-required',
  'undocumented-property',
  'type-mismatch',
  'unexpected-null',
  'enum-mismatch',
  'format-mismatch',
  'constraint-violation',
  'undocumented-header',
  'missing-header',
  'never-observed',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** Data-profile kinds (`--profile`): facts about the vendor's data, not about its document. */
export const PROFILE_KINDS = ['non-unique-key', 'mixed-formats', 'numeric-string', 'empty-string-as-null'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

/** error: the document is contradicted; warning: reality has more than the document says;
 * info: unverified (documented, never seen) or a data-profile fact. */
export type Severity = 'error' | 'warning' | 'info';

/** JSON types as observed; `integer` is a number without a fraction. */
export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

/** Where an exchange came from: which recording (index into the inputs) and which HAR entry. */
export interface ExchangeRef {
  recording: number;
  /** Index in the HAR's `log.entries`. */
  entry: number;
}

/** A response body as the recording holds it, decoded (base64 and gzip/deflate/br undone). */
export type ObservedBody =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'binary'; bytes: number }
  /** Not available to check: the recorder cut it (`_recon.truncated`), the tool left it out,
   * or it could not be decoded. `reason` is shown as the skip reason. */
  | { kind: 'omitted'; reason: string };

/** One request/response pair read from a recording. */
export interface ObservedExchange {
  ref: ExchangeRef;
  method: string;
  url: string;
  status: number;
  /** Response headers, names lower-cased, in order. */
  headers: [name: string, value: string][];
  /** The response's media type, lower-cased, parameters stripped (`application/json`), from the
   * Content-Type header, else the HAR's `content.mimeType`; undefined when neither says. */
  mediaType: string | undefined;
  body: ObservedBody;
  /** ISO date-time the request started, as recorded. */
  startedDateTime?: string;
}

/** An exchange drift could not check, and why (shown, counted; never silent). */
export interface SkippedExchange {
  ref: ExchangeRef;
  method?: string;
  url?: string;
  reason: string;
}

/** A path in a JSON instance: property names and array indices. */
export type InstancePath = (string | number)[];

/** What the schema checker reports for one value in one body (before aggregation). */
export interface SchemaIssue {
  kind:
    | 'missing-required'
    | 'undocumented-property'
    | 'type-mismatch'
    | 'unexpected-null'
    | 'enum-mismatch'
    | 'format-mismatch'
    | 'constraint-violation';
  /** Where in the body: for missing-required and undocumented-property, the object's path plus
   * the property name. */
  path: InstancePath;
  /**
   * The raw schema object in the vendor's document where a correction belongs: the object schema
   * whose `properties`/`required`/`additionalProperties` is concerned (missing-required,
   * undocumented-property), else the schema that holds the violated keyword. `$ref`s followed.
   */
  schema: NodeRef;
  /** The keyword concerned: `required`, `properties`, `additionalProperties`, `type`, `enum`,
   * `const`, `format`, `maxLength`, `minimum`, … */
  keyword: string;
  /** What the document says: the keyword's value (type list, enum list, format name, bound). */
  expected?: unknown;
  /** The offending value (not redacted yet: the aggregator redacts), absent for missing-required. */
  value?: unknown;
  observedType?: JsonType;
  /** For format-mismatch on strings/numbers: the format recon recognised (`dd.MM.yyyy`,
   * `epoch-millis`, `yyyy-MM-dd HH:mm:ss`, `date-time`…), when it recognised one. */
  observedFormat?: string;
  /** The property named, for missing-required and undocumented-property. */
  property?: string;
  /**
   * The composition branches the checker went through to get here, outermost first, e.g.
   * `['oneOf[1] #/components/schemas/Cat']`; empty when none.
   */
  branch: string[];
  /** True when the document explicitly forbids what was seen (`additionalProperties: false`);
   * only meaningful for undocumented-property, which is otherwise a warning. */
  contradicts?: boolean;
}

export interface OperationRef {
  method: string;
  /** The path template as documented (or, for undocumented operations, as observed). */
  path: string;
  operationId?: string;
}

/** Up to `DRIFT_DEFAULTS.examples` example values, redacted. */
export interface ObservedEvidence {
  /** Responses (samples) in which the finding was seen. */
  count: number;
  /** Responses of that operation + status (+ content type) that could have shown it. */
  total: number;
  examples: unknown[];
  /** Observed JSON types of the values, most frequent first. */
  types?: JsonType[];
  /** Formats recon recognised in the values, most frequent first. */
  formats?: string[];
  /** Values showing it in all, when more than the responses (80 invoices in one page). */
  occurrences?: number;
}

export interface Finding {
  kind: FindingKind | ProfileKind;
  severity: Severity;
  operation: OperationRef;
  /** The observed status (`409`), or for never-observed the documented one (`200`, `4XX`). */
  status?: string;
  contentType?: string;
  /** JSON pointer into the body with array indices folded to `*` (`/items/*\/email`), or for
   * headers `header:X-Request-Id`; '' for the whole body. */
  pointer: string;
  /** One line a person reads: "`amount` is a string (number sent as string) in 9 of 80". */
  message: string;
  /** What the document says (keyword value), when it says something. */
  expected?: unknown;
  observed: ObservedEvidence;
  /** Where in the vendor document the contradicted or missing part lives, as a JSON pointer
   * into `location.uri` (for SARIF and the overlay). */
  location?: NodeRef;
  /** Composition branch(es), outermost first. */
  branch?: string[];
  /** The first few exchanges that showed it. */
  exchanges: ExchangeRef[];
}

export interface RecordingSummary {
  file: string;
  exchanges: number;
  checked: number;
  skipped: number;
}

export interface DriftSummary {
  exchanges: number;
  checked: number;
  skipped: number;
  operationsObserved: number;
  operationsDocumented: number;
  findings: Record<Severity, number>;
}

export interface DriftReport {
  spec: { source: string; title: string; version: string; sha256: string; overlays: string[] };
  recordings: RecordingSummary[];
  summary: DriftSummary;
  /** Worst first: severity, then operation, then pointer. */
  findings: Finding[];
  /** Skip reasons with counts and the first few exchanges. */
  skipped: { reason: string; count: number; exchanges: ExchangeRef[] }[];
  /** With `--profile`. */
  profile?: Finding[];
}

/**
 * An exchange after matching and parsing, as the data profile and the baseline comparison
 * consume it (they see every checked exchange once, in recording order).
 */
export interface CheckedExchange {
  exchange: ObservedExchange;
  /** The documented operation (or, for undocumented ones, method + observed path template). */
  operation: OperationRef;
  documented: boolean;
  /** The observed status as a string (`200`). */
  status: string;
  mediaType?: string;
  /** The parsed JSON body, when the body was JSON and parsed. */
  body?: unknown;
}
