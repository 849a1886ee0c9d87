/**
 * The shapes the HTTP layer shares: one exchange as sent and received (before redaction), the
 * client that makes exchanges, and the auth providers that decorate requests.
 */

/** Header lists keep order and repeats, as HAR does. */
export type HeaderList = [name: string, value: string][];

export interface OutgoingRequest {
  method: string;
  /** Absolute URL, query included. */
  url: string;
  headers: HeaderList;
  /** Request body as sent (already serialised). */
  body?: string | Buffer;
}

export interface ReceivedResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  headers: HeaderList;
  /** The body as received, up to the client's cap. */
  body: Buffer;
  /** Bytes received in all; larger than `body.length` when the body was cut at the cap. */
  bodySize: number;
  truncated: boolean;
}

/** Milliseconds per HAR 1.2 phase; -1 when not measured. */
export interface ExchangeTimings {
  blocked: number;
  dns: number;
  connect: number;
  ssl: number;
  send: number;
  wait: number;
  receive: number;
}

/** What went wrong below HTTP: connection refused, DNS, TLS, timeout. */
export interface TransportFailure {
  /** Stable code, e.g. `ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_HEADERS_TIMEOUT`, `CERT_HAS_EXPIRED`. */
  code: string;
  message: string;
}

/** Which documented operation an exchange exercised, when known. */
export interface ExchangeOperation {
  method: string;
  path: string;
  operationId?: string;
}

/** One request and what came back (or did not). Not yet redacted: redact before writing. */
export interface Exchange {
  startedAt: Date;
  /** Total elapsed milliseconds. */
  time: number;
  request: OutgoingRequest;
  response?: ReceivedResponse;
  failure?: TransportFailure;
  timings: ExchangeTimings;
  operation?: ExchangeOperation;
  /** Why recon made this call ("list customers", "token request", "idempotency check 2/2"). */
  purpose?: string;
}
