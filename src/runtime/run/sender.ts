/**
 * The one "send" the runner composes its wrappers around (CONVENTIONS.md habit 6): the
 * throttle's permit, auth (a token fetched and refreshed on a 401), the HTTP client with the
 * connector's timeout, and every response's rate-limit headers fed back to the throttle
 * (remaining/reset always; Retry-After as a pause for everyone only after a 429).
 */
import { createAuthProvider, createHttpClient, createRedactor, sendWithAuth, type Exchange, type HttpClient, type OutgoingRequest, type Redactor } from '../../http/index.js';
import { targetSecrets } from '../../config/index.js';
import { createThrottle, parseRateLimitHeaders, type Throttle } from '../../limits/index.js';
import type { LoadedConnector } from '../connector/index.js';
import type { Store } from '../store/types.js';

export interface Sender {
  throttle: Throttle;
  redactor: Redactor;
  permit(signal?: AbortSignal): Promise<void>;
  call(request: OutgoingRequest, purpose: string): Promise<Exchange>;
  close(): Promise<void>;
}

/**
 * @example
 * const sender = createSender(loaded, { clock: Date.now, sleep });
 * await sender.permit();
 * const exchange = await sender.call({ method: 'POST', url, headers, body }, 'deliver INV-1');
 */
export function createSender(
  loaded: LoadedConnector,
  options: {
    clock: () => number;
    sleep: (ms: number) => Promise<void>;
    client?: HttpClient;
    /** The vendor's remaining calls and limit from each answer's rate-limit headers (metrics). */
    onRateLimit?: (reading: { remaining?: number; limit?: number }) => void;
    /** Share the rate limit through this store with every process delivering the same target. */
    sharedThrottle?: { store: Store; owner: string };
  },
): Sender {
  const { definition, target, config } = loaded;
  const ownsClient = options.client === undefined;
  const client =
    options.client ??
    createHttpClient({ timeoutMs: definition.timeoutMs, tls: target.tls, connections: definition.concurrency, maxResponseBytes: target.maxResponseBytes, clock: options.clock });
  const auth = createAuthProvider(target.auth.type, target.auth, client, { clock: options.clock });
  const redactor = createRedactor({ ...config.redaction, secrets: [...config.secrets, ...targetSecrets(target), ...auth.secrets()] });
  let secretsKnown = auth.secrets().length;
  const throttle = createThrottle({ limit: loaded.rateLimit.limit, windowSeconds: loaded.rateLimit.windowSeconds, clock: { now: options.clock, sleep: options.sleep } });
  const operation = { method: loaded.operation.method.toUpperCase(), path: loaded.operation.path, ...(loaded.operation.operationId ? { operationId: loaded.operation.operationId } : {}) };
  return {
    throttle,
    redactor,
    permit: (signal) => throttle.take(signal),
    async call(request, purpose) {
      const exchange = await sendWithAuth(client, auth, request, { purpose, operation });
      // A token issued during the call is a secret from now on: the audit log must never hold it.
      const secrets = auth.secrets();
      if (secrets.length !== secretsKnown) {
        for (const secret of secrets) redactor.addSecret(secret);
        secretsKnown = secrets.length;
      }
      if (exchange.response !== undefined) {
        const said = parseRateLimitHeaders(exchange.response.headers, new Date(options.clock()));
        // Retry-After pauses every call only on a 429 (RFC 6585 §4: this client sent too many).
        // On a 503 it says when *this request* may be retried (RFC 9110 §15.6.4, §10.2.3): the
        // message waits that long (classify.ts), the others go on.
        if (exchange.response.status !== 429) delete said.retryAfterSeconds;
        throttle.observe(said);
        const reading = said.readings.find((r) => r.remaining !== undefined || r.limit !== undefined);
        if (reading !== undefined) {
          options.onRateLimit?.({ ...(reading.remaining === undefined ? {} : { remaining: reading.remaining }), ...(reading.limit === undefined ? {} : { limit: reading.limit }) });
        }
      }
      return exchange;
    },
    close: () => (ownsClient ? client.close() : Promise.resolve()),
  };
}
