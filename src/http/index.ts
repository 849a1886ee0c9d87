/**
 * The HTTP layer: the client every call goes through, and the auth providers that put
 * credentials on its requests.
 */
export { createHttpClient, failureOf, isTlsFailureCode, TIMEOUT_CODE } from './client.js';
export type { HttpClient, HttpClientOptions } from './client.js';
export { AuthError, createAuthProvider, sendWithAuth } from './auth/index.js';
export type { AuthFailure, AuthProvider, AuthProviderOptions, AuthReport, TransportAwareAuthProvider } from './auth/index.js';
export { headerValue } from './headers.js';
export type { Exchange, ExchangeOperation, ExchangeTimings, HeaderList, OutgoingRequest, ReceivedResponse, TransportFailure } from './types.js';
export { createRedactor, isNationalId, type Redactor, type RedactorOptions, type RedactionReport } from './redact/index.js';
export { HarRecorder, readHar, validateHar, exchangeToEntry, HarReadError, type HarRecorderOptions } from './har/index.js';
export type { Har, HarEntry } from './har/index.js';
