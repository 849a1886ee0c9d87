/**
 * The HTTP client every recon call goes through: one undici Agent per client (keep-alive, TLS
 * and mTLS options), one deadline per call covering headers and body, bodies streamed and cut
 * at a cap, redirects recorded rather than followed. `send` turns every outcome — any status,
 * a refused connection, a bad certificate, a timeout — into an `Exchange`; it never throws for
 * them.
 */
import { performance } from 'node:perf_hooks';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import type { TlsConfig } from '../config/types.js';
import { RECON_VERSION } from '../version.js';
import type { Exchange, ExchangeOperation, ExchangeTimings, HeaderList, OutgoingRequest, ReceivedResponse, TransportFailure } from './types.js';

export interface HttpClientOptions {
  /** Deadline for one call, connection, headers and body together. Default 30 000 ms. */
  timeoutMs?: number;
  /** Largest response body kept; the rest is not read. Default 10 MiB. */
  maxResponseBytes?: number;
  tls?: Partial<TlsConfig>;
  /** Connections per origin. Default 4. */
  connections?: number;
  /** Default `recon/<version>`; a request's own `user-agent` header wins. */
  userAgent?: string;
  /** Called with every exchange (token calls included) before `send` resolves. */
  onExchange?: (exchange: Exchange) => void;
  /** Wall clock (ms since the epoch) for `startedAt`; durations use a monotonic clock. */
  clock?: () => number;
}

export interface HttpClient {
  send(request: OutgoingRequest, meta?: { purpose?: string; operation?: ExchangeOperation }): Promise<Exchange>;
  /** Closes the connections; calls sent afterwards end as failures. */
  close(): Promise<void>;
}

/** Our own code for the call deadline (headers and body together). */
export const TIMEOUT_CODE = 'RECON_TIMEOUT';

interface NormalisedOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  userAgent: string;
  onExchange: ((exchange: Exchange) => void) | undefined;
  clock: () => number;
}

function normaliseOptions(options: HttpClientOptions): NormalisedOptions {
  return {
    timeoutMs: options.timeoutMs ?? 30_000,
    maxResponseBytes: options.maxResponseBytes ?? 10 * 1024 * 1024,
    userAgent: options.userAgent ?? `recon/${RECON_VERSION}`,
    onExchange: options.onExchange,
    clock: options.clock ?? Date.now,
  };
}

/**
 * @example
 * const client = createHttpClient({ timeoutMs: 10_000, tls: { ca: vendorCaPem } });
 * const exchange = await client.send({ method: 'GET', url: 'https://api.example.com/v1/customers', headers: [] });
 * if (exchange.failure) console.error(exchange.failure.code);
 * await client.close();
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const settings = normaliseOptions(options);
  const tls = options.tls ?? {};
  const tlsAlerts: TlsAlerts = new Map();
  const agent = new Agent({
    connections: options.connections ?? 4,
    // Backstops only: the call deadline below ends the call first, with RECON_TIMEOUT.
    headersTimeout: settings.timeoutMs + 1_000,
    bodyTimeout: settings.timeoutMs + 1_000,
    connect: connectorKeepingTlsAlerts(
      {
        timeout: settings.timeoutMs,
        rejectUnauthorized: tls.rejectUnauthorized ?? true,
        ...(tls.ca === undefined ? {} : { ca: tls.ca }),
        ...(tls.cert === undefined ? {} : { cert: tls.cert }),
        ...(tls.key === undefined ? {} : { key: tls.key }),
        ...(tls.passphrase === undefined ? {} : { passphrase: tls.passphrase }),
      },
      tlsAlerts,
    ),
  });

  return {
    async send(request, meta = {}) {
      const exchange = await exchangeOnce(agent, tlsAlerts, settings, withDefaultHeaders(request, settings.userAgent), meta);
      settings.onExchange?.(exchange);
      return exchange;
    },
    close: () => agent.close(),
  };
}

/** The request as it goes on the wire: `user-agent` unless given, `content-length` for a body. */
function withDefaultHeaders(request: OutgoingRequest, userAgent: string): OutgoingRequest {
  const headers: HeaderList = request.headers.map(([name, value]) => [name, value]);
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  if (!has('user-agent')) headers.push(['user-agent', userAgent]);
  if (request.body !== undefined && !has('content-length')) {
    headers.push(['content-length', String(Buffer.byteLength(request.body))]);
  }
  return { ...request, headers };
}

