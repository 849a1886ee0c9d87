/**
 * What each fault does to one exchange. Each function owns the client's response from the
 * moment it is called; `forwardTo` sends the request on to the vendor when the fault says the
 * vendor acts on it ("processed").
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { drain, endToEndHeaders } from './forward.js';
import type { ProxyFaultPlan } from './schedule.js';
import type { FaultSpec } from './spec.js';

export interface InjectContext {
  req: IncomingMessage;
  res: ServerResponse;
  spec: FaultSpec;
  /** Forward the request; rejects on a transport failure to the vendor. */
  forwardTo(): Promise<IncomingMessage>;
  /** Aborted when the proxy closes: slow bodies and held connections stop. */
  signal: AbortSignal;
}

/** Largest body buffered to learn its length (a truncated answer of unknown length). */
const TRUNCATE_BUFFER_BYTES = 1024 * 1024;

const HTML_ERROR = (status: number) =>
  `<!DOCTYPE html>\n<html><head><title>${status} Internal Server Error</title></head>\n<body><h1>${status}</h1><p>The gateway could not complete your request.</p><hr><address>fault proxy</address></body></html>\n`;
const HTML_PAGE = '<!DOCTYPE html>\n<html><head><title>Please sign in</title></head>\n<body><h1>Session expired</h1><p>Please sign in again.</p></body></html>\n';

/** Send back the answer a fault injects (after reading the request body, as a gateway would). */
function answer(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/**
 * RST when the platform can (ECONNRESET at the client), else a plain close.
 * @example resetConnection(res);
 */
export function resetConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (socket === null || socket.destroyed) return;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/**
 * @example await injectFault({ kind: 'lost' }, ctx);
 */
export async function injectFault(plan: Exclude<ProxyFaultPlan, { kind: 'none' }>, ctx: InjectContext): Promise<void> {
  const { req, res, spec } = ctx;
  switch (plan.kind) {
    case 'reset-before':
      resetConnection(res);
      req.resume();
      return;
    case 'lost': {
      const upstream = await ctx.forwardTo();
      await drain(upstream);
      resetConnection(res);
      return;
    }
    case 'timeout':
      if (spec.timeoutProcessed) await drain(await ctx.forwardTo());
      else await drain(req);
      // Hold: never answer. The client gives up, or the proxy's close() drops the connection.
      return;
    case 'slow': {
      const upstream = await ctx.forwardTo();
      res.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, endToEndHeaders(upstream.headers));
      res.flushHeaders();
      await trickle(upstream, res, spec.slowBytesPerSecond, ctx.signal);
      return;
    }
    case 'truncate':
      await truncate(await ctx.forwardTo(), res);
      return;
    case 'html500':
      await drain(spec.html500Processed ? await ctx.forwardTo() : req);
      answer(res, spec.html500Status, 'text/html; charset=utf-8', HTML_ERROR(spec.html500Status));
      return;
    case 'storm':
      await drain(req);
      answer(res, 429, 'application/problem+json', JSON.stringify({ title: 'Too Many Requests', status: 429, detail: 'Rate limit exceeded.' }), spec.stormRetryAfterSeconds === undefined ? {} : { 'retry-after': String(spec.stormRetryAfterSeconds) });
      return;
    case 'wrong-type': {
      const upstream = await ctx.forwardTo();
      const status = upstream.statusCode ?? 502;
      if (plan.mode === 'json-as-html') {
        res.writeHead(status, upstream.statusMessage, { ...endToEndHeaders(upstream.headers), 'content-type': 'text/html; charset=utf-8' });
        res.on('close', () => {
          if (!upstream.complete) upstream.destroy();
        });
        upstream.pipe(res);
        return;
      }
      // html-as-json: the vendor acted; what comes back is an HTML page that claims to be JSON.
      await drain(upstream);
      answer(res, status, 'application/json', HTML_PAGE);
      return;
    }
  }
}

/** The body at `bytesPerSecond`, in slices of a tenth of a second (1 B/s: one byte a second). */
async function trickle(source: IncomingMessage, res: ServerResponse, bytesPerSecond: number, signal: AbortSignal): Promise<void> {
  const slice = Math.max(1, Math.round(bytesPerSecond / 10));
  const intervalMs = (1000 * slice) / bytesPerSecond;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i += slice) {
        if (res.destroyed) throw new Error('client gone');
        res.write(chunk.subarray(i, i + slice));
        await sleep(intervalMs, undefined, { signal });
      }
    }
    res.end();
  } catch {
    source.destroy();
    res.destroy();
  }
}

/**
 * Content-Length says the whole body, half of it is sent, then the connection closes.
 * A body of unknown length is buffered (up to 1 MiB) to learn its length first.
 */
async function truncate(source: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = endToEndHeaders(source.headers);
  let length = Number(source.headers['content-length']);
  let buffered: Buffer[] | undefined;
  if (!Number.isInteger(length)) {
    buffered = [];
    length = 0;
    for await (const chunk of source as AsyncIterable<Buffer>) {
      buffered.push(chunk);
      length += chunk.length;
      if (length > TRUNCATE_BUFFER_BYTES) break;
    }
  }
  const send = Math.floor(length / 2);
  // An empty body cannot be cut: claim one anyway, so the close is premature.
  headers['content-length'] = String(length > 0 ? length : 64);
  res.writeHead(source.statusCode ?? 502, source.statusMessage, headers);
  let sent = 0;
  const parts: Buffer[] = [];
  const take = (chunk: Buffer) => {
    const part = chunk.subarray(0, Math.max(0, send - sent));
    sent += part.length;
    if (part.length > 0) parts.push(part);
  };
  if (buffered) buffered.forEach(take);
  else {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      take(chunk);
      if (sent >= send) break;
    }
  }
  source.destroy();
  await new Promise<void>((resolve) => res.write(Buffer.concat(parts), () => resolve()));
  res.socket?.destroy();
}
