import type { AuthConfig } from '../../config/types.js';
import { withHeader, withQueryParameter } from './request-credentials.js';
import { createStaticProvider, type TransportAwareAuthProvider } from './static-provider.js';

type ApiKeyConfig = Extract<AuthConfig, { type: 'apiKey' }>;

/** An API key in a header (`X-Api-Key: …`) or a query parameter (`?api_key=…`). */
export function createApiKeyAuth(scheme: string, config: ApiKeyConfig): TransportAwareAuthProvider {
  return createStaticProvider(scheme, 'apiKey', [config.value, encodeURIComponent(config.value)], (request) =>
    config.in === 'header' ? withHeader(request, config.name, config.value) : withQueryParameter(request, config.name, config.value),
  );
}
