/**
 * `runProbe` against the Acme ERP sandbox and against servers that misbehave in the ways vendors
 * do, all on loopback.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthConfig, ProbePlanConfig, TargetConfig } from '../src/config/types.js';
import { validateHar } from '../src/http/har/index.js';
import { runProbe, type ProbeResult } from '../src/probe/index.js';
import { ACME_SPEC_PATH, startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { loadSpec, type ApiSpec } from '../src/spec/index.js';

const PLAN: ProbePlanConfig = { parameters: {}, operations: {}, calls: [], maxPages: 3, idempotencyHeader: 'Idempotency-Key' };
const REDACTION = { headers: [], queryParams: [], jsonPaths: [] };

function target(baseUrl: string, auth: AuthConfig, overrides: Partial<TargetConfig> = {}): TargetConfig {
  return {
    name: 'sandbox',
    baseUrl,
    auth,
    tls: { rejectUnauthorized: true },
    writes: false,
    budget: 200,
    concurrency: 2,
    rateLimit: 200,
    timeoutSeconds: 5,
    maxResponseBytes: 10 * 1024 * 1024,
    headers: {},
    ...overrides,
  };
}

let dir: string;
let acme: ApiSpec;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recon-probe-'));
  acme = await loadSpec(ACME_SPEC_PATH);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('probe of the Acme ERP sandbox', () => {
  let sandbox: RunningSandbox;
  let result: ProbeResult;
  let har: string;

  beforeAll(async () => {
    // Canary credentials: unique strings that must appear in no file recon writes.
    sandbox = await startSandbox({ port: 0, faults: false, credentials: { clientSecret: 'canary-secret-7d41c9f0e2', apiKey: 'canary-key-55b3a1e8' } });
    const oauth: AuthConfig = {
      type: 'oauth2-client-credentials',
      tokenUrl: `${sandbox.url}/oauth/token`,
      clientId: sandbox.credentials.clientId,
      clientSecret: sandbox.credentials.clientSecret,
      authMethod: 'client_secret_basic',
    };
    const plan: ProbePlanConfig = {
      ...PLAN,
      calls: [
        { operation: 'createInvoice', parameters: {}, headers: {}, idempotencyCheck: true, body: { customerId: 10001, issueDate: '2024-03-01', dueDate: '2024-03-15', currency: 'NOK', lines: [{ lineType: 'product', productId: 5001, quantity: 2, unitPrice: 1200 }] } },
        { operation: 'createOrder', parameters: {}, headers: {}, idempotencyCheck: true, body: { customerId: 10001, items: [{ productId: 5001, quantity: 2 }] } },
      ],
    };
    har = join(dir, 'acme.har');
    result = await runProbe({
      spec: acme,
      target: target(`${sandbox.url}/api/v1`, oauth, { writes: true }),
      plan,
      redaction: REDACTION,
      secrets: [sandbox.credentials.clientSecret, sandbox.credentials.apiKey],
      recordingPath: har,
    });
  });
  afterAll(async () => sandbox.close());

  it('covers every safe operation it can reach, and says why it skipped the rest', () => {
    const gets = acme.operations.filter((op) => op.method === 'get');
    const probed = result.coverage.entries.filter((e) => e.status === 'probed').map((e) => e.operation);
    for (const op of gets) expect(probed, `${op.method} ${op.path}`).toContain(`GET ${op.path}`);
    for (const entry of result.coverage.entries.filter((e) => e.status === 'skipped')) expect(entry.reason).toBeTruthy();
    expect(result.reachedVendor).toBe(true);
    expect(result.requests).toBeLessThanOrEqual(200);
  });

  it('reports that OAuth2 works, with the token lifetime and scopes', () => {
    expect(result.auth[0]).toMatchObject({ ok: true, tokenLifetimeSeconds: 3600, tokenRequests: 1 });
    expect(result.auth[0]!.grantedScopes).toEqual(expect.arrayContaining(['erp.read']));
  });

  it('finds the Link-header pagination and the wrong invoice total', () => {
    const invoices = result.pagination.find((p) => p.operation === 'GET /invoices')!;
    expect(invoices).toMatchObject({ documented: 'page', observed: 'link-header', agrees: false, claimedTotal: 73, countedTotal: 80 });
    expect(invoices.notes.join(' ')).toMatch(/Link header/);
    expect(invoices.notes.join(' ')).toMatch(/says there are 73 items, but the pages hold 80/);
    const orders = result.pagination.find((p) => p.operation === 'GET /orders')!;
    expect(orders.notes).toContain('the body carries no total count');
  });

  it('finds the idempotency key ignored on invoices and honoured on orders', () => {
    const invoice = result.idempotency.find((i) => i.operation === 'POST /invoices')!;
    const order = result.idempotency.find((i) => i.operation === 'POST /orders')!;
    expect(invoice.verdict).toBe('ignored');
    expect(order.verdict).toBe('honoured');
    expect(result.created.filter((c) => c.operation === 'POST /invoices')).toHaveLength(2);
  });

  it('writes a valid HAR 1.2 with no secret in it', async () => {
    const text = await readFile(har, 'utf8');
    expect(validateHar(JSON.parse(text))).toMatchObject({ ok: true });
    for (const secret of [sandbox.credentials.clientSecret, sandbox.credentials.apiKey, Buffer.from(`${sandbox.credentials.clientId}:${sandbox.credentials.clientSecret}`).toString('base64')]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/); // no JWT-looking token
    const entries = (JSON.parse(text) as { log: { entries: unknown[] } }).log.entries;
    expect(entries.length).toBe(result.requests);
  });
});

describe('probe against misbehaving vendors', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const none: AuthConfig = { type: 'none' };

  it('an unreachable host: nothing probed, the failure reported', async () => {
    const url = await serve(() => undefined);
    servers[0]!.close();
    servers.length = 0;
    const result = await runProbe({ spec: acme, target: target(`${url}/api/v1`, none, { budget: 5 }), plan: PLAN, redaction: REDACTION, secrets: [] });
    expect(result.reachedVendor).toBe(false);
    expect(result.problems[0]?.code).toBe('ECONNREFUSED');
  });

  it('a token endpoint that answers HTML: auth failure reported, probe stops, secret not quoted', async () => {
    const secret = 'canary-client-secret-93b1';
    const url = await serve((req, res) => {
      res.writeHead(req.url === '/oauth/token' ? 502 : 200, { 'content-type': 'text/html' }).end(`<html><body>Bad gateway ${secret}</body></html>`);
    });
    const auth: AuthConfig = { type: 'oauth2-client-credentials', tokenUrl: `${url}/oauth/token`, clientId: 'x', clientSecret: secret, authMethod: 'client_secret_post' };
    const result = await runProbe({ spec: acme, target: target(`${url}/api/v1`, auth, { budget: 20 }), plan: PLAN, redaction: REDACTION, secrets: [secret], recordingPath: join(dir, 'html-token.har') });
    expect(result.reachedVendor).toBe(false);
    expect(result.auth[0]).toMatchObject({ ok: false, failure: expect.objectContaining({ stage: 'token', status: 502 }) });
    expect(result.stoppedEarly).toMatch(/authentication failed/);
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(await readFile(join(dir, 'html-token.har'), 'utf8')).not.toContain(secret);
  });

  it('401 on every call: reported with the body, one refresh at most', async () => {
    let tokens = 0;
    const url = await serve((req, res) => {
      if (req.url === '/oauth/token') {
        tokens++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `t${tokens}`, token_type: 'Bearer', expires_in: 3600 }));
      } else res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"token not valid for this tenant"}');
    });
    const auth: AuthConfig = { type: 'oauth2-client-credentials', tokenUrl: `${url}/oauth/token`, clientId: 'x', clientSecret: 'y', authMethod: 'client_secret_basic' };
    const result = await runProbe({ spec: acme, target: target(`${url}/api/v1`, auth, { budget: 30 }), plan: PLAN, redaction: REDACTION, secrets: [] });
    expect(result.reachedVendor).toBe(true);
    expect(result.auth[0]).toMatchObject({ ok: false, failure: expect.objectContaining({ status: 401, body: expect.stringContaining('not valid for this tenant') }) });
    expect(tokens).toBeLessThanOrEqual(2);
    expect(result.operations.every((op) => Object.keys(op.statuses).every((s) => s === '401'))).toBe(true);
  });

  it('a 200 MB response is capped and marked, a hung server times out, a lying content type is survived', async () => {
    const url = await serve((req, res) => {
      if (req.url?.startsWith('/api/v1/customers?') || req.url === '/api/v1/customers') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 200 && res.write(chunk)) sent++;
          if (sent < 200) res.once('drain', pump);
          else res.end();
        };
        pump();
      } else if (req.url?.startsWith('/api/v1/products')) {
        // never answers
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('<html>not json</html>');
      }
    });
    const started = Date.now();
    const result = await runProbe({
      spec: acme,
      target: target(`${url}/api/v1`, none, { budget: 40, timeoutSeconds: 1, maxResponseBytes: 256 * 1024 }),
      plan: PLAN,
      redaction: REDACTION,
      secrets: [],
      recordingPath: join(dir, 'misbehave.har'),
    });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.reachedVendor).toBe(true);
    const harText = await readFile(join(dir, 'misbehave.har'), 'utf8');
    expect(harText.length).toBeLessThan(5 * 1024 * 1024);
    expect(harText).toMatch(/truncated/);
    expect(result.problems.some((p) => p.code === 'RECON_TIMEOUT')).toBe(true);
    const invoices = result.operations.find((o) => o.operation === 'GET /invoices');
    expect(invoices?.statuses['200']).toBeGreaterThan(0);
  });

  it('keeps an API key sent in the query out of the whole result, whatever the vendor echoes', async () => {
    const key = 'canary-echoed-key-6e2f';
    const url = await serve((req, res) => {
      // Lists drop the connection (a problem is reported); everything else echoes the key in a 404.
      if (req.url?.startsWith('/api/v1/customers')) req.socket.destroy();
      else res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `no such thing for key ${key}` }));
    });
    const auth: AuthConfig = { type: 'apiKey', in: 'query', name: 'api_key', value: key };
    const result = await runProbe({ spec: acme, target: target(`${url}/api/v1`, auth, { budget: 10 }), plan: PLAN, redaction: REDACTION, secrets: [key] });
    expect(result.problems.length).toBeGreaterThan(0);
    expect(JSON.stringify(result)).not.toContain(key);
  });

  it('honours Retry-After and stops when the wait is absurd', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      if (calls === 1) res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('slow down');
      else res.writeHead(429, { 'retry-after': '86400', 'content-type': 'text/plain' }).end('come back tomorrow');
    });
    const started = Date.now();
    const result = await runProbe({ spec: acme, target: target(`${url}/api/v1`, none, { budget: 50, concurrency: 1 }), plan: PLAN, redaction: REDACTION, secrets: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(result.stoppedEarly).toMatch(/Retry-After/);
    expect(calls).toBeLessThan(5);
  });
});
