/**
 * The fault-injecting proxy: sits between a client (recon, or any connector) and a vendor (the
 * Acme sandbox or a real sandbox, http or https) and injects, on a seeded schedule, the faults
 * vendors and networks produce: connection resets before and after the vendor acted, timeouts,
 * slow and truncated bodies, HTML 5xx pages, 429 storms and mislabelled content types.
 * Everything else passes through, streamed. It prints nothing: no header (Authorization
 * included) or body is ever logged.
 *
 * @example
 * ```ts
 * import { startFaultProxy } from './sandbox/faults/index.js';
 * const proxy = await startFaultProxy({ target: 'https://sandbox.vendor.example', spec: 'lost=0.05,storm=0.01:5', seed: 7 });
 * // point the connector's base URL at proxy.url, run it, then:
 * console.log(proxy.stats()); // { requests: 120, passed: 109, faults: { lost: 6, storm: 5, … }, upstreamErrors: 0 }
 * await proxy.close();
 * ```
 */
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RuntimeFailure, UsageError } from '../../errors.js';
import { createUpstream, endToEndHeaders, forward } from './forward.js';
import { injectFault, resetConnection } from './inject.js';
import { loadFaultSpec } from './load.js';
import { ProxyFaultSchedule, matchesFilters } from './schedule.js';
import { FAULT_KINDS, type FaultKind, type FaultSpec } from './spec.js';

export { FAULT_KINDS, FAULT_SPEC_DEFAULTS, FaultSpecError, buildSpec, formatFaultSpec, parseInlineFaultSpec, type FaultKind, type FaultSpec } from './spec.js';
export { loadFaultSpec } from './load.js';
export { planProxyFault, type ProxyFaultPlan } from './schedule.js';

export const FAULT_PROXY_DEFAULTS = { host: '127.0.0.1', port: 0, seed: 1 } as const;

export interface FaultProxyOptions {
  /** The vendor: `http(s)://host[:port][/base]`; a base path is put before every request path. */
  target: URL | string;
  /** A parsed spec, or a spec string (inline, or a YAML/JSON file path). */
  spec: FaultSpec | string;
  /** Seed of the schedule (default: the spec's `seed`, else 1). */
  seed?: number;
  port?: number;
  host?: string;
  /** For an https vendor with a private CA (or, for tests only, no verification). */
  tls?: { ca?: string | Buffer; rejectUnauthorized?: boolean };
  /** Told of each injected fault: method and path only (never the query, headers or body). */
  onFault?(event: FaultEvent): void;
}

export interface FaultEvent {
  kind: FaultKind;
  /** `json-as-html` / `html-as-json` for wrong-type. */
  mode?: string;
  method: string;
  /** The request path without its query string (queries may carry keys). */
  path: string;
  /** 0-based number of the request among those the filters let through. */
  n: number;
}

export interface FaultProxyStats {
  /** Requests received, matched by the filters or not. */
  requests: number;
  /** Requests forwarded without a fault. */
  passed: number;
  faults: Record<FaultKind, number>;
  /** Calls to the vendor that failed at the transport (answered 502 to the client). */
  upstreamErrors: number;
}

export interface RunningFaultProxy {
  /** `http://127.0.0.1:PORT`: use it where the vendor's base URL went (keep any base path). */
  url: string;
  port: number;
  spec: FaultSpec;
  seed: number;
  stats(): FaultProxyStats;
  /** Stops listening and drops every connection, held and slow ones included. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * @example
 * const proxy = await startFaultProxy({ target: sandbox.url, spec: 'lost=0.1,method=POST', seed: 7, port: 0 });
 * // … run the connector against proxy.url …
 * expect(proxy.stats().faults.lost).toBeGreaterThan(0);
 * await proxy.close();
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<RunningFaultProxy> {
  const target = parseTarget(options.target);
  const spec = typeof options.spec === 'string' ? loadFaultSpec(options.spec, { flag: 'spec' }) : options.spec;
  const seed = options.seed ?? spec.seed ?? FAULT_PROXY_DEFAULTS.seed;
  const host = options.host ?? FAULT_PROXY_DEFAULTS.host;
  const upstream = createUpstream(target, options.tls);
  const schedule = new ProxyFaultSchedule(spec, seed);
  const stats: FaultProxyStats = { requests: 0, passed: 0, faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>, upstreamErrors: 0 };
  const closing = new AbortController();
  // Every slow body in flight waits on this signal: many at once is normal, not a leak.
  setMaxListeners(0, closing.signal);
  let matched = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.requests++;
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const matches = matchesFilters(spec, method, path);
    const n = matches ? matched++ : -1;
    const plan = matches ? schedule.next() : { kind: 'none' as const };
    const forwardTo = async () => {
      try {
        return await forward(req, upstream);
      } catch (error) {
        stats.upstreamErrors++;
        throw error;
      }
    };
    try {
      if (plan.kind === 'none') {
        stats.passed++;
        const answer = await forwardTo();
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEndHeaders(answer.headers));
        pipeAnswer(answer, res);
        return;
      }
      stats.faults[plan.kind]++;
      options.onFault?.({ kind: plan.kind, ...(plan.kind === 'wrong-type' ? { mode: plan.mode } : {}), method, path, n });
      await injectFault(plan, { req, res, spec, forwardTo, signal: closing.signal });
    } catch (error) {
      badGateway(res, target, error);
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new RuntimeFailure('RECON_PROXY_LISTEN', `the fault proxy could not listen on ${host}:${options.port ?? FAULT_PROXY_DEFAULTS.port}: ${error.code ?? error.message}`, {
          hint: error.code === 'EADDRINUSE' ? 'Pick another --port, or 0 for any free port.' : undefined,
          cause: error,
        }),
      );
    };
    server.once('error', onError);
    server.listen(options.port ?? FAULT_PROXY_DEFAULTS.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    spec,
    seed,
    stats: () => ({ ...stats, faults: { ...stats.faults } }),
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
        upstream.agent.destroy();
      });
      return closed;
    },
  };
}

/**
 * Stream the vendor's body to the client; a client that goes away stops the download.
 * @example pipeAnswer(await forward(req, upstream), res);
 */
export function pipeAnswer(answer: IncomingMessage, res: ServerResponse): void {
  answer.on('error', () => resetConnection(res));
  res.on('close', () => {
    if (!answer.complete) answer.destroy();
  });
  answer.pipe(res);
}

/** The vendor could not be reached, or failed mid-answer: 502 if nothing was sent yet, else a reset. */
function badGateway(res: ServerResponse, target: URL, error: unknown): void {
  if (res.headersSent || res.destroyed) {
    resetConnection(res);
    return;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'ERR_UNKNOWN';
  const body = JSON.stringify({ title: 'Bad Gateway', status: 502, detail: `fault proxy: the vendor at ${target.origin} could not be reached (${code})` });
  res.writeHead(502, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function parseTarget(target: URL | string): URL {
  let url: URL;
  try {
    url = typeof target === 'string' ? new URL(target) : target;
  } catch {
    throw new UsageError(`--to ${String(target)}: not a URL (expected http://host:port or https://host)`, { code: 'RECON_PROXY_TARGET' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--to ${url.href}: the vendor must be an http:// or https:// URL`, { code: 'RECON_PROXY_TARGET' });
  if (url.username !== '' || url.password !== '') throw new UsageError('--to: put credentials in the client, not in the proxy URL', { code: 'RECON_PROXY_TARGET' });
  return url;
}
