import type { AuthConfig } from '../../config/types.js';
import { withHeader } from './request-credentials.js';
import { createStaticProvider, type TransportAwareAuthProvider } from './static-provider.js';

type BearerConfig = Extract<AuthConfig, { type: 'bearer' }>;

/** RFC 6750 §2.1: a static token in `Authorization: Bearer …`. */
export function createBearerAuth(scheme: string, config: BearerConfig): TransportAwareAuthProvider {
  return createStaticProvider(scheme, 'bearer', [config.token], (request) => withHeader(request, 'authorization', `Bearer ${config.token}`));
}
