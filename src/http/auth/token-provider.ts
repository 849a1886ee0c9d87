/**
 * The part every token grant shares: one cached token, refreshed `refreshMarginSeconds` before
 * it expires, one token request in flight however many calls ask at once, one refresh after a
 * 401 (not more while refreshing does not help), and the report fields a review needs.
 */
import type { HttpClient } from '../client.js';
import type { OutgoingRequest } from '../types.js';
import { AuthError } from './errors.js';
import { AuthReportState } from './report-state.js';
import { withHeader } from './request-credentials.js';
import type { TransportAwareAuthProvider } from './static-provider.js';
import { clockSkewSeconds, readTokenResponse } from './token-response.js';

export interface TokenGrant {
  type: string;
  /** Secret values from the configuration (client secret, private key, their encodings). */
  secrets: string[];
  /** A fresh token request; `secrets` are credentials inside it (a signed assertion). */
  buildRequest(): Promise<{ request: OutgoingRequest; secrets: string[] }>;
}

export interface TokenProviderOptions {
  clock: () => number;
  refreshMarginSeconds: number;
}

interface CachedToken {
  value: string;
  /** ms since the epoch; undefined when the server gave no `expires_in` (kept until a 401). */
  refreshAt: number | undefined;
}

export function createTokenProvider(scheme: string, grant: TokenGrant, client: HttpClient, options: TokenProviderOptions): TransportAwareAuthProvider {
  const held = new Set(grant.secrets.filter((s) => s !== ''));
  const secrets = () => [...held];
  const state = new AuthReportState(scheme, grant.type, secrets);
  let cached: CachedToken | undefined;
  let inFlight: Promise<string> | undefined;
  let permanentFailure: AuthError | undefined;
  let issued = 0;
  /** A 401 made us refresh; the next observed status tells whether that helped. */
  let refreshedAfter401 = false;
  let refreshDoesNotHelp = false;

  function fail(error: AuthError, permanent: boolean): AuthError {
    state.fail(error.failure);
    if (permanent) permanentFailure = error;
    return error;
  }

  async function requestToken(): Promise<string> {
    let built: { request: OutgoingRequest; secrets: string[] };
    try {
      built = await grant.buildRequest();
    } catch (error) {
      if (error instanceof AuthError) throw fail(error, true);
      throw error;
    }
    for (const secret of built.secrets) held.add(secret);
    const requestedAt = options.clock();
    if (issued > 0) state.refreshes++;
    state.tokenRequests++;
    const exchange = await client.send(built.request, { purpose: issued > 0 ? 'token refresh' : 'token request' });
    if (exchange.response !== undefined) {
      state.clockSkewSeconds = clockSkewSeconds(exchange, options.clock()) ?? state.clockSkewSeconds;
    }
    const answer = readTokenResponse(exchange, (text, max) => state.scrub(text, max));
    if (!answer.ok) throw fail(new AuthError(answer.failure, { permanent: answer.permanent }), answer.permanent);

    const { token } = answer;
    held.add(token.accessToken);
    if (token.refreshToken !== undefined) held.add(token.refreshToken);
    issued++;
    state.tokenLifetimeSeconds = token.expiresIn;
    if (token.scopes !== undefined) state.grantedScopes = token.scopes;
    cached = { value: token.accessToken, refreshAt: refreshTimeOf(requestedAt, token.expiresIn, options.refreshMarginSeconds) };
    return token.accessToken;
  }

  function currentToken(): Promise<string> {
    if (permanentFailure !== undefined) return Promise.reject(permanentFailure);
    if (cached !== undefined && (cached.refreshAt === undefined || options.clock() < cached.refreshAt)) {
      return Promise.resolve(cached.value);
    }
    inFlight ??= requestToken().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    scheme,
    type: grant.type,
    async authorize(request) {
      // RFC 6750 §2.1; the token type is "Bearer" for every grant recon speaks.
      return withHeader(request, 'authorization', `Bearer ${await currentToken()}`);
    },
    invalidate() {
      if (permanentFailure !== undefined || refreshDoesNotHelp) return false;
      cached = undefined;
      refreshedAfter401 = true;
      return true;
    },
    observe(status, body) {
      state.observeCall(status, body);
      if (status >= 200 && status < 300) refreshDoesNotHelp = false;
      if (refreshedAfter401) {
        refreshedAfter401 = false;
        if (status === 401) refreshDoesNotHelp = true;
      }
    },
    observeTransportFailure: (failure) => state.observeTransport(failure),
    report: () => state.report(),
    secrets,
  };
}

/**
 * Refresh `margin` seconds before expiry, but never sooner than half-way through the token's
 * life: a 30-second token with a 60-second margin would otherwise be fetched for every call.
 */
function refreshTimeOf(requestedAt: number, expiresIn: number | undefined, marginSeconds: number): number | undefined {
  if (expiresIn === undefined) return undefined;
  return requestedAt + (expiresIn - Math.min(marginSeconds, expiresIn / 2)) * 1000;
}
