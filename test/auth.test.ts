/**
 * Auth providers against real token endpoints and API servers on loopback.
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthConfig } from '../src/config/types.js';
import { AuthError, createAuthProvider, sendWithAuth, type AuthProviderOptions } from '../src/http/auth/index.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../src/http/client.js';
import type { Exchange } from '../src/http/types.js';

// ---------------------------------------------------------------------------------------------
// Servers that record what they were sent.

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  form: URLSearchParams;
}
type Handler = (req: Seen, res: http.ServerResponse) => unknown;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: Handler, tls?: https.ServerOptions): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const one: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, form: new URLSearchParams(body) };
      seen.push(one);
      void Promise.resolve(handler(one, res)).catch((error: unknown) => res.writeHead(500).end(String(error)));
    });
  };
  const server = tls === undefined ? http.createServer(listener) : https.createServer(tls, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { origin: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function client(options: HttpClientOptions = {}): HttpClient {
  const c = createHttpClient(options);
  cleanups.push(() => c.close());
  return c;
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

/** A token endpoint issuing `tok-1`, `tok-2`, …, and an API that accepts the live ones. */
async function tokenAndApi(options: { expiresIn?: number; scope?: string; date?: () => string; delayMs?: number; apiStatus?: (token: string) => number } = {}) {
  const live = new Set<string>();
  let issued = 0;
  const token = await serve(async (_req, res) => {
    if (options.delayMs !== undefined) await new Promise((r) => setTimeout(r, options.delayMs));
    const value = `tok-${++issued}-${'x'.repeat(20)}`;
    live.add(value);
    const headers = options.date === undefined ? {} : { date: options.date() };
    json(res, 200, { access_token: value, token_type: 'Bearer', expires_in: options.expiresIn ?? 3600, ...(options.scope === undefined ? {} : { scope: options.scope }) }, headers);
  });
  const api = await serve((req, res) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const status = options.apiStatus?.(bearer) ?? (live.has(bearer) ? 200 : 401);
    json(res, status, status === 200 ? { ok: true } : { error: 'invalid_token', token: bearer });
  });
  return { token, api, live, tokenUrl: `${token.origin}/oauth/token` };
}

const get = (url: string) => ({ method: 'GET', url, headers: [] as [string, string][] });

function provider(config: AuthConfig, c: HttpClient = client(), options: AuthProviderOptions = {}) {
  return createAuthProvider('test', config, c, options);
}

/** RFC 6749 Appendix B: form-urlencoded (space as +). */
const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));

const SECRET = 'cl1ent sécret:+/%&=long-enough';

// ---------------------------------------------------------------------------------------------

