/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) and API-key authentication.
 *
 * The token endpoint accepts client_secret_basic and client_secret_post (RFC 6749 §2.3.1)
 * and answers errors in the RFC 6749 §5.2 shape (`{"error":"invalid_client"}`), not as
 * problem details: that is how vendors' token endpoints really look.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { problem, type ApiResponse } from './respond.js';
import type { Scope } from './router.js';

export const DEMO_CREDENTIALS = Object.freeze({
  clientId: 'acme-demo',
  clientSecret: 'acme-demo-secret',
  apiKey: 'acme-demo-key',
});

export interface SandboxCredentials {
  clientId: string;
  clientSecret: string;
  apiKey: string;
}

export const TOKEN_LIFETIME_SECONDS = 3600;
const ALL_SCOPES: readonly Scope[] = ['erp.read', 'erp.write'];

export interface Principal {
  /** Rate-limit bucket: one per API key, one per access token. */
  rateKey: string;
  scopes: readonly Scope[];
}

interface IssuedToken {
  scopes: readonly Scope[];
  expiresAt: number;
}

export class TokenStore {
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #clock: () => number;
  readonly #credentials: SandboxCredentials;

  /** `credentials`: tests plant canary secrets here to prove they reach no recording. */
  constructor(clock: () => number, credentials: SandboxCredentials = DEMO_CREDENTIALS) {
    this.#clock = clock;
    this.#credentials = credentials;
  }

  /** POST /oauth/token. `formText` is the raw application/x-www-form-urlencoded body. */
  handleTokenRequest(headers: IncomingHttpHeaders, formText: string): ApiResponse {
    const contentType = String(headers['content-type'] ?? '').toLowerCase();
    if (!contentType.startsWith('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'The token request must be application/x-www-form-urlencoded.');
    }
    const form = new URLSearchParams(formText);
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
    }
    const basic = parseBasicAuthorization(headers.authorization);
    const posted = form.has('client_id') || form.has('client_secret');
    if (basic === 'malformed') return oauthError(401, 'invalid_client', 'Malformed Basic credentials.', true);
    if (basic !== undefined && posted) {
      // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
      return oauthError(400, 'invalid_request', 'Use either HTTP Basic or client_id/client_secret in the body, not both.');
    }
    const clientId = basic?.clientId ?? form.get('client_id') ?? '';
    const clientSecret = basic?.clientSecret ?? form.get('client_secret') ?? '';
    if (!safeEqual(clientId, this.#credentials.clientId) || !safeEqual(clientSecret, this.#credentials.clientSecret)) {
      return oauthError(401, 'invalid_client', 'Client authentication failed.', basic !== undefined);
    }
    const scopes = requestedScopes(form.get('scope'));
    if (scopes === undefined) return oauthError(400, 'invalid_scope', `Known scopes: ${ALL_SCOPES.join(' ')}.`);
    const accessToken = randomBytes(24).toString('base64url');
    this.#tokens.set(accessToken, { scopes, expiresAt: this.#clock() + TOKEN_LIFETIME_SECONDS * 1000 });
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      json: { access_token: accessToken, token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS, scope: scopes.join(' ') },
    };
  }

  /** The caller of an /api/v1 request, or the 401 to send. A bearer token wins over an API key. */
  authenticate(headers: IncomingHttpHeaders): Principal | ApiResponse {
    const authorization = headers.authorization;
    if (typeof authorization === 'string' && /^bearer\s/i.test(authorization)) {
      const token = authorization.slice(7).trim();
      const issued = this.#tokens.get(token);
      if (issued === undefined) return unauthorized('The access token is not valid.', 'invalid_token');
      if (this.#clock() >= issued.expiresAt) {
        this.#tokens.delete(token);
        return unauthorized('The access token has expired.', 'invalid_token');
      }
      return { rateKey: `token:${token}`, scopes: issued.scopes };
    }
    const apiKey = headers['x-api-key'];
    if (apiKey !== undefined) {
      if (typeof apiKey !== 'string' || !safeEqual(apiKey, this.#credentials.apiKey)) return unauthorized('The API key is not valid.');
      return { rateKey: `key:${apiKey}`, scopes: ALL_SCOPES };
    }
    return unauthorized('Authentication is required: send a Bearer token or an X-Api-Key header.');
  }
}

export function isPrincipal(value: Principal | ApiResponse): value is Principal {
  return 'rateKey' in value;
}

function parseBasicAuthorization(header: string | undefined): { clientId: string; clientSecret: string } | 'malformed' | undefined {
  if (header === undefined || !/^basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

function requestedScopes(scope: string | null): Scope[] | undefined {
  if (scope === null || scope.trim() === '') return [...ALL_SCOPES];
  const wanted = scope.trim().split(/\s+/);
  if (!wanted.every((name) => (ALL_SCOPES as readonly string[]).includes(name))) return undefined;
  return ALL_SCOPES.filter((name) => wanted.includes(name));
}

function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function oauthError(status: number, error: string, description: string, basicChallenge = false): ApiResponse {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
  if (basicChallenge) headers['WWW-Authenticate'] = 'Basic realm="acme-erp"';
  return { status, headers, json: { error, error_description: description } };
}

function unauthorized(detail: string, error?: string): ApiResponse {
  const response = problem(401, 'Unauthorized', detail);
  // RFC 6750 §3: the challenge names the error when a token was presented.
  const challenge = error === undefined ? 'Bearer realm="acme-erp"' : `Bearer realm="acme-erp", error="${error}"`;
  return { ...response, headers: { 'WWW-Authenticate': challenge } };
}
