/**
 * The HTTP client against real servers on loopback: plain HTTP, TLS with certificates made by
 * `openssl` in a temp dir at test time, and mutual TLS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, isTlsFailureCode, type HttpClient, type HttpClientOptions } from '../src/http/client.js';
import type { Exchange } from '../src/http/types.js';

// ---------------------------------------------------------------------------------------------
// Certificates: a CA, a server cert for 127.0.0.1, an expired one, a client cert, a self-signed
// one, and one for the wrong name.

interface Pki {
  ca: string;
  server: { key: string; cert: string };
  expired: { key: string; cert: string };
  wrongName: { key: string; cert: string };
  selfSigned: { key: string; cert: string };
  client: { key: string; cert: string };
}

function makePki(dir: string): Pki {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=recon test CA', '-days', '2',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=keyCertSign,cRLSign');
  const issue = (name: string, subject: string, extension: string, days: string) => {
    writeFileSync(join(dir, `${name}.ext`), `${extension}\n`);
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(Math.floor(Math.random() * 1e9)),
      '-days', days, '-extfile', `${name}.ext`, '-out', `${name}.pem`);
    return { key: read(`${name}.key`), cert: read(`${name}.pem`) };
  };
  const server = issue('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1', '2');
  // -days -1: notAfter a day before notBefore, so the certificate has already expired.
  const expired = issue('expired', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1', '-1');
  const wrongName = issue('wrong', '/CN=api.example.test', 'subjectAltName=DNS:api.example.test', '2');
  const client = issue('client', '/CN=recon client', 'extendedKeyUsage=clientAuth', '2');
  openssl('req', '-x509', ...ec, '-keyout', 'self.key', '-out', 'self.pem', '-subj', '/CN=127.0.0.1', '-days', '2', '-addext', 'subjectAltName=IP:127.0.0.1');
  return { ca: read('ca.pem'), server, expired, wrongName, client, selfSigned: { key: read('self.key'), cert: read('self.pem') } };
}

// ---------------------------------------------------------------------------------------------
// Servers and clients, closed after each test.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Server = http.Server | https.Server;

async function listen<S extends Server>(server: S): Promise<{ server: S; port: number; origin: string }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const port = (server.address() as AddressInfo).port;
  const origin = `${server instanceof https.Server ? 'https' : 'http'}://127.0.0.1:${port}`;
  return { server, port, origin };
}

function client(options: HttpClientOptions = {}): HttpClient {
  const c = createHttpClient(options);
  cleanups.push(() => c.close());
  return c;
}

const get = (url: string, headers: [string, string][] = []) => ({ method: 'GET', url, headers });

// ---------------------------------------------------------------------------------------------

describe('HTTP', () => {
  it('returns status, headers in order with repeats, and the body', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const { origin } = await listen(
      http.createServer((req, res) => {
        seen.push(req.headers);
        res.setHeader('X-Trace', ['one', 'two']);
        res.writeHead(201, 'Made It', { 'Content-Type': 'application/json' });
        res.end('{"id":7}');
      }),
    );
    const exchange = await client().send(get(`${origin}/things?x=1`, [['X-Tenant', 'acme']]), {
      purpose: 'list things',
      operation: { method: 'GET', path: '/things', operationId: 'listThings' },
    });
    expect(exchange.failure).toBeUndefined();
    expect(exchange.response).toMatchObject({ status: 201, statusText: 'Made It', httpVersion: 'HTTP/1.1', bodySize: 8, truncated: false });
    expect(exchange.response?.body.toString()).toBe('{"id":7}');
    const headers = exchange.response?.headers ?? [];
    expect(headers.filter(([n]) => n === 'X-Trace')).toEqual([['X-Trace', 'one'], ['X-Trace', 'two']]);
    expect(headers).toContainEqual(['Content-Type', 'application/json']);
    expect(exchange.purpose).toBe('list things');
    expect(exchange.operation?.operationId).toBe('listThings');
    expect(seen[0]?.['user-agent']).toMatch(/^recon\/\d+\.\d+\.\d+/);
    expect(seen[0]?.['x-tenant']).toBe('acme');
    expect(exchange.request.headers).toContainEqual(['X-Tenant', 'acme']);
    expect(exchange.startedAt).toBeInstanceOf(Date);
    const t = exchange.timings;
    expect([t.blocked, t.dns, t.connect, t.ssl]).toEqual([-1, -1, -1, -1]);
    expect(t.send).toBeGreaterThanOrEqual(0);
    expect(exchange.time).toBeCloseTo(t.send + t.wait + t.receive, 6);
  });

  it('sends string and Buffer bodies with content-length, and keeps a given user-agent', async () => {
    const seen: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const { origin } = await listen(
      http.createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          seen.push({ headers: req.headers, body });
          res.end();
        });
      }),
    );
    const c = client({ userAgent: 'custom/1' });
    const a = await c.send({ method: 'POST', url: `${origin}/a`, headers: [['content-type', 'application/json']], body: '{"name":"Ærlig"}' });
    const b = await c.send({ method: 'PUT', url: `${origin}/b`, headers: [['User-Agent', 'mine/2']], body: Buffer.from([1, 2, 3]) });
    expect(seen[0]).toMatchObject({ body: '{"name":"Ærlig"}', headers: { 'content-length': '17', 'user-agent': 'custom/1' } });
    expect(seen[1]?.headers).toMatchObject({ 'content-length': '3', 'user-agent': 'mine/2' });
    expect(a.request.headers).toContainEqual(['content-length', '17']);
    expect(b.request.headers.filter(([n]) => n.toLowerCase() === 'user-agent')).toEqual([['User-Agent', 'mine/2']]);
  });

  it('records a redirect instead of following it', async () => {
    const paths: string[] = [];
    const { origin } = await listen(
      http.createServer((req, res) => {
        paths.push(req.url ?? '');
        if (req.url === '/old') res.writeHead(302, { Location: '/new' }).end();
        else res.end('new');
      }),
    );
    const exchange = await client().send(get(`${origin}/old`));
    expect(exchange.response?.status).toBe(302);
    expect(exchange.response?.headers).toContainEqual(['Location', '/new']);
    expect(paths).toEqual(['/old']);
  });

  it('keeps the connection alive between calls', async () => {
    let connections = 0;
    const { server, origin } = await listen(http.createServer((_req, res) => res.end('ok')));
    server.on('connection', () => connections++);
    const c = client();
    for (let i = 0; i < 4; i++) expect((await c.send(get(`${origin}/`))).response?.status).toBe(200);
    // undici's pool may open a second socket while the first is finishing; it reuses them after.
    expect(connections).toBeLessThanOrEqual(2);
  });

  it('ends a call the server never answers at the deadline', async () => {
    const { origin } = await listen(http.createServer(() => {}));
    const started = Date.now();
    const exchange = await client({ timeoutMs: 300 }).send(get(`${origin}/slow`));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(exchange.response).toBeUndefined();
    expect(exchange.failure).toMatchObject({ code: 'RECON_TIMEOUT', message: expect.stringContaining('no response headers') });
  });

  it('ends a trickling body at the deadline and keeps what arrived', async () => {
    const { origin } = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const timer = setInterval(() => res.write('x'), 50);
        res.on('close', () => clearInterval(timer));
      }),
    );
    const started = Date.now();
    const exchange = await client({ timeoutMs: 400 }).send(get(`${origin}/trickle`));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(exchange.failure?.code).toBe('RECON_TIMEOUT');
    expect(exchange.failure?.message).toMatch(/body incomplete after 400 ms \(\d+ bytes received\)/);
    expect(exchange.response?.status).toBe(200);
    expect(exchange.response?.body.length).toBeGreaterThan(0);
    expect(exchange.response?.bodySize).toBe(exchange.response?.body.length);
    expect(exchange.response?.truncated).toBe(true);
  });

  it('keeps at most maxResponseBytes of a huge body and stops reading', async () => {
    const total = 50 * 1024 * 1024;
    let sent = 0;
    let closedEarly: Promise<boolean> = Promise.resolve(false);
    const { origin } = await listen(
      http.createServer((_req, res) => {
        closedEarly = new Promise((resolve) => res.on('close', () => resolve(!res.writableFinished)));
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = () => {
          while (sent < total && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      }),
    );
    const cap = 100_000;
    const exchange = await client({ maxResponseBytes: cap }).send(get(`${origin}/huge`));
    expect(exchange.failure).toBeUndefined();
    expect(exchange.response?.truncated).toBe(true);
    expect(exchange.response?.body.length).toBe(cap);
    expect(exchange.response?.bodySize).toBeGreaterThanOrEqual(cap);
    expect(exchange.response?.bodySize).toBeLessThan(total);
    expect(await closedEarly).toBe(true);
    expect(sent).toBeLessThan(total);
  });

  it('reports a refused connection', async () => {
    const { server, port } = await listen(http.createServer());
    await new Promise((resolve) => server.close(resolve));
    const exchange = await client().send(get(`http://127.0.0.1:${port}/`));
    expect(exchange.response).toBeUndefined();
    expect(exchange.failure?.code).toBe('ECONNREFUSED');
  });

  it('reports a name that does not resolve', async () => {
    const exchange = await client().send(get('http://nonexistent.invalid/'));
    expect(exchange.failure?.code).toBe('ENOTFOUND');
  });

  it('reports a connection the server drops mid-response as ECONNRESET', async () => {
    const { origin } = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial', () => res.socket?.destroy());
      }),
    );
    const exchange = await client().send(get(`${origin}/drop`));
    expect(exchange.failure?.code).toBe('ECONNRESET');
    expect(exchange.response?.status).toBe(200);
  });

  it('reports a bad URL without throwing', async () => {
    const exchange = await client().send(get('not a url'));
    expect(exchange.failure?.code).toBe('ERR_INVALID_URL');
  });

  it('answers with a failure once closed', async () => {
    const { origin } = await listen(http.createServer((_req, res) => res.end()));
    const c = createHttpClient();
    await c.close();
    const exchange = await c.send(get(`${origin}/`));
    expect(exchange.failure?.code).toMatch(/^UND_ERR_(CLOSED|DESTROYED)$/);
  });

  it('shows every exchange to onExchange before send resolves', async () => {
    const { origin } = await listen(http.createServer((req, res) => res.writeHead(req.url === '/a' ? 200 : 404).end()));
    const seen: Exchange[] = [];
    const c = client({ onExchange: (e) => seen.push(e) });
    const a = await c.send(get(`${origin}/a`));
    expect(seen).toEqual([a]);
    const b = await c.send(get(`${origin}/b`));
    const dead = await c.send(get('http://nonexistent.invalid/'));
    expect(seen).toEqual([a, b, dead]);
  });
});

describe('TLS', () => {
  let dir: string;
  let pki: Pki;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'recon-tls-'));
    pki = makePki(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const serve = (options: https.ServerOptions) =>
    listen(
      https.createServer(options, (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        res.end(peer.subject?.CN ?? 'anonymous');
      }),
    );

  it.each([
    ['an untrusted CA', () => pki.server, {}, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['a self-signed certificate', () => pki.selfSigned, {}, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['an expired certificate', () => pki.expired, { ca: 'CA' }, 'CERT_HAS_EXPIRED'],
    ['a certificate for another name', () => pki.wrongName, { ca: 'CA' }, 'ERR_TLS_CERT_ALTNAME_INVALID'],
  ] as const)('rejects %s', async (_name, serverCert, tls, code) => {
    const { origin } = await serve(serverCert());
    const exchange = await client({ tls: 'ca' in tls ? { ca: pki.ca } : {} }).send(get(`${origin}/`));
    expect(exchange.failure?.code).toBe(code);
    expect(isTlsFailureCode(code)).toBe(true);
  });

  it('trusts a private CA given as ca', async () => {
    const { origin } = await serve(pki.server);
    const exchange = await client({ tls: { ca: pki.ca } }).send(get(`${origin}/`));
    expect(exchange.failure).toBeUndefined();
    expect(exchange.response?.body.toString()).toBe('anonymous');
  });

  it('accepts a broken certificate with rejectUnauthorized: false', async () => {
    const { origin } = await serve(pki.selfSigned);
    const exchange = await client({ tls: { rejectUnauthorized: false } }).send(get(`${origin}/`));
    expect(exchange.response?.status).toBe(200);
  });

  it('presents a client certificate to a server that requires one', async () => {
    const { origin } = await serve({ ...pki.server, ca: pki.ca, requestCert: true, rejectUnauthorized: true });
    const without = await client({ tls: { ca: pki.ca } }).send(get(`${origin}/`));
    expect(without.response).toBeUndefined();
    // TLS 1.3: the server's alert arrives after the handshake; undici alone would say "other side closed".
    expect(without.failure).toEqual({ code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', message: 'TLS: tlsv13 alert certificate required' });
    const withCert = await client({ tls: { ca: pki.ca, cert: pki.client.cert, key: pki.client.key } }).send(get(`${origin}/`));
    expect(withCert.failure).toBeUndefined();
    expect(withCert.response?.body.toString()).toBe('recon client');
  });
});
