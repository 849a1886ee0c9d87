import type { HttpClient } from '../client.js';
import type { Exchange, ExchangeOperation, OutgoingRequest } from '../types.js';
import type { TransportAwareAuthProvider } from './static-provider.js';
import type { AuthProvider } from './types.js';

/** Enough of a body to quote a 401/403 in the report (it is cut further there). */
const OBSERVED_BODY_BYTES = 16 * 1024;

/**
 * Authorise, send, and on a 401 let the provider refresh its credentials and resend once.
 * The provider hears the final status. Throws only what `authorize()` throws (`AuthError`).
 *
 * @example
 * const exchange = await sendWithAuth(client, auth, { method: 'GET', url, headers: [] }, { purpose: 'list customers' });
 */
export async function sendWithAuth(
  client: HttpClient,
  auth: AuthProvider,
  request: OutgoingRequest,
  meta: { purpose?: string; operation?: ExchangeOperation } = {},
): Promise<Exchange> {
  let exchange = await client.send(await auth.authorize(request), meta);
  if (exchange.response?.status === 401 && auth.invalidate()) {
    const purpose = meta.purpose === undefined ? 'retry after 401' : `${meta.purpose} (retry after 401)`;
    exchange = await client.send(await auth.authorize(request), { ...meta, purpose });
  }
  if (exchange.response !== undefined) {
    auth.observe(exchange.response.status, exchange.response.body.subarray(0, OBSERVED_BODY_BYTES).toString('utf8'));
  } else if (exchange.failure !== undefined && isTransportAware(auth)) {
    auth.observeTransportFailure(exchange.failure);
  }
  return exchange;
}

function isTransportAware(auth: AuthProvider): auth is TransportAwareAuthProvider {
  return typeof (auth as Partial<TransportAwareAuthProvider>).observeTransportFailure === 'function';
}
