/**
 * The one "send" the runner composes its wrappers around (CONVENTIONS.md habit 6): the
 * throttle's permit, auth (a token fetched and refreshed on a 401), the HTTP client with the
 * connector's timeout, and every response's rate-limit headers fed back to the throttle
 * (remaining/reset always; Retry-After as a pause for everyone only after a 429, and a 429
 * without one pauses everyone for one window of the limit, at most a minute).
 *
 * With `sharedThrottle` the permit comes from the store, shared by every process delivering to
 * the same target and identity (src/limits/shared-throttle.ts); otherwise from this process alone.
 */
import { createAuthProvider, createHttpClient, createRedactor, sendWithAuth, type Exchange, type HttpClient, type OutgoingRequest, type Redactor } from '../../http/index.js';
import { targetSecrets, type AuthConfig } from '../../config/index.js';
import { createSharedThrottle, createThrottle, parseRateLimitHeaders, sharedThrottleKey, type Throttle } from '../../limits/index.js';
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
  const limit = { limit: loaded.rateLimit.limit, windowSeconds: loaded.rateLimit.windowSeconds, clock: { now: options.clock, sleep: options.sleep } };
  const throttle = options.sharedThrottle
    ? createSharedThrottle({ ...limit, store: options.sharedThrottle.store, key: sharedThrottleKey(target.baseUrl, authIdentity(target.auth)) })
    : createThrottle(limit);
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
        // A 429 that does not say how long: the quota is spent until the vendor's window rolls over.
        if (exchange.response.status === 429 && said.retryAfterSeconds === undefined) throttle.penalise(pauseAfterBare429(loaded.rateLimit.windowSeconds));
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

/** Longest pause a 429 without Retry-After imposes on every call. */
export const BARE_429_MAX_PAUSE_SECONDS = 60;

/**
 * Seconds every call waits after a 429 that names no Retry-After: one window of the limit (any
 * window-based quota has refilled by then), at most a minute (a long window's 429s pause again).
 *
 * @example
 * pauseAfterBare429(1);    // 1
 * pauseAfterBare429(3600); // 60
 */
export function pauseAfterBare429(windowSeconds: number): number {
  return Math.min(windowSeconds, BARE_429_MAX_PAUSE_SECONDS);
}

/**
 * Who the credentials say is calling, without a secret: the OAuth client id, the JWT issuer,
 * the basic user. API keys and bearer tokens name nobody but themselves: undefined.
 */
function authIdentity(auth: AuthConfig): string | undefined {
  switch (auth.type) {
    case 'oauth2-client-credentials':
      return `oauth2:${auth.tokenUrl}:${auth.clientId}`;
    case 'jwt-bearer':
      return `jwt-bearer:${auth.audience}:${auth.issuer}`;
    case 'basic':
      return `basic:${auth.username}`;
    default:
      return undefined;
  }
}
