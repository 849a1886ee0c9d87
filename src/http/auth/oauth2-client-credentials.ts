/** RFC 6749 §4.4: the client credentials grant. */
import type { AuthConfig } from '../../config/types.js';
import type { HttpClient } from '../client.js';
import type { HeaderList } from '../types.js';
import { basicCredentials } from './request-credentials.js';
import type { TransportAwareAuthProvider } from './static-provider.js';
import { createTokenProvider, type TokenProviderOptions } from './token-provider.js';

type ClientCredentialsConfig = Extract<AuthConfig, { type: 'oauth2-client-credentials' }>;

/**
 * @example
 * const auth = createClientCredentialsAuth('oauth2', { type: 'oauth2-client-credentials', tokenUrl,
 *   clientId, clientSecret, scope: 'read', authMethod: 'client_secret_basic' }, client, { clock: Date.now, refreshMarginSeconds: 60 });
 */
export function createClientCredentialsAuth(
  scheme: string,
  config: ClientCredentialsConfig,
  client: HttpClient,
  options: TokenProviderOptions,
): TransportAwareAuthProvider {
  // RFC 6749 §2.3.1: id and secret are form-urlencoded (Appendix B) before Basic's base64.
  const basic = basicCredentials(formEncode(config.clientId), formEncode(config.clientSecret));
  return createTokenProvider(
    scheme,
    {
      type: config.type,
      secrets: [config.clientSecret, formEncode(config.clientSecret), encodeURIComponent(config.clientSecret), basic],
      async buildRequest() {
        const form = new URLSearchParams({ grant_type: 'client_credentials' });
        if (config.scope !== undefined && config.scope !== '') form.set('scope', config.scope);
        if (config.audience !== undefined && config.audience !== '') form.set('audience', config.audience);
        const headers: HeaderList = [
          ['content-type', 'application/x-www-form-urlencoded'],
          ['accept', 'application/json'],
        ];
        if (config.authMethod === 'client_secret_basic') {
          headers.push(['authorization', `Basic ${basic}`]);
        } else {
          form.set('client_id', config.clientId);
          form.set('client_secret', config.clientSecret);
        }
        return { request: { method: 'POST', url: config.tokenUrl, headers, body: form.toString() }, secrets: [] };
      },
    },
    client,
    options,
  );
}

/** application/x-www-form-urlencoded encoding of one value (space as `+`). */
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}