describe('static credentials', () => {
  it.each([
    ['none', { type: 'none' }, (s: Seen) => expect(s.headers.authorization).toBeUndefined()],
    ['an API key header', { type: 'apiKey', in: 'header', name: 'X-Api-Key', value: 'k3y-value' }, (s: Seen) => expect(s.headers['x-api-key']).toBe('k3y-value')],
    [
      'an API key in the query, after the existing query',
      { type: 'apiKey', in: 'query', name: 'api_key', value: 'k&y=1 2' },
      (s: Seen) => expect(s.url).toBe('/things?a=1%202&api_key=k%26y%3D1%202'),
    ],
    ['HTTP Basic', { type: 'basic', username: 'ola', password: 'pässword:1' }, (s: Seen) => expect(s.headers.authorization).toBe(`Basic ${Buffer.from('ola:pässword:1').toString('base64')}`)],
    ['a static bearer token', { type: 'bearer', token: 'static-token-1' }, (s: Seen) => expect(s.headers.authorization).toBe('Bearer static-token-1')],
  ] as [string, AuthConfig, (s: Seen) => void][])('sends %s', async (_name, config, check) => {
    const api = await serve((_req, res) => json(res, 200, {}));
    const auth = provider(config);
    const exchange = await sendWithAuth(client(), auth, get(`${api.origin}/things?a=1%202`));
    expect(exchange.response?.status).toBe(200);
    expect(api.seen).toHaveLength(1);
    check(api.seen[0] as Seen);
    expect(auth.report()).toEqual({ scheme: 'test', type: config.type, ok: true, tokenRequests: 0, refreshes: 0 });
  });

  it('replaces an Authorization header already on the request', async () => {
    const auth = provider({ type: 'bearer', token: 'mine' });
    const request = await auth.authorize({ method: 'GET', url: 'http://x/', headers: [['Authorization', 'Bearer other']] });
    expect(request.headers).toEqual([['authorization', 'Bearer mine']]);
  });

  it('reports a 401 once, with the body cut and the key removed, and does not retry', async () => {
    const api = await serve((req, res) => res.writeHead(401, { 'content-type': 'text/plain' }).end(`bad key ${String(req.headers['x-api-key'])} ${'.'.repeat(1000)}`));
    const auth = provider({ type: 'apiKey', in: 'header', name: 'X-Api-Key', value: 'k3y-value' });
    const exchange = await sendWithAuth(client(), auth, get(`${api.origin}/`));
    expect(exchange.response?.status).toBe(401);
    expect(api.seen).toHaveLength(1);
    const report = auth.report();
    expect(report.ok).toBe(false);
    expect(report.failure).toMatchObject({ stage: 'call', status: 401 });
    expect(report.failure?.body).toMatch(/^bad key \[REDACTED\] \.+…$/);
    expect(report.failure?.body?.length).toBeLessThanOrEqual(301);
    expect(auth.secrets()).toContain('k3y-value');
  });

  it('lists the secrets it holds', () => {
    const basic = provider({ type: 'basic', username: 'u', password: 'p4ssword' });
    expect(basic.secrets()).toEqual(['p4ssword', Buffer.from('u:p4ssword').toString('base64')]);
    expect(provider({ type: 'bearer', token: 'tkn-1234' }).secrets()).toEqual(['tkn-1234']);
    expect(provider({ type: 'none' }).secrets()).toEqual([]);
  });
});