/** Monotonic instants (ms) of one call's phases. */
interface Marks {
  start: number;
  onWire?: number;
  headers?: number;
  end?: number;
}

function exchangeOnce(
  agent: Dispatcher,
  tlsAlerts: TlsAlerts,
  settings: NormalisedOptions,
  request: OutgoingRequest,
  meta: { purpose?: string; operation?: ExchangeOperation },
): Promise<Exchange> {
  const startedAt = new Date(settings.clock());
  const marks: Marks = { start: performance.now() };
  const chunks: Buffer[] = [];
  let kept = 0;
  let received = 0;
  let head: Pick<ReceivedResponse, 'status' | 'statusText' | 'httpVersion' | 'headers'> | undefined;
  let truncated = false;
  let controller: Dispatcher.DispatchController | undefined;
  let settled = false;

  return new Promise<Exchange>((resolve) => {
    const finish = (failure?: TransportFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      marks.end = performance.now();
      const timings = timingsOf(marks);
      const exchange: Exchange = {
        startedAt,
        time: timings.send + timings.wait + timings.receive,
        request,
        timings,
      };
      if (head !== undefined) {
        exchange.response = { ...head, body: Buffer.concat(chunks, kept), bodySize: received, truncated: truncated || failure !== undefined };
      }
      if (failure !== undefined) exchange.failure = failure;
      if (meta.operation !== undefined) exchange.operation = meta.operation;
      if (meta.purpose !== undefined) exchange.purpose = meta.purpose;
      resolve(exchange);
    };

    const deadline = setTimeout(() => {
      const failure: TransportFailure = { code: TIMEOUT_CODE, message: timeoutMessage(settings.timeoutMs, head !== undefined, received) };
      // Before the request is on the wire there is no controller yet; undici's connect timeout
      // (same value) closes the half-made connection, and onRequestStart aborts if it comes late.
      finish(failure);
      controller?.abort(new CallStopped(failure.message));
    }, settings.timeoutMs);

    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      finish({ code: 'ERR_INVALID_URL', message: `not an absolute URL: ${request.url}` });
      return;
    }

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(ctrl) {
        controller = ctrl;
        if (settled) {
          ctrl.abort(new CallStopped('call deadline passed before the request was sent'));
          return;
        }
        marks.onWire = performance.now();
      },
      onResponseStart(ctrl, status, parsed, statusMessage) {
        marks.headers = performance.now();
        head = {
          status,
          statusText: statusMessage ?? '',
          httpVersion: 'HTTP/1.1',
          headers: headerListOf(ctrl.rawHeaders, parsed),
        };
      },
      onResponseData(ctrl, chunk) {
        received += chunk.length;
        const room = settings.maxResponseBytes - kept;
        if (chunk.length <= room) {
          chunks.push(chunk);
          kept += chunk.length;
          return;
        }
        if (room > 0) {
          chunks.push(chunk.subarray(0, room));
          kept += room;
        }
        // Stop reading: aborting destroys the socket, so the rest is never downloaded.
        truncated = true;
        finish();
        ctrl.abort(new CallStopped('response body cut at the cap'));
      },
      onResponseEnd() {
        finish();
      },
      onResponseError(_ctrl, error) {
        finish(failureOf(error, tlsAlerts));
      },
    };

    try {
      agent.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: request.method as Dispatcher.HttpMethod,
          headers: request.headers.flat(),
          body: request.body ?? null,
        },
        handler,
      );
    } catch (error) {
      finish(failureOf(error, tlsAlerts));
    }
  });
}

/** Aborts a call from our side (deadline, body cap); never reaches the caller. */
class CallStopped extends Error {}

function timeoutMessage(timeoutMs: number, gotHeaders: boolean, received: number): string {
  if (!gotHeaders) return `no response headers within ${timeoutMs} ms`;
  return `response body incomplete after ${timeoutMs} ms (${received} bytes received)`;
}

