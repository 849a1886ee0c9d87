/**
 * The runner against real things: the Acme sandbox (or a plain http server on port 0 where a
 * test needs one exact answer), a SQLite store in a temp dir, connectors loaded from YAML files
 * in a workspace made by `initWorkspace`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorWorkspace, connectorYaml, withAuth } from './helpers/runtime-workspace.js';
import { loadConnector } from '../src/runtime/connector/index.js';
import { runConnector, backoffDelayMs, planRetry, classifyAttempt, idempotencyKeyFor, capped, progressOf, emptyCounts } from '../src/runtime/run/index.js';
import { openStore, type Store } from '../src/runtime/store/index.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import type { Exchange } from '../src/http/index.js';

const CANARY_SECRET = 'canary-client-secret-7f3a9c';
const dirs: string[] = [];
const stores: Store[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

/** A review workspace whose sandbox target points at `baseUrl`, with the given connectors. */
async function workspace(origin: string, connectors: Record<string, string>, auth?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'recon-run-'));
  dirs.push(dir);
  return connectorWorkspace(dir, origin, connectors, auth === undefined ? undefined : withAuth(auth));
}

const settings = { rateLimit: { limit: 6000, windowSeconds: 60 }, concurrency: 4, timeoutMs: 2000 };
const ordersConnector = (extra = ''): string => connectorYaml('push-orders-header', { id: 'orderNo', settings, extra });
const invoicesConnector = (extra = ''): string => connectorYaml('push-invoices-lookup', { id: 'invoiceNo', settings, extra });

async function* items(records: unknown[]): AsyncGenerator<{ line: number; record?: unknown; error?: string }> {
  let line = 0;
  for (const record of records) {
    line++;
    yield typeof record === 'string' ? { line, error: record } : { line, record };
  }
}

const orders = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ orderNo: `SO-${from + i}`, customer: 10001 + (i % 5), product: 5001 + (i % 3), qty: 1 + (i % 4) }));
const invoices = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ invoiceNo: `INV-${from + i}`, customer: 10001 + (i % 5), product: 5001 + (i % 3), qty: 1 + (i % 4) }));

async function storeIn(dir: string): Promise<Store> {
  const store = await openStore(`sqlite:${join(dir, '.recon', 'recon.db')}`);
  stores.push(store);
  return store;
}

const env = { ACME_CLIENT_SECRET: CANARY_SECRET };

/**
 * A clock that jumps forward on every sleep. Each sleep still yields a real millisecond, so the
 * HTTP calls in flight make progress (a sleep that resolved at once would starve them).
 */
function fakeTime(start: number): { clock: () => number; sleep: (ms: number) => Promise<void>; advance(ms: number): void } {
  let now = start;
  return {
    clock: () => now,
    sleep: async (ms) => {
      now += ms;
      await new Promise((resolve) => setTimeout(resolve, 1));
    },
    advance: (ms) => void (now += ms),
  };
}