describe('OAuth2 client credentials', () => {
  const config = (tokenUrl: string, authMethod: 'client_secret_basic' | 'client_secret_post'): AuthConfig => ({
    type: 'oauth2-client-credentials',
    tokenUrl,
    clientId: 'my client:1',
    clientSecret: SECRET,
    scope: 'read write',
    audience: 'https://api.example.test',
    authMethod,
  });

  it('authenticates with client_secret_basic (RFC 6749 §2.3.1)', async () => {
    const { token, api, tokenUrl } = await tokenAndApi({ scope: 'read write' });
    const auth = provider(config(tokenUrl, 'client_secret_basic'));
    const exchange = await sendWithAuth(client(), auth, get(`${api.origin}/customers`));
    expect(exchange.response?.status).toBe(200);
    const sent = token.seen[0] as Seen;
    const [id, secret] = Buffer.from((sent.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8').split(':').map(formDecode);
    expect({ id, secret }).toEqual({ id: 'my client:1', secret: SECRET });
    expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(sent.form)).toEqual({ grant_type: 'client_credentials', scope: 'read write', audience: 'https://api.example.test' });
    const report = auth.report();
    expect(report).toEqual({
      scheme: 'test',
      type: 'oauth2-client-credentials',
      ok: true,
      tokenLifetimeSeconds: 3600,
      grantedScopes: ['read', 'write'],
      clockSkewSeconds: expect.any(Number), // Node's server sends its own Date
      tokenRequests: 1,
      refreshes: 0,
    });
    expect(Math.abs(report.clockSkewSeconds ?? 99)).toBeLessThanOrEqual(1);
  });

  it('authenticates with client_secret_post', async () => {
    const { token, api, tokenUrl } = await tokenAndApi();
    const auth = provider(config(tokenUrl, 'client_secret_post'));
    expect((await sendWithAuth(client(), auth, get(`${api.origin}/`))).response?.status).toBe(200);
    const sent = token.seen[0] as Seen;
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.form.get('client_id')).toBe('my client:1');
    expect(sent.form.get('client_secret')).toBe(SECRET);
    expect(sent.form.get('grant_type')).toBe('client_credentials');
  });

  it('caches the token, and lists it among its secrets', async () => {
    const { token, api, tokenUrl } = await tokenAndApi();
    const auth = provider(config(tokenUrl, 'client_secret_post'));
    const c = client();
    await sendWithAuth(c, auth, get(`${api.origin}/a`));
    await sendWithAuth(c, auth, get(`${api.origin}/b`));
    expect(token.seen).toHaveLength(1);
    expect(api.seen.map((s) => s.headers.authorization)).toEqual([`Bearer tok-1-${'x'.repeat(20)}`, `Bearer tok-1-${'x'.repeat(20)}`]);
    expect(auth.secrets()).toEqual(expect.arrayContaining([SECRET, `tok-1-${'x'.repeat(20)}`]));
  });

  it('refreshes refreshMarginSeconds before expiry (injected clock)', async () => {
    const { token, tokenUrl } = await tokenAndApi({ expiresIn: 300 });
    let now = Date.parse('2026-01-01T00:00:00Z');
    const auth = provider(config(tokenUrl, 'client_secret_post'), client(), { clock: () => now, refreshMarginSeconds: 60 });
    const authorization = async () => (await auth.authorize(get('http://api.invalid/'))).headers[0]?.[1];
    expect(await authorization()).toMatch(/^Bearer tok-1-/);
    now += 239_000;
    expect(await authorization()).toMatch(/^Bearer tok-1-/);
    now += 2_000;
    expect(await authorization()).toMatch(/^Bearer tok-2-/);
    expect(token.seen).toHaveLength(2);
    expect(auth.report()).toMatchObject({ tokenRequests: 2, refreshes: 1, tokenLifetimeSeconds: 300 });
  });

  it('refreshes once after a 401 and resends', async () => {
    const { token, api, live, tokenUrl } = await tokenAndApi();
    const seen: Exchange[] = [];
    const c = client({ onExchange: (e) => seen.push(e) });
    const auth = provider(config(tokenUrl, 'client_secret_post'), c);
    await auth.authorize(get(`${api.origin}/`));
    live.clear(); // the vendor revokes the token early
    const exchange = await sendWithAuth(c, auth, get(`${api.origin}/orders`), { purpose: 'list orders' });
    expect(exchange.response?.status).toBe(200);
    expect(token.seen).toHaveLength(2);
    expect(seen.map((e) => `${e.purpose} ${e.response?.status}`)).toEqual(['token request 200', 'list orders 401', 'token refresh 200', 'list orders (retry after 401) 200']);
    expect(auth.report()).toMatchObject({ ok: true, tokenRequests: 2, refreshes: 1 });
    expect(auth.report().failure).toBeUndefined();
  });

  it('refreshes only once when the API keeps answering 401, and reports it', async () => {
    const { token, api, tokenUrl } = await tokenAndApi({ apiStatus: () => 401 });
    const c = client();
    const auth = provider(config(tokenUrl, 'client_secret_post'), c);
    const exchange = await sendWithAuth(c, auth, get(`${api.origin}/`));
    expect(exchange.response?.status).toBe(401);
    expect(token.seen).toHaveLength(2);
    expect(api.seen).toHaveLength(2);
    await sendWithAuth(c, auth, get(`${api.origin}/`));
    expect(token.seen).toHaveLength(2); // refreshing did not help: no more refreshes
    expect(api.seen).toHaveLength(3);
    const report = auth.report();
    expect(report).toMatchObject({ ok: false, tokenRequests: 2, refreshes: 1, failure: { stage: 'call', status: 401 } });
    expect(report.failure?.body).not.toContain('tok-');
    expect(report.failure?.body).toContain('invalid_token');
  });

  it('shares one token request between concurrent calls', async () => {
    const { token, tokenUrl } = await tokenAndApi({ delayMs: 50 });
    const auth = provider(config(tokenUrl, 'client_secret_basic'));
    const requests = await Promise.all(Array.from({ length: 6 }, () => auth.authorize(get('http://api.invalid/'))));
    expect(new Set(requests.map((r) => r.headers[0]?.[1])).size).toBe(1);
    expect(token.seen).toHaveLength(1);
    expect(auth.report().tokenRequests).toBe(1);
  });

  it('measures the token server clock skew from its Date header', async () => {
    const { tokenUrl } = await tokenAndApi({ date: () => new Date(Date.now() + 30_000).toUTCString() });
    const auth = provider(config(tokenUrl, 'client_secret_post'));
    await auth.authorize(get('http://api.invalid/'));
    const skew = auth.report().clockSkewSeconds ?? 0;
    expect(skew).toBeGreaterThanOrEqual(29);
    expect(skew).toBeLessThanOrEqual(31);
  });

  it.each([
    ['an HTML error page', 401, 'text/html', (echo: string) => `<html><body><h1>Login failed</h1><p>client_secret=${echo}</p>${'<p>lorem ipsum</p>'.repeat(100)}</body></html>`, /answered 401 \(text\/html\)/],
    ['HTML with 200', 200, 'text/html; charset=utf-8', (echo: string) => `<html>${echo}</html>`, /answered 200 with text\/html; charset=utf-8 instead of a JSON token/],
    ['JSON without access_token', 200, 'application/json', () => '{"token_type":"Bearer"}', /answered 200 without an access_token/],
    ['an OAuth error', 400, 'application/json', () => '{"error":"invalid_scope","error_description":"scope admin is not allowed"}', /answered 400: invalid_scope \(scope admin is not allowed\)/],
  ] as const)('fails with AuthError on %s', async (_name, status, contentType, page, message) => {
    const token = await serve((req, res) => res.writeHead(status, { 'content-type': contentType }).end(page(`${req.body} ${SECRET}`)));
    const auth = provider(config(`${token.origin}/token`, 'client_secret_post'));
    const error = await auth.authorize(get('http://api.invalid/')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    const authError = error as AuthError;
    expect(authError).toMatchObject({ code: 'RECON_AUTH_FAILED', exitCode: 3, failure: { stage: 'token', status } });
    expect(authError.message).toMatch(message);
    expect(authError.failure.body?.length).toBeLessThanOrEqual(301);
    expect(authError.failure.body).not.toContain(SECRET);
    expect(authError.failure.body).not.toContain(encodeURIComponent(SECRET));
    expect(authError.failure.body).not.toContain(new URLSearchParams({ s: SECRET }).toString().slice(2));
    expect(auth.report()).toMatchObject({ ok: false, tokenRequests: 1, failure: authError.failure });
    // The same answer would come again: the endpoint is not asked twice.
    await expect(auth.authorize(get('http://api.invalid/'))).rejects.toBe(authError);
    expect(token.seen).toHaveLength(1);
  });

  it('asks again after a 503 from the token endpoint', async () => {
    let calls = 0;
    const token = await serve((_req, res) => (++calls === 1 ? res.writeHead(503).end('busy') : json(res, 200, { access_token: 'tok-after-503', expires_in: 60 })));
    const auth = provider(config(`${token.origin}/token`, 'client_secret_post'));
    await expect(auth.authorize(get('http://api.invalid/'))).rejects.toMatchObject({ failure: { stage: 'token', status: 503 } });
    expect((await auth.authorize(get('http://api.invalid/'))).headers).toEqual([['authorization', 'Bearer tok-after-503']]);
    expect(auth.report()).toMatchObject({ tokenRequests: 2, refreshes: 0 });
  });

  it('reports an unreachable token endpoint by its code', async () => {
    const auth = provider(config('http://nonexistent.invalid/token', 'client_secret_post'));
    await expect(auth.authorize(get('http://api.invalid/'))).rejects.toMatchObject({ code: 'RECON_AUTH_FAILED', failure: { stage: 'token', code: 'ENOTFOUND' } });
  });
});

// ---------------------------------------------------------------------------------------------

describe('certificates', () => {
  let dir: string;
  let ca: string;
  let server: { key: string; cert: string };
  let clientCert: { key: string; cert: string };
  let rsa: { privateKey: string; publicKey: string; certificate: string };
  let otherCertificate: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'recon-auth-'));
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=recon test CA', '-days', '2',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=keyCertSign,cRLSign');
    const issue = (name: string, subject: string, extension: string) => {
      writeFileSync(join(dir, `${name}.ext`), `${extension}\n`);
      openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(Date.now()), '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
      return { key: read(`${name}.key`), cert: read(`${name}.pem`) };
    };
    ca = read('ca.pem');
    server = issue('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1');
    clientCert = issue('client', '/CN=business cert 991825827', 'extendedKeyUsage=clientAuth');
    // The business certificate for the JWT: a self-signed certificate for an RSA key.
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    writeFileSync(join(dir, 'jwt.key'), pair.privateKey);
    openssl('req', '-x509', '-key', 'jwt.key', '-out', 'jwt.pem', '-subj', '/CN=jwt signer', '-days', '2');
    rsa = { ...pair, certificate: read('jwt.pem') };
    otherCertificate = server.cert;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A Maskinporten-like endpoint: verifies the assertion and issues a token. */
  async function maskinporten(tls?: https.ServerOptions) {
    const assertions: { header: ReturnType<typeof decodeProtectedHeader>; payload: Record<string, unknown> }[] = [];
    const endpoint = await serve(async (req, res) => {
      if (req.form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return json(res, 400, { error: 'unsupported_grant_type' });
      const assertion = req.form.get('assertion') ?? '';
      try {
        const { payload, protectedHeader } = await jwtVerify(assertion, createPublicKey(rsa.publicKey), {
          audience: 'https://test.maskinporten.no/',
          issuer: 'client-id-123',
          algorithms: ['RS256'],
        });
        assertions.push({ header: protectedHeader, payload });
        return json(res, 200, { access_token: `mp-${assertions.length}-${'y'.repeat(20)}`, token_type: 'Bearer', expires_in: 119, scope: payload.scope }, { date: new Date(Date.now() + 30_000).toUTCString() });
      } catch (error) {
        return json(res, 400, { error: 'invalid_grant', error_description: (error as Error).message });
      }
    }, tls);
    return { ...endpoint, assertions, tokenUrl: `${endpoint.origin}/token` };
  }

  const jwtConfig = (tokenUrl: string, extra: Partial<Extract<AuthConfig, { type: 'jwt-bearer' }>> = {}): AuthConfig => ({
    type: 'jwt-bearer',
    tokenUrl,
    issuer: 'client-id-123',
    audience: 'https://test.maskinporten.no/',
    scope: 'skatteetaten:mva altinn:read',
    privateKey: rsa.privateKey,
    certificate: rsa.certificate,
    keyId: 'key-2026',
    lifetimeSeconds: 120,
    ...extra,
  });

  it('signs an RS256 assertion the token endpoint verifies (RFC 7523 §2.1)', async () => {
    const mp = await maskinporten();
    const auth = provider(jwtConfig(mp.tokenUrl, { resource: 'https://api.example.no/' }));
    await auth.authorize(get('http://api.invalid/'));
    expect(auth.invalidate()).toBe(true);
    await auth.authorize(get('http://api.invalid/'));
    expect(mp.assertions).toHaveLength(2);
    const [first, second] = mp.assertions;
    const x509 = new X509Certificate(rsa.certificate);
    expect(first?.header).toEqual({ alg: 'RS256', kid: 'key-2026', x5c: [x509.raw.toString('base64')] });
    const payload = first?.payload ?? {};
    expect(payload).toMatchObject({ aud: 'https://test.maskinporten.no/', iss: 'client-id-123', scope: 'skatteetaten:mva altinn:read', resource: 'https://api.example.no/' });
    expect(Number(payload.exp) - Number(payload.iat)).toBeLessThanOrEqual(120);
    expect(Math.abs(Number(payload.iat) - Date.now() / 1000)).toBeLessThan(5);
    expect(payload.jti).toEqual(expect.any(String));
    expect(second?.payload.jti).not.toBe(payload.jti);
    const report = auth.report();
    expect(report).toMatchObject({ type: 'jwt-bearer', tokenLifetimeSeconds: 119, grantedScopes: ['skatteetaten:mva', 'altinn:read'], tokenRequests: 2, refreshes: 1 });
    expect(report.clockSkewSeconds).toBeGreaterThanOrEqual(29);
    expect(report.clockSkewSeconds).toBeLessThanOrEqual(31);
    // The assertions travelled in recorded request bodies: they are secrets too.
    expect(auth.secrets()).toEqual(expect.arrayContaining([rsa.privateKey, `mp-1-${'y'.repeat(20)}`]));
    expect(auth.secrets().filter((s) => s.startsWith('eyJ'))).toHaveLength(2);
  });

  it('caps the assertion lifetime at 120 s and leaves out x5c and kid when not configured', async () => {
    const mp = await maskinporten();
    const auth = provider(jwtConfig(mp.tokenUrl, { lifetimeSeconds: 600, certificate: undefined, keyId: undefined }));
    await auth.authorize(get('http://api.invalid/'));
    const { header, payload } = mp.assertions[0] ?? { header: {}, payload: {} };
    expect(header).toEqual({ alg: 'RS256' });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(120);
  });

  it.each([
    ['a certificate for another key', () => ({ certificate: otherCertificate }), /does not belong to the privateKey/],
    ['a key that is not PEM', () => ({ privateKey: 'not a key' }), /not a readable PEM private key/],
    ['a key that is not RSA', () => ({ privateKey: server.key, certificate: undefined }), /RS256 needs an RSA private key, got ec/],
  ] as const)('refuses %s without calling the token endpoint', async (_name, extra, message) => {
    const mp = await maskinporten();
    const auth = provider(jwtConfig(mp.tokenUrl, extra()));
    const error = (await auth.authorize(get('http://api.invalid/')).catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.failure.stage).toBe('config');
    expect(error.message).toMatch(message);
    expect(mp.seen).toHaveLength(0);
    expect(auth.report()).toMatchObject({ ok: false, tokenRequests: 0, failure: { stage: 'config' } });
  });

  it('reaches a token endpoint that requires mutual TLS through the client’s certificate', async () => {
    const mp = await maskinporten({ ...server, ca, requestCert: true, rejectUnauthorized: true });
    const withCert = provider(jwtConfig(mp.tokenUrl), client({ tls: { ca, cert: clientCert.cert, key: clientCert.key } }));
    expect((await withCert.authorize(get('http://api.invalid/'))).headers[0]?.[1]).toBe(`Bearer mp-1-${'y'.repeat(20)}`);

    const withoutCert = provider(jwtConfig(mp.tokenUrl), client({ tls: { ca } }));
    const error = (await withoutCert.authorize(get('http://api.invalid/')).catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.failure).toMatchObject({ stage: 'tls', code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' });
    expect(withoutCert.report().failure?.code).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
  });

  it('reports a TLS failure on an authorised API call', async () => {
    const api = await serve((_req, res) => json(res, 200, {}), { ...server, ca, requestCert: true, rejectUnauthorized: true });
    const auth = provider({ type: 'bearer', token: 'static-token-1' });
    const exchange = await sendWithAuth(client({ tls: { ca } }), auth, get(`${api.origin}/`));
    expect(exchange.failure?.code).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    expect(auth.report()).toMatchObject({ ok: false, failure: { stage: 'tls', code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' } });
  });
});