/**
 * HAR phases from the instants we can see without instrumenting sockets. `send` runs from the
 * call to the request going on the wire (so it includes any connection set-up), `wait` to the
 * response headers, `receive` to the end of the body (or the failure).
 */
function timingsOf(marks: Marks): ExchangeTimings {
  const end = marks.end ?? marks.start;
  const onWire = marks.onWire ?? end;
  const headers = marks.headers ?? end;
  return {
    blocked: -1,
    dns: -1,
    connect: -1,
    ssl: -1,
    send: ms(onWire - marks.start),
    wait: ms(Math.max(0, headers - onWire)),
    receive: ms(Math.max(0, end - headers)),
  };
}

function ms(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Header names as the server wrote them, in order, repeats kept. */
function headerListOf(raw: Dispatcher.DispatchController['rawHeaders'], parsed: Record<string, string | string[] | undefined>): HeaderList {
  const list: HeaderList = [];
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      list.push([String(latin1(raw[i])), String(latin1(raw[i + 1]))]);
    }
    return list;
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) list.push([name, one]);
  }
  return list;
}

function latin1(value: Buffer | string | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : value.toString('latin1');
}

/**
 * TLS alerts a server sent on a socket (`ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`), by the
 * socket's local address. undici reports such a socket as "other side closed" and drops the
 * alert, yet the alert is what a review needs: "the server wants a client certificate".
 */
type TlsAlerts = Map<string, TransportFailure>;

function connectorKeepingTlsAlerts(options: buildConnector.BuildOptions, alerts: TlsAlerts): buildConnector.connector {
  const connect = buildConnector(options);
  return (target, callback) =>
    connect(target, (error, socket) => {
      if (error !== null || socket === null) return callback(error ?? new Error('no socket'), null);
      const key = socketKey(socket);
      socket.on('error', (err) => {
        const failure = failureOf(err);
        if (!alerts.has(key) && isTlsFailureCode(failure.code)) alerts.set(key, failure);
      });
      // undici fails the request inside its own 'close' listener; forget the alert after that.
      socket.once('close', () => setImmediate(() => alerts.delete(key)));
      return callback(null, socket);
    });
}

function socketKey(socket: { localAddress?: string | undefined; localPort?: number | undefined }): string {
  return `${socket.localAddress ?? ''}:${socket.localPort ?? ''}`;
}

/**
 * A stable code for what went wrong below HTTP. undici reports a connection the server closed
 * as `UND_ERR_SOCKET` ("other side closed"): that is the TLS alert the server sent on it when
 * there was one, else `ECONNRESET`, as Node calls it.
 */
export function failureOf(error: unknown, tlsAlerts?: TlsAlerts): TransportFailure {
  const err = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown; socket?: unknown };
  let code = typeof err.code === 'string' ? err.code : undefined;
  let message = typeof err.message === 'string' ? err.message : String(error);
  // Happy-eyeballs connects fail with an AggregateError of one error per address.
  if (code === undefined && Array.isArray(err.errors) && err.errors.length > 0) {
    const first = failureOf(err.errors[0]);
    code = first.code;
    if (message === '') message = first.message;
  }
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  if (code === 'UND_ERR_SOCKET') {
    const alert = typeof err.socket === 'object' && err.socket !== null ? tlsAlerts?.get(socketKey(err.socket)) : undefined;
    if (alert !== undefined) return alert;
    code = typeof cause?.code === 'string' ? cause.code : 'ECONNRESET';
  }
  if (code === undefined && typeof cause?.code === 'string') code = cause.code;
  // OpenSSL's "80…:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:…"
  const openssl = /:SSL routines:[^:]*:([^:]+):/.exec(message);
  if (openssl?.[1] !== undefined) message = `TLS: ${openssl[1]}`;
  return { code: code ?? 'ERR_UNKNOWN', message: message === '' ? 'request failed' : message };
}

const TLS_VERIFY_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

/** True for certificate and handshake failures (`CERT_HAS_EXPIRED`, `ERR_TLS_…`, `ERR_SSL_…`). */
export function isTlsFailureCode(code: string): boolean {
  return TLS_VERIFY_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_');
}
