/**
 * A connector: how one input record becomes one vendor call, and how to make that call safe to
 * retry. Written as YAML (`connectors/push-invoices.yaml`) for the common case, or as a module
 * exporting `defineConnector({...})` for custom mapping.
 *
 * Templates are strings in which `${/json/pointer}` is replaced by the value at that pointer in
 * the input record (RFC 6901). A string that is exactly one `${…}` keeps the value's type
 * (numbers stay numbers); otherwise values are stringified. `${id}` is the message id and
 * `${key}` the idempotency key. Nothing is ever evaluated as code.
 */

export type IdempotencyStrategy = 'header' | 'lookup' | 'none';

export interface RequestTemplate {
  /** Path parameters by name. */
  path?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A JSON value whose strings are templates (objects and arrays walked). */
  body?: unknown;
}

export interface LookupDefinition {
  /** The list/search operation to call before a create (operationId or `GET /path`). */
  operation: string;
  request: RequestTemplate;
  /** JSON pointer to the array of candidates in the lookup's response (`/data`); '' when the body is the array. */
  items: string;
  /** A candidate matches when the value at this pointer equals the template's value. */
  match: { field: string; equals: string };
  /** Pointer in the matching candidate to the vendor's id (`/id`). */
  vendorId?: string;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Backoff doubles up to this (full jitter: a random delay between 0 and the step). */
  maxDelayMs: number;
  /** Give up (dead) once this long has passed since the first attempt. */
  maxElapsedMs: number;
  /** Statuses retried; network errors and timeouts always are (subject to idempotency). */
  retryStatuses: number[];
}

export type PaginationStyle = 'link-header' | 'page' | 'offset' | 'cursor';

/** How a pull walks the list operation's pages. */
export interface PaginationDefinition {
  style: PaginationStyle;
  /** Query parameter of the page number / offset / cursor (default `page`, `offset`, `cursor`; unused by link-header). */
  param: string;
  /** Records per page asked for in `sizeParam` (none sent without it). */
  pageSize?: number;
  /** Query parameter of the page size. Default `pageSize`. */
  sizeParam: string;
  /** Pointer to the next cursor in the body (style cursor). */
  cursorPointer?: string;
  /** Pointer to the records in the body (`/data`); '' when the body is the array. */
  items: string;
}

/** Where a pull's records go, one JSON document a line (NDJSON). */
export type PullSink = { file: string } | { command: string[] };

/** What only a pull connector has (`kind: pull`), with every default written out. */
export interface PullDefinition {
  pagination: PaginationDefinition;
  sink: PullSink;
  /** Pointer to each record's id, for the report of what was new. */
  idField?: string;
  /** Default schedule of `recon run` (`15m`). */
  every?: string;
}

export interface ConnectorDefinition {
  name: string;
  /**
   * push (default): input records become vendor calls. pull: a list operation is read page by page
   * into a sink; `messageId` and `idempotency` do not apply (a pull only reads) and are left as
   * `idField ?? ''` and strategy `none`, acknowledged. Written out only for pull: absent means push.
   */
  kind?: 'push' | 'pull';
  /** Set for `kind: pull`. */
  pull?: PullDefinition;
  /** The file it was read from (for messages and relative paths). */
  file?: string;
  /** recon.yaml (relative to the connector file): base URL, auth, TLS, secrets of `target`. */
  config: string;
  target?: string;
  /** integration-spec.yaml (relative): the measured rate limit the throttle uses. Optional: without it, `rateLimit` must be given. */
  integrationSpec?: string;
  /** Explicit limit when there is no integration spec (or to go lower): requests per window. */
  rateLimit?: { limit: number; windowSeconds: number };
  /** operationId or `METHOD /path/template` in the vendor document (with review/overlay.yaml applied when present). */
  operation: string;
  /** JSON pointer to the message id in each input record (`/invoiceNumber`). */
  messageId: string;
  request: RequestTemplate;
  idempotency: {
    strategy: IdempotencyStrategy;
    /** Header that carries the key (strategy `header`; default `Idempotency-Key`). */
    header?: string;
    lookup?: LookupDefinition;
    /** Strategy `none` must be chosen explicitly, knowing an unknown outcome is parked, never retried. */
    acknowledgeNoIdempotency?: boolean;
  };
  /** Pointer to the vendor's id in the create response (`/id`), kept with the done message. */
  vendorId?: string;
  retry: RetryPolicy;
  /** Calls in flight at once. Default 4. */
  concurrency: number;
  /** Per call. Default 30 s. */
  timeoutMs: number;
  /** Check outgoing bodies against the (overlaid) request schema. Default true. */
  validate: boolean;
}
