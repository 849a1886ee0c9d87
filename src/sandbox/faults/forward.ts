/**
 * Forwarding one request to the vendor, streamed both ways: the proxy holds no body in memory
 * unless a fault must rewrite it. Headers pass unchanged except the hop-by-hop ones
 * (RFC 9110 §7.6.1) and Host, which names the vendor (RFC 9110 §7.2).
 */
import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';

/** RFC 9110 §7.6.1: meaningful for one connection only, never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export interface Upstream {
  target: URL;
  agent: http.Agent;
}

/**
 * @example
 * const upstream = createUpstream(new URL('https://api.vendor.example'), { ca });
 */
export function createUpstream(target: URL, tls: { ca?: string | Buffer; rejectUnauthorized?: boolean } = {}): Upstream {
  const agent =
    target.protocol === 'https:'
      ? new https.Agent({ keepAlive: true, rejectUnauthorized: tls.rejectUnauthorized ?? true, ...(tls.ca === undefined ? {} : { ca: tls.ca }) })
      : new http.Agent({ keepAlive: true });
  return { target, agent };
}

/**
 * Headers without the hop-by-hop ones (and those the Connection header names).
 * @example endToEndHeaders({ connection: 'close', 'x-a': '1' }); // { 'x-a': '1' }
 */
export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== ''),
  );
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * Send `req` (its body streamed) to the vendor; resolves once the vendor's status and headers
 * arrived, with its body still to be read. Rejects with the transport error (`code` set).
 *
 * @example
 * const answer = await forward(req, upstream);
 * res.writeHead(answer.statusCode ?? 502, endToEndHeaders(answer.headers));
 */
export function forward(req: IncomingMessage, upstream: Upstream): Promise<IncomingMessage> {
  const { target } = upstream;
  const base = target.pathname.replace(/\/+$/, '');
  const headers = endToEndHeaders(req.headers);
  headers.host = target.host;
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = client.request(
      {
        protocol: target.protocol,
        hostname: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port || undefined,
        method: req.method,
        path: `${base}${req.url ?? '/'}`,
        headers,
        agent: upstream.agent,
        servername: target.hostname,
      },
      resolve,
    );
    outgoing.on('error', reject);
    // A client that goes away mid-body: the vendor must not get half a request as a whole one.
    req.on('close', () => {
      if (!req.complete) outgoing.destroy();
    });
    req.pipe(outgoing);
  });
}

/**
 * Read and forget a body (request or response), so the connection can be reused.
 * @example await drain(req); // the request body, before answering without the vendor
 */
export async function drain(stream: IncomingMessage): Promise<void> {
  try {
    for await (const _chunk of stream) {
      // discarded
    }
  } catch {
    // A body cut short is still drained.
  }
}
