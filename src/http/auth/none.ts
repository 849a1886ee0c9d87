import { createStaticProvider, type TransportAwareAuthProvider } from './static-provider.js';

/** No credentials: the report still says whether calls were refused. */
export function createNoAuth(scheme: string): TransportAwareAuthProvider {
  return createStaticProvider(scheme, 'none', [], (request) => request);
}
