/**
 * Auth providers decorate requests with credentials and report what a review must know about
 * the vendor's auth: did it work, how long tokens live, granted scopes, clock skew, and the
 * exact failure.
 */
import type { OutgoingRequest, TransportFailure } from '../types.js';

export interface AuthFailure {
  /** Where it failed: getting a token, on an API call, or in the TLS handshake. */
  stage: 'token' | 'call' | 'tls' | 'config';
  status?: number;
  /** The vendor's answer, redacted and cut to a few hundred characters. */
  body?: string;
  /** Transport error code (`CERT_HAS_EXPIRED`, `ECONNREFUSED`, …). */
  code?: string;
  message: string;
}

export interface AuthReport {
  /** The scheme's name in the config or document (e.g. `oauth2`). */
  scheme: string;
  type: string;
  /** undefined until a call has shown whether it works. */
  ok: boolean | undefined;
  tokenLifetimeSeconds?: number;
  grantedScopes?: string[];
  /** Token server's Date header minus our clock, seconds (positive: the server is ahead). */
  clockSkewSeconds?: number;
  tokenRequests: number;
  refreshes: number;
  failure?: AuthFailure;
}

export interface AuthProvider {
  readonly scheme: string;
  readonly type: string;
  /** The request with credentials added (fetches or refreshes a token when needed). */
  authorize(request: OutgoingRequest): Promise<OutgoingRequest>;
  /** After a 401: forget the cached token. True when a fresh token could help (one retry). */
  invalidate(): boolean;
  /** Record how an authorised call went (a 401/403 becomes the report's failure). */
  observe(status: number, body: string): void;
  /** Record a failure below HTTP on an authorised call (an mTLS handshake the server refused). */
  observeTransportFailure?(failure: TransportFailure): void;
  report(): AuthReport;
  /** Secret values held (client secret, tokens issued, API key): redaction scrubs them. */
  secrets(): string[];
}
