/**
 * The fault-injecting proxy against a real upstream on loopback: every fault kind as a real
 * client (recon's HTTP client and undici's fetch) sees it, the seeded schedule, the filters,
 * header and streaming pass-through, an https upstream, and the statistics.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../src/http/index.js';
import { ProxyFaultSchedule } from '../src/sandbox/faults/schedule.js';
import { parseInlineFaultSpec, startFaultProxy, type RunningFaultProxy } from '../src/sandbox/faults/index.js';

interface Upstream {
  url: string;
  /** Requests that reached the vendor, in order: `METHOD /path`. */
  seen: string[];
  headers: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** A vendor: POST answers 201 JSON with the body it got; GET /html answers an HTML page; others JSON. */
function vendor(req: IncomingMessage, res: ServerResponse, seen: string[], headers: http.IncomingHttpHeaders[]): void {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    seen.push(`${req.method} ${req.url}`);
    headers.push(req.headers);
    if (req.url === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>hello</body></html>');
      return;
    }
    const text = JSON.stringify({ id: seen.length, method: req.method, got: body });
    res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-vendor': 'acme' });
    res.end(text);
  });
}

async function startUpstream(server?: (handler: http.RequestListener) => http.Server): Promise<Upstream> {
  const seen: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const handler: http.RequestListener = (req, res) => vendor(req, res, seen, headers);
  const s = server ? server(handler) : http.createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  return {
    url: `${s instanceof https.Server ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    headers,
    close: () => new Promise((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    }),
  };
}

let upstream: Upstream;
const proxies: RunningFaultProxy[] = [];
beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(async () => {
  await upstream.close();
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
  upstream.seen.length = 0;
  upstream.headers.length = 0;
});

async function proxy(spec: string, seed = 1, target = upstream.url, tls?: { ca: string }): Promise<RunningFaultProxy> {
  const p = await startFaultProxy({ target, spec, seed, ...(tls ? { tls } : {}) });
  proxies.push(p);
  return p;
}

const client = () => createHttpClient({ timeoutMs: 600 });
const post = (url: string, body = '{"ref":"A-1"}') => ({ method: 'POST', url, headers: [['content-type', 'application/json']] as [string, string][], body });

describe('each fault kind, as a real client sees it', () => {
  it('reset-before: the connection is reset and the vendor never saw the request', async () => {
    const p = await proxy('reset-before=1');
    const x = await client().send(post(`${p.url}/invoices`));
    expect(x.response).toBeUndefined();
    expect(x.failure?.code).toMatch(/ECONNRESET|UND_ERR_SOCKET|EPIPE/);
    expect(upstream.seen).toEqual([]);
    expect(p.stats()).toMatchObject({ requests: 1, passed: 0, faults: { 'reset-before': 1 } });
  });

  it('lost: the vendor processed it, then the connection is reset (processed but response lost)', async () => {
    const p = await proxy('lost=1');
    const x = await client().send(post(`${p.url}/invoices`));
    expect(x.response).toBeUndefined();
    expect(x.failure?.code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(upstream.seen).toEqual(['POST /invoices']);
    await expect(fetch(`${p.url}/invoices`, { method: 'POST', body: '{}' })).rejects.toThrow(/fetch failed/);
  });

  it('timeout: the connection is held and never answered; with :processed the vendor acted first', async () => {
    const p = await proxy('timeout=1');
    const x = await createHttpClient({ timeoutMs: 300 }).send(post(`${p.url}/invoices`));
    expect(x.failure?.code).toBe('RECON_TIMEOUT');
    expect(upstream.seen).toEqual([]);
    const q = await proxy('timeout=1:processed');
    const y = await createHttpClient({ timeoutMs: 300 }).send(post(`${q.url}/invoices`));
    expect(y.failure?.code).toBe('RECON_TIMEOUT');
    expect(upstream.seen).toEqual(['POST /invoices']);
    await expect(fetch(`${q.url}/x`, { signal: AbortSignal.timeout(200) })).rejects.toThrow(/abort|timeout/i);
  });

  it('slow: the body trickles at the given rate, headers at once', async () => {
    const p = await proxy('slow=1:40');
    const started = performance.now();
    const res = await fetch(`${p.url}/customers`);
    const headersAfter = performance.now() - started;
    const text = await res.text();
    const elapsed = performance.now() - started;
    expect(JSON.parse(text)).toMatchObject({ method: 'GET' });
    // ~35 bytes at 40 B/s in slices of 4: close to a second, never much faster.
    expect(elapsed).toBeGreaterThan((text.length / 40) * 1000 - 150);
    expect(headersAfter).toBeLessThan(elapsed / 2);
    // At the default 1 byte/s a client with a deadline gives up.
    const q = await proxy('slow=1');
    const x = await createHttpClient({ timeoutMs: 400 }).send(post(`${q.url}/invoices`));
    expect(x.failure?.code).toBe('RECON_TIMEOUT');
  });

  it('truncate: Content-Length says more than is sent, then the connection closes', async () => {
    const p = await proxy('truncate=1');
    const res = await fetch(`${p.url}/customers`);
    expect(res.status).toBe(200);
    const declared = Number(res.headers.get('content-length'));
    expect(declared).toBeGreaterThan(10);
    await expect(res.text()).rejects.toThrow(/terminated/);
    // recon's client keeps the status and the half body, marks it truncated, and names the failure.
    const x = await client().send(post(`${p.url}/invoices`));
    expect(x.response?.status).toBe(201);
    expect(x.response?.truncated).toBe(true);
    expect(x.response?.body.length).toBeLessThan(Number(x.response?.headers.find(([n]) => n === 'content-length')?.[1]));
    expect(x.failure?.code).toMatch(/UND_ERR_SOCKET|ECONNRESET/);
    expect(upstream.seen).toEqual(['GET /customers', 'POST /invoices']);
  });

  it('html500: an HTML error page, before the vendor or (:processed) after it acted', async () => {
    const p = await proxy('html500=1');
    const res = await fetch(`${p.url}/invoices`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/<html>/);
    expect(upstream.seen).toEqual([]);
    const q = await proxy('html500=1:502:processed');
    const x = await client().send(post(`${q.url}/invoices`));
    expect(x.response?.status).toBe(502);
    expect(upstream.seen).toEqual(['POST /invoices']);
  });

  it('storm: N consecutive 429s, with and without Retry-After, never reaching the vendor', async () => {
    for (const [spec, retryAfter] of [['storm=1:3:retry-after=2', '2'], ['storm=1:3', null]] as const) {
      const p = await proxy(spec);
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${p.url}/invoices`, { method: 'POST', body: '{}' });
        expect(res.status).toBe(429);
        expect(res.headers.get('retry-after')).toBe(retryAfter);
        await res.arrayBuffer();
      }
    }
    expect(upstream.seen).toEqual([]);
  });

  it('a storm once drawn runs its length, then the schedule resumes', async () => {
    const p = await proxy('storm=0.1:4', 3);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${p.url}/x`);
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    const runs = statuses.join('').split(/200+/).filter((s) => s !== '');
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) expect((run.length / 3) % 4).toBe(0);
    expect(p.stats().faults.storm).toBe(statuses.filter((s) => s === 429).length);
  });

  it('wrong-type: JSON labelled text/html, and (after the vendor acted) HTML labelled JSON', async () => {
    const p = await proxy('wrong-type=1:json-as-html');
    const res = await fetch(`${p.url}/customers`);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(JSON.parse(await res.text())).toMatchObject({ method: 'GET' });
    const q = await proxy('wrong-type=1:html-as-json');
    const x = await client().send(post(`${q.url}/invoices`));
    expect(x.response?.status).toBe(201);
    expect(x.response?.headers.find(([n]) => n === 'content-type')?.[1]).toBe('application/json');
    expect(() => JSON.parse(x.response!.body.toString())).toThrow();
    expect(upstream.seen).toEqual(['GET /customers', 'POST /invoices']);
  });
});

describe('the schedule', () => {
  const MIXED = 'reset-before=0.1,lost=0.1,html500=0.1,storm=0.05:2,wrong-type=0.1';
  const observe = async (p: RunningFaultProxy, n: number) => {
    const seen: string[] = [];
    const c = createHttpClient({ timeoutMs: 1000 });
    for (let i = 0; i < n; i++) {
      const x = await c.send({ method: 'GET', url: `${p.url}/r/${i}`, headers: [] });
      seen.push(x.response ? `${x.response.status} ${x.response.headers.find(([k]) => k === 'content-type')?.[1]}` : 'failed');
    }
    await c.close();
    return seen;
  };

  it('the same seed gives the same schedule; another seed another one', async () => {
    const a = await observe(await proxy(MIXED, 11), 60);
    const b = await observe(await proxy(MIXED, 11), 60);
    const c = await observe(await proxy(MIXED, 12), 60);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThanOrEqual(4);
  });

  it('is a pure function of (spec, seed, n)', () => {
    const spec = parseInlineFaultSpec(MIXED, 'test');
    const plans = (seed: number) => {
      const s = new ProxyFaultSchedule(spec, seed);
      return Array.from({ length: 500 }, () => s.next().kind);
    };
    expect(plans(5)).toEqual(plans(5));
    const counts = plans(5).reduce<Record<string, number>>((m, k) => ({ ...m, [k]: (m[k] ?? 0) + 1 }), {});
    expect(counts.lost).toBeGreaterThan(25);
    expect(counts.lost).toBeLessThan(80);
  });

  it('method and path filters: only matching requests get faults, and only they use the schedule', async () => {
    const p = await proxy('lost=1,method=POST,path=*/invoices|/orders');
    const c = client();
    expect((await c.send({ method: 'GET', url: `${p.url}/api/v1/invoices`, headers: [] })).response?.status).toBe(200);
    expect((await c.send(post(`${p.url}/api/v1/customers`))).response?.status).toBe(201);
    expect((await c.send(post(`${p.url}/api/v1/invoices?x=1`))).failure).toBeDefined();
    expect((await c.send(post(`${p.url}/orders`))).failure).toBeDefined();
    expect((await c.send(post(`${p.url}/api/v1/orders`))).response?.status).toBe(201);
    expect(p.stats()).toEqual({ requests: 5, passed: 3, faults: { 'reset-before': 0, lost: 2, timeout: 0, slow: 0, truncate: 0, html500: 0, storm: 0, 'wrong-type': 0 }, upstreamErrors: 0 });
  });
});

describe('pass-through', () => {
  it('keeps headers (Authorization included), rewrites Host, and keeps the status and body', async () => {
    const p = await proxy('lost=0');
    const res = await fetch(`${p.url}/customers?page=2`, { headers: { authorization: 'Bearer abc', 'x-custom': 'v', 'idempotency-key': 'k-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vendor')).toBe('acme');
    expect(await res.json()).toMatchObject({ method: 'GET' });
    expect(upstream.seen).toEqual(['GET /customers?page=2']);
    expect(upstream.headers[0]).toMatchObject({ authorization: 'Bearer abc', 'x-custom': 'v', 'idempotency-key': 'k-1', host: new URL(upstream.url).host });
  });

  it('puts the target base path before the request path', async () => {
    const p = await proxy('lost=0', 1, `${upstream.url}/base/`);
    await (await fetch(`${p.url}/customers`)).arrayBuffer();
    expect(upstream.seen).toEqual(['GET /base/customers']);
  });

  it('streams: the first bytes reach the client before the vendor has sent the rest', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.alloc(64 * 1024, 1));
      void released.then(() => res.end(Buffer.alloc(1024, 2)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const p = await proxy('lost=0', 1, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const res = await fetch(`${p.url}/big`);
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(first.value?.length).toBeGreaterThan(0);
      release();
      let total = first.value!.length;
      for (let r = await reader.read(); !r.done; r = await reader.read()) total += r.value.length;
      expect(total).toBe(65 * 1024);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('answers 502 when the vendor cannot be reached, and counts it', async () => {
    const p = await proxy('lost=0', 1, 'http://127.0.0.1:1');
    const res = await fetch(`${p.url}/x`);
    expect(res.status).toBe(502);
    expect(await res.text()).toMatch(/could not be reached \(ECONNREFUSED\)/);
    expect(p.stats().upstreamErrors).toBe(1);
  });

  it('talks https to an https vendor, verifying its certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recon-proxy-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-subj', '/CN=127.0.0.1', '-days', '2', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir, stdio: 'pipe' });
      const key = readFileSync(join(dir, 'k.pem'), 'utf8');
      const cert = readFileSync(join(dir, 'c.pem'), 'utf8');
      const secure = await startUpstream((handler) => https.createServer({ key, cert }, handler));
      try {
        const trusted = await proxy('lost=0', 1, secure.url, { ca: cert });
        const res = await fetch(`${trusted.url}/customers`);
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ method: 'GET' });
        const untrusted = await proxy('lost=0', 1, secure.url);
        expect((await fetch(`${untrusted.url}/customers`)).status).toBe(502);
        expect(secure.seen).toEqual(['GET /customers']);
      } finally {
        await secure.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
