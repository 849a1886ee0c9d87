/**
 * Every default a connector has, written out in one place; `withDefaults` turns what a person
 * wrote (YAML or `defineConnector({...})`) into a complete `ConnectorDefinition`.
 */
import type { ConnectorDefinition, RequestTemplate, RetryPolicy } from './types.js';

/** What a person writes: the contract's required fields, everything else optional. */
export type ConnectorInput = Omit<ConnectorDefinition, 'retry' | 'concurrency' | 'timeoutMs' | 'validate' | 'request'> & {
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
} as const;

/**
 * @example
 * withDefaults({ name: 'push-orders', config: '../recon.yaml', operation: 'createOrder',
 *   messageId: '/orderNo', idempotency: { strategy: 'header' } }).retry.maxAttempts // 8
 */
export function withDefaults(input: ConnectorInput): ConnectorDefinition {
  const idempotency = { ...input.idempotency };
  if (idempotency.strategy === 'header') idempotency.header ??= CONNECTOR_DEFAULTS.idempotencyHeader;
  if (idempotency.lookup) idempotency.lookup = { ...idempotency.lookup, request: stringifyRequest(idempotency.lookup.request ?? {}) };
  const retry = input.retry ?? {};
  return {
    ...input,
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