describe('retry policy and outcomes', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000, maxElapsedMs: 60_000, retryStatuses: [408, 425, 429, 500, 502, 503, 504] };

  it.each([
    ['first retry, top of the 1 s step', 1, 0.999, 999],
    ['third retry, half of the 4 s step', 3, 0.5, 2000],
    ['capped at maxDelayMs', 10, 0.999, 4995],
    ['jitter can be zero', 2, 0, 0],
  ])('full jitter: %s', (_name, attempt, random, want) => {
    expect(backoffDelayMs(policy, attempt, () => random)).toBe(want);
  });

  it('Retry-After beats the backoff; attempts and elapsed time are capped', () => {
    expect(planRetry(policy, { attempts: 1, enqueuedAt: 0 }, 100, { retryAfterMs: 3000, random: () => 0.5 })).toEqual({ retry: true, notBefore: 3100, delayMs: 3000, source: 'retry-after' });
    expect(planRetry(policy, { attempts: 4, enqueuedAt: 0 }, 100, { random: () => 0.5 })).toMatchObject({ retry: false, reason: expect.stringContaining('maxAttempts 4') });
    expect(planRetry(policy, { attempts: 1, enqueuedAt: 0 }, 59_900, { retryAfterMs: 1000, random: () => 0.5 })).toMatchObject({ retry: false, reason: expect.stringContaining('maxElapsedMs') });
  });

  const exchange = (status?: number, body = '', headers: [string, string][] = [], failure?: string): Exchange => ({
    startedAt: new Date(0),
    time: 1,
    request: { method: 'POST', url: 'http://x/', headers: [] },
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 },
    ...(status === undefined ? {} : { response: { status, statusText: '', httpVersion: 'HTTP/1.1', headers, body: Buffer.from(body), bodySize: body.length, truncated: false } }),
    ...(failure === undefined ? {} : { failure: { code: failure, message: 'x' } }),
  });

  it.each([
    ['201', exchange(201, '{"id":1}'), { kind: 'done' }],
    ['200 with an error body', exchange(200, '{"success":false,"message":"quota exceeded"}'), { kind: 'dead', errorClass: 'error-in-2xx-body' }],
    ['400 problem details', exchange(400, '{"title":"Bad Request","detail":"The order is not valid.","errors":[{"field":"customerId","message":"no such customer"}]}'), { kind: 'dead', reason: '400: The order is not valid. (customerId: no such customer)' }],
    ['422', exchange(422, '{"detail":"key reused"}'), { kind: 'dead', errorClass: 'http-422' }],
    ['429 with Retry-After', exchange(429, 'Too Many Requests', [['Retry-After', '7']]), { kind: 'retry', retryAfterMs: 7000, mayHaveApplied: false }],
    ['503 HTML', exchange(503, '<html><h1>503 Service Temporarily Unavailable</h1></html>'), { kind: 'retry', reason: '503: 503 Service Temporarily Unavailable', mayHaveApplied: false }],
    ['500 may have applied', exchange(500, 'oops'), { kind: 'retry', mayHaveApplied: true }],
    ['connection refused: nothing sent', exchange(undefined, '', [], 'ECONNREFUSED'), { kind: 'retry', mayHaveApplied: false }],
    ['timeout: unknown', exchange(undefined, '', [], 'RECON_TIMEOUT'), { kind: 'unknown' }],
    ['connection lost: unknown', exchange(undefined, '', [], 'ECONNRESET'), { kind: 'unknown' }],
  ])('%s', (_name, given, want) => {
    expect(classifyAttempt(given, policy, new Date(0))).toMatchObject(want);
  });

  it('idempotency keys are stable, per connector, opaque', () => {
    expect(idempotencyKeyFor('a', 'INV-1')).toBe(idempotencyKeyFor('a', 'INV-1'));
    expect(idempotencyKeyFor('a', 'INV-1')).not.toBe(idempotencyKeyFor('b', 'INV-1'));
    expect(idempotencyKeyFor('a', 'INV-1')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('caps bodies and says how large they were', () => {
    expect(capped('x'.repeat(100), 10)).toBe('xxxxxxxxxx…[cut at 10 of 100 bytes]');
    expect(capped('short', 10)).toBe('short');
  });

  it('ETA at the throttled rate', () => {
    const p = progressOf({ ...emptyCounts(), done: 100 }, { total: 1000, inFlight: 2, startedAt: 0, now: 5000, throttledRate: 10 });
    expect(p).toMatchObject({ ratePerSecond: 20, etaSeconds: 90 });
  });
});

describe('runConnector against the Acme sandbox', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ faults: false, rateLimit: false, credentials: { clientSecret: CANARY_SECRET } });
  });
  afterAll(() => sandbox.close());

  it('delivers 50 orders (header), and the same input again queues nothing new', async () => {
    const dir = await workspace(sandbox.url, { 'push-orders': ordersConnector() });
    const loaded = await loadConnector(join(dir, 'connectors', 'push-orders.yaml'), { env });
    const store = await storeIn(dir);
    const before = sandbox.stats().creates.orders;
    const summary = await runConnector({ loaded, store, input: items(orders(50)) });
    expect(summary).toMatchObject({ enqueued: 50, duplicates: 0, done: 50, dead: 0, parked: 0, queue: { done: 50, queued: 0, leased: 0 } });
    expect(sandbox.stats().creates.orders - before).toBe(50);
    const one = await store.get('push-orders', 'SO-7');
    expect(one).toMatchObject({ state: 'done', vendorId: expect.stringMatching(/^\d+$/) });

    const again = await runConnector({ loaded, store, input: items(orders(50)) });
    expect(again).toMatchObject({ enqueued: 0, duplicates: 50, done: 0, calls: 0 });
    expect(sandbox.stats().creates.orders - before).toBe(50);
    expect((await store.verifyAudit()).ok).toBe(true);
  });

  it('delivers invoices with lookup, dead-letters the vendor refusal and the invalid record, and keeps secrets out of the audit log', async () => {
    const dir = await workspace(sandbox.url, { 'push-invoices': invoicesConnector() });
    const loaded = await loadConnector(join(dir, 'connectors', 'push-invoices.yaml'), { env });
    const store = await storeIn(dir);
    const requestsBefore = sandbox.requestCount();
    const input = [
      ...invoices(20),
      { invoiceNo: 'INV-BAD-CUSTOMER', customer: 99999, product: 5001, qty: 1 },
      { invoiceNo: 'INV-NO-PRODUCT', customer: 10001, qty: 1 },
      '{"invoiceNo": broken',
      { customer: 10001 },
    ];
    const summary = await runConnector({ loaded, store, input: items(input) });
    expect(summary).toMatchObject({ enqueued: 22, invalidLines: 2, done: 20, dead: 2 });
    expect(summary.problems.map((p) => p.line)).toEqual([23, 24]);
    expect(await store.get('push-invoices', 'INV-BAD-CUSTOMER')).toMatchObject({ state: 'dead', reason: expect.stringContaining('no such customer') });
    const invalid = await store.get('push-invoices', 'INV-NO-PRODUCT');
    expect(invalid).toMatchObject({ state: 'dead', reason: expect.stringContaining('/product') });
    // 20 creates, the refused one, and one token request: the invalid record was never sent.
    expect(sandbox.requestCount() - requestsBefore).toBe(22);
    const trail = await store.queryAudit({ messageId: 'INV-NO-PRODUCT' });
    expect(trail).toMatchObject([{ outcome: 'invalid', attempt: 1 }]);

    const records = await store.queryAudit({ connector: 'push-invoices' });
    expect(records).toHaveLength(22);
    const everything = JSON.stringify(records);
    expect(everything).not.toContain(CANARY_SECRET);
    const auth = records[0]!.requestHeaders.find(([name]) => name.toLowerCase() === 'authorization');
    expect(auth?.[1]).toMatch(/^Bearer <redacted/);
    await store.close();
    stores.pop();
    const raw = await readFile(join(dir, '.recon', 'recon.db'));
    expect(raw.includes(Buffer.from(CANARY_SECRET))).toBe(false);
  });

  it('audit verify passes after a run and names the record edited through a raw connection', async () => {
    const dir = await workspace(sandbox.url, { 'push-orders': ordersConnector() });
    const loaded = await loadConnector(join(dir, 'connectors', 'push-orders.yaml'), { env });
    const file = join(dir, '.recon', 'recon.db');
    let store = await storeIn(dir);
    await runConnector({ loaded, store, input: items(orders(5, 500)) });
    expect(await store.verifyAudit()).toMatchObject({ ok: true, records: 5 });
    await store.close();
    stores.pop();
    const db = new Database(file);
    db.prepare("UPDATE recon_audit SET content = replace(content, '201', '200') WHERE seq = 3").run();
    db.close();
    store = await storeIn(dir);
    expect(await store.verifyAudit()).toMatchObject({ ok: false, brokenAt: { seq: 3 } });
  });

  it('resumes after a crash: expired leases are taken over, and marked invoices are looked up, not created twice', async () => {
    const dir = await workspace(sandbox.url, { 'push-invoices': invoicesConnector() });
    const loaded = await loadConnector(join(dir, 'connectors', 'push-invoices.yaml'), { env });
    const store = await storeIn(dir);
    const records = invoices(10, 900);
    const { enqueueInput } = await import('../src/runtime/run/index.js');
    const time = fakeTime(Date.now());
    await enqueueInput({ store, connector: 'push-invoices', input: items(records), idOf: (r) => (r as { invoiceNo: string }).invoiceNo, now: time.clock });
    // A run that leased four and died mid-call: two of its creates reached the vendor.
    const leased = await store.lease('push-invoices', 'killed-run', 4, 60_000, time.clock());
    for (const message of leased) await store.markOutcomeUnknown('push-invoices', message.id, 'killed-run', true);
    for (const message of leased.slice(0, 2)) {
      const token = await (await fetch(`${sandbox.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=client_credentials&client_id=acme-demo&client_secret=${CANARY_SECRET}` })).json() as { access_token: string };
      const r = message.payload as { invoiceNo: string; customer: number; product: number; qty: number };
      const res = await fetch(`${sandbox.url}/api/v1/invoices`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ customerId: r.customer, dueDate: '2026-12-31', externalRef: r.invoiceNo, lines: [{ lineType: 'product', productId: r.product, quantity: r.qty }] }),
      });
      expect(res.status).toBe(201);
    }
    // The next run starts after the dead run's lease ran out.
    time.advance(61_000);
    const summary = await runConnector({ loaded, store, clock: time.clock, sleep: time.sleep });
    expect(summary).toMatchObject({ total: 10, done: 10, foundByLookup: 2, dead: 0 });
    for (const r of records) {
      const res = await fetch(`${sandbox.url}/api/v1/invoices?externalRef=${r.invoiceNo}`, { headers: { 'X-Api-Key': sandbox.credentials.apiKey } });
      expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(1);
    }
    const found = await store.queryAudit({ messageId: leased[0]!.id });
    expect(found.map((r) => r.outcome)).toEqual(['lookup-found']);
    const missing = await store.queryAudit({ messageId: leased[2]!.id });
    expect(missing.map((r) => r.outcome)).toEqual(['lookup-missing', 'done']);
  });
});

