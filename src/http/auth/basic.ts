import type { AuthConfig } from '../../config/types.js';
import { basicCredentials, withHeader } from './request-credentials.js';
import { createStaticProvider, type TransportAwareAuthProvider } from './static-provider.js';

type BasicConfig = Extract<AuthConfig, { type: 'basic' }>;

/** RFC 7617 HTTP Basic, UTF-8. */
export function createBasicAuth(scheme: string, config: BasicConfig): TransportAwareAuthProvider {
  const credentials = basicCredentials(config.username, config.password);
  return createStaticProvider(scheme, 'basic', [config.password, credentials], (request) =>
    withHeader(request, 'authorization', `Basic ${credentials}`),
  );
}
