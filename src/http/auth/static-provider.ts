import type { OutgoingRequest, TransportFailure } from '../types.js';
import { AuthReportState } from './report-state.js';
import type { AuthProvider } from './types.js';

/**
 * An `AuthProvider` that also hears about calls that failed below HTTP (the TLS alert of a
 * server that wants a client certificate). `sendWithAuth` tells it when it can.
 */
export interface TransportAwareAuthProvider extends AuthProvider {
  observeTransportFailure(failure: TransportFailure): void;
}

/** Credentials that never change (API key, Basic, a static bearer token, none). */
export function createStaticProvider(
  scheme: string,
  type: string,
  secrets: string[],
  decorate: (request: OutgoingRequest) => OutgoingRequest,
): TransportAwareAuthProvider {
  const held = secrets.filter((s) => s !== '');
  const state = new AuthReportState(scheme, type, () => held);
  return {
    scheme,
    type,
    authorize: async (request) => decorate(request),
    // Nothing to refresh: asking again would only repeat the same credentials.
    invalidate: () => false,
    observe: (status, body) => state.observeCall(status, body),
    observeTransportFailure: (failure) => state.observeTransport(failure),
    report: () => state.report(),
    secrets: () => [...held],
  };
}