/** A vendor that answers each call from a script, then 201. */
async function scriptedVendor(script: ((req: IncomingMessage, res: ServerResponse) => void)[]): Promise<{ server: Server; origin: string; calls: () => number }> {
  let calls = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const step = script[calls++];
      if (step) return step(req, res);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 4242 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls: () => calls };
}

describe('runConnector against a scripted vendor', () => {
  it('retries 503 and 429 at the time Retry-After says, not the backoff', async () => {
    const vendor = await scriptedVendor([
      (_req, res) => res.writeHead(503, { 'Retry-After': '2', 'content-type': 'text/html' }).end('<h1>down</h1>'),
      (_req, res) => res.writeHead(429, { 'Retry-After': '3' }).end('Too Many Requests'),
    ]);
    try {
      const dir = await workspace(vendor.origin, { 'push-orders': ordersConnector('retry: { baseDelayMs: 1, maxDelayMs: 1 }') }, '{ type: none }');
      const loaded = await loadConnector(join(dir, 'connectors', 'push-orders.yaml'), { env });
      const store = await storeIn(dir);
      const time = fakeTime(Date.parse('2026-03-01T00:00:00Z'));
      const summary = await runConnector({ loaded, store, input: items(orders(1)), clock: time.clock, sleep: time.sleep });
      expect(summary).toMatchObject({ done: 1, retried: 2 });
      const trail = await store.queryAudit({ messageId: 'SO-1' });
      expect(trail.map((r) => [r.attempt, r.status, r.outcome])).toEqual([[1, 503, 'retry'], [2, 429, 'retry'], [3, 201, 'done']]);
      const at = trail.map((r) => Date.parse(r.at));
      expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(2000);
      expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(3000);
      expect(trail[0]!.requestHeaders).toContainEqual(['Idempotency-Key', idempotencyKeyFor('push-orders', 'SO-1')]);
    } finally {
      vendor.server.close();
    }
  });

  it('parks an unknown outcome under strategy none, with the evidence', async () => {
    const vendor = await scriptedVendor([(req) => req.socket.destroy()]);
    try {
      const connector = ordersConnector().replace('idempotency: { strategy: header }', 'idempotency: { strategy: none, acknowledgeNoIdempotency: true }');
      const dir = await workspace(vendor.origin, { 'push-orders': connector }, '{ type: none }');
      const loaded = await loadConnector(join(dir, 'connectors', 'push-orders.yaml'), { env });
      const store = await storeIn(dir);
      const summary = await runConnector({ loaded, store, input: items(orders(2)) });
      expect(summary).toMatchObject({ done: 1, parked: 1 });
      expect(vendor.calls()).toBe(2);
      const parked = (await store.list('push-orders', { state: 'parked' }))[0];
      expect(parked).toMatchObject({ outcomeUnknown: true, reason: expect.stringContaining('connection lost') });
    } finally {
      vendor.server.close();
    }
  });

  it('waits out a token endpoint that answers 503, and tells the observer of each failed token call', async () => {
    const down = (_req: IncomingMessage, res: ServerResponse) => res.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance');
    const vendor = await scriptedVendor([
      down,
      down,
      (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 })),
    ]);
    try {
      const dir = await workspace(vendor.origin, { 'push-orders': ordersConnector() });
      const loaded = await loadConnector(join(dir, 'connectors', 'push-orders.yaml'), { env });
      const store = await storeIn(dir);
      const time = fakeTime(Date.parse('2026-03-01T00:00:00Z'));
      const calls: { operation: string; outcomeClass: string; status?: number }[] = [];
      const summary = await runConnector({ loaded, store, input: items(orders(1)), clock: time.clock, sleep: time.sleep, observer: { call: (e) => calls.push(e) } });
      expect(summary).toMatchObject({ done: 1 });
      expect(calls.map((c) => [c.operation, c.outcomeClass, c.status])).toEqual([
        ['token', '5xx', 503],
        ['token', '5xx', 503],
        ['createOrder', '2xx', 201],
      ]);
    } finally {
      vendor.server.close();
    }
  });

  it('stops when the vendor cannot be reached at all, leaving everything queued', async () => {
    const vendor = await scriptedVendor([]);
    const origin = vendor.origin;
    await new Promise((resolve) => vendor.server.close(resolve));
    const dir = await workspace(origin, { 'push-orders': ordersConnector('retry: { baseDelayMs: 1, maxDelayMs: 1 }') }, '{ type: none }');
    const loaded = await loadConnector(join(dir, 'connectors', 'push-orders.yaml'), { env });
    const store = await storeIn(dir);
    const summary = await runConnector({ loaded, store, input: items(orders(3)) });
    expect(summary).toMatchObject({ vendorUnreachable: true, done: 0, dead: 0 });
    expect(summary.queue.queued).toBe(3);
  });
});
