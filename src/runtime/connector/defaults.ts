/**
 * Every default a connector has, written out in one place; `withDefaults` turns what a person
 * wrote (YAML or `defineConnector({...})`) into a complete `ConnectorDefinition`.
 */
import type { ConnectorDefinition, PaginationDefinition, PullDefinition, PullSink, RequestTemplate, RetryPolicy } from './types.js';

/** A pull's fields as written: top level in the YAML, beside `kind: pull`. */
export interface PullInput {
  pagination?: Omit<PaginationDefinition, 'param' | 'sizeParam'> & { param?: string; sizeParam?: string };
  sink?: PullSink;
  idField?: string;
  every?: string;
}

/** What a person writes: the contract's required fields, everything else optional. */
export type ConnectorInput = Omit<ConnectorDefinition, 'retry' | 'concurrency' | 'timeoutMs' | 'validate' | 'request' | 'kind' | 'pull' | 'messageId' | 'idempotency'> & PullInput & {
  kind?: 'push' | 'pull';
  /** Required for push (the schema says so). */
  messageId?: string;
  idempotency?: ConnectorDefinition['idempotency'];
  request?: RequestTemplate;
  retry?: Partial<RetryPolicy>;
  concurrency?: number;
  timeoutMs?: number;
  validate?: boolean;
};

export const CONNECTOR_DEFAULTS = {
  retry: {
    maxAttempts: 8,
    baseDelayMs: 1000,
    maxDelayMs: 60_000,
    maxElapsedMs: 60 * 60 * 1000,
    // RFC 9110 §15.5.9 408, RFC 8470 §5.2 425, RFC 6585 §4 429, and the 5xx that mean "try later".
    retryStatuses: [408, 425, 429, 500, 502, 503, 504],
  } satisfies RetryPolicy,
  concurrency: 4,
  timeoutMs: 30_000,
  validate: true,
  /** The header the review's idempotency check sends, and what Stripe-style APIs accept. */
  idempotencyHeader: 'Idempotency-Key',
  /** The query parameter of each pagination style (link-header follows the link instead). */
  paginationParam: { 'link-header': 'page', page: 'page', offset: 'offset', cursor: 'cursor' },
  pageSizeParam: 'pageSize',
} as const;

/**
 * @example
 * withDefaults({ name: 'push-orders', config: '../recon.yaml', operation: 'createOrder',
 *   messageId: '/orderNo', idempotency: { strategy: 'header' } }).retry.maxAttempts // 8
 */
export function withDefaults(written: ConnectorInput): ConnectorDefinition {
  const { pagination, sink, idField, every, kind = 'push', ...input } = written;
  const pull = kind === 'pull' && pagination && sink ? pullWithDefaults({ pagination, sink, idField, every }) : undefined;
  // A pull only reads: there is no create to make idempotent and no input message to name.
  const idempotency: ConnectorDefinition['idempotency'] = pull ? { strategy: 'none', acknowledgeNoIdempotency: true } : { ...input.idempotency! };
  if (idempotency.strategy === 'header') idempotency.header ??= CONNECTOR_DEFAULTS.idempotencyHeader;
  if (idempotency.lookup) idempotency.lookup = { ...idempotency.lookup, request: stringifyRequest(idempotency.lookup.request ?? {}) };
  const retry = input.retry ?? {};
  return {
    ...input,
    ...(pull ? { kind: 'pull' as const, pull } : {}),
    messageId: input.messageId ?? idField ?? '',
    request: stringifyRequest(input.request ?? {}),
    idempotency,
    retry: {
      maxAttempts: retry.maxAttempts ?? CONNECTOR_DEFAULTS.retry.maxAttempts,
      baseDelayMs: retry.baseDelayMs ?? CONNECTOR_DEFAULTS.retry.baseDelayMs,
      maxDelayMs: retry.maxDelayMs ?? CONNECTOR_DEFAULTS.retry.maxDelayMs,
      maxElapsedMs: retry.maxElapsedMs ?? CONNECTOR_DEFAULTS.retry.maxElapsedMs,
      retryStatuses: [...(retry.retryStatuses ?? CONNECTOR_DEFAULTS.retry.retryStatuses)],
    },
    concurrency: input.concurrency ?? CONNECTOR_DEFAULTS.concurrency,
    timeoutMs: input.timeoutMs ?? CONNECTOR_DEFAULTS.timeoutMs,
    validate: input.validate ?? CONNECTOR_DEFAULTS.validate,
  };
}

function pullWithDefaults(input: Required<Pick<PullInput, 'pagination' | 'sink'>> & Omit<PullInput, 'pagination' | 'sink'>): PullDefinition {
  const { pagination } = input;
  return {
    pagination: {
      ...pagination,
      param: pagination.param ?? CONNECTOR_DEFAULTS.paginationParam[pagination.style],
      sizeParam: pagination.sizeParam ?? CONNECTOR_DEFAULTS.pageSizeParam,
    },
    sink: 'file' in input.sink ? { file: input.sink.file } : { command: [...input.sink.command] },
    ...(input.idField === undefined ? {} : { idField: input.idField }),
    ...(input.every === undefined ? {} : { every: input.every }),
  };
}

/**
 * YAML reads `pageSize: 100` as a number; path, query and header values are text on the wire,
 * so they are made strings here once instead of at every call.
 */
function stringifyRequest(request: RequestTemplate): RequestTemplate {
  const out: RequestTemplate = {};
  for (const part of ['path', 'query', 'headers'] as const) {
    const values = request[part];
    if (values !== undefined) out[part] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
  }
  if ('body' in request) out.body = request.body;
  return out;
}
