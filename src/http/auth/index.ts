/**
 * Auth providers: they put credentials on requests, refresh tokens, and report what a review
 * must know about a vendor's auth.
 *
 * @example
 * const client = createHttpClient({ tls: target.tls });
 * const auth = createAuthProvider('oauth2', target.auth, client);
 * const exchange = await sendWithAuth(client, auth, { method: 'GET', url, headers: [] });
 * console.log(auth.report()); // { ok: true, tokenLifetimeSeconds: 3600, grantedScopes: [...], ... }
 */
import type { AuthConfig } from '../../config/types.js';
import type { HttpClient } from '../client.js';
import { createApiKeyAuth } from './api-key.js';
import { createBasicAuth } from './basic.js';
import { createBearerAuth } from './bearer.js';
import { createJwtBearerAuth } from './jwt-bearer.js';
import { createNoAuth } from './none.js';
import { createClientCredentialsAuth } from './oauth2-client-credentials.js';
import type { TransportAwareAuthProvider } from './static-provider.js';

export { AuthError } from './errors.js';
export { sendWithAuth } from './send-with-auth.js';
export type { TransportAwareAuthProvider } from './static-provider.js';
export type { AuthFailure, AuthProvider, AuthReport } from './types.js';

export interface AuthProviderOptions {
  /** ms since the epoch; token expiry, `iat`/`exp` and clock skew use it. Default `Date.now`. */
  clock?: () => number;
  /** Refresh a token this many seconds before it expires. Default 60. */
  refreshMarginSeconds?: number;
}

/**
 * The provider for one auth configuration. Token grants send their token requests through
 * `client`, so the client's TLS options (a private CA, an mTLS certificate) apply to them too.
 */
export function createAuthProvider(scheme: string, config: AuthConfig, client: HttpClient, options: AuthProviderOptions = {}): TransportAwareAuthProvider {
  const tokenOptions = { clock: options.clock ?? Date.now, refreshMarginSeconds: options.refreshMarginSeconds ?? 60 };
  switch (config.type) {
    case 'none':
      return createNoAuth(scheme);
    case 'apiKey':
      return createApiKeyAuth(scheme, config);
    case 'basic':
      return createBasicAuth(scheme, config);
    case 'bearer':
      return createBearerAuth(scheme, config);
    case 'oauth2-client-credentials':
      return createClientCredentialsAuth(scheme, config, client, tokenOptions);
    case 'jwt-bearer':
      return createJwtBearerAuth(scheme, config, client, tokenOptions);
  }
}
