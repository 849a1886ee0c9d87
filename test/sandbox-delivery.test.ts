/**
 * The sandbox as a hostile delivery target (issue 7's crash test): seeded delivery faults on
 * POST /invoices and POST /orders, `externalRef` lookup, order idempotency across a dropped
 * connection, rate limiting off — and the default behaviour untouched.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { UsageError } from '../src/errors.js';
import { planDeliveryFault, startSandbox, type DeliveryFaultPlan, type RunningSandbox, type SandboxOptions } from '../src/sandbox/index.js';

type Json = Record<string, any>;

type Outcome =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; text: string }
  | { kind: 'timeout' }
  | { kind: 'dropped'; code: string };

const INVOICE = { customerId: 10001, dueDate: '2025-06-30', lines: [{ lineType: 'product', productId: 5001, quantity: 2 }] };
const ORDER = { customerId: 10005, items: [{ productId: 5002, quantity: 1 }] };
const FIXED_CLOCK = (): number => Date.parse('2025-05-01T12:00:00Z');

const running: RunningSandbox[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.close()));
});

async function sandboxWith(options: SandboxOptions): Promise<RunningSandbox> {
  const sandbox = await startSandbox({ faults: false, clock: FIXED_CLOCK, ...options });
  running.push(sandbox);
  return sandbox;
}

/** One request on a fresh connection, so a dropped socket or a timeout is this call's alone. */
function send(sandbox: RunningSandbox, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 2000): Promise<Outcome> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(`${sandbox.url}/api/v1${path}`, {
      method,
      agent: false,
      headers: { 'X-Api-Key': sandbox.credentials.apiKey, ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    });
    let timedOut = false;
    req.setTimeout(timeoutMs, () => {
      timedOut = true;
      req.destroy();
      resolve({ kind: 'timeout' });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!timedOut) resolve({ kind: 'dropped', code: error.code ?? error.message });
    });
    req.end(payload);
  });
}

async function invoicesWithRef(sandbox: RunningSandbox, externalRef: string): Promise<Json[]> {
  const outcome = await send(sandbox, 'GET', `/invoices?externalRef=${encodeURIComponent(externalRef)}`);
  if (outcome.kind !== 'response' || outcome.status !== 200) throw new Error(`lookup failed: ${JSON.stringify(outcome)}`);
  return JSON.parse(outcome.text).data as Json[];
}

/** The first seed whose first two POST /orders calls get `first`, then no fault. */
function seedWhereOrdersStartWith(first: DeliveryFaultPlan, rate: number): number {
  for (let seed = 0; seed < 10_000; seed++) {
    if (planDeliveryFault(seed, 'POST /orders', 0, rate) === first && planDeliveryFault(seed, 'POST /orders', 1, rate) === 'none') return seed;
  }
  throw new Error(`no seed starts POST /orders with ${first}`);
}

describe('delivery faults', () => {
  test('over 200 invoice creates every kind happens and does what it says', async () => {
    const rate = 0.4;
    const sandbox = await sandboxWith({ seed: 7, rateLimit: false, deliveryFaults: { rate, slowMs: 1000 } });
    const before = sandbox.stats().creates.invoices;
    const seen: Record<string, number> = { none: 0, unavailable: 0, 'server-error': 0, slow: 0, dropped: 0 };
    for (let call = 0; call < 200; call++) {
      const plan = planDeliveryFault(7, 'POST /invoices', call, rate);
      seen[plan]!++;
      const ref = `crash-${call}`;
      const outcome = await send(sandbox, 'POST', '/invoices', { ...INVOICE, externalRef: ref }, {}, 250);
      switch (plan) {
        case 'none':
          expect(outcome).toMatchObject({ kind: 'response', status: 201 });
          break;
        case 'unavailable':
          expect(outcome).toMatchObject({ kind: 'response', status: 503, headers: { 'retry-after': '1' } });
          break;
        case 'server-error':
          expect(outcome).toMatchObject({ kind: 'response', status: 500 });
          if (outcome.kind === 'response') expect(outcome.text).toMatch(/^<!DOCTYPE html>/);
          if (outcome.kind === 'response') expect(outcome.headers['content-type']).toMatch(/^text\/html/);
          break;
        case 'slow':
          expect(outcome).toEqual({ kind: 'timeout' });
          break;
        case 'dropped':
          expect(outcome.kind).toBe('dropped');
          break;
      }
      // Created exactly when the fault strikes after the commit (or never strikes).
      const expected = plan === 'unavailable' || plan === 'server-error' ? 0 : 1;
      expect(await invoicesWithRef(sandbox, ref), `call ${call}: ${plan}`).toHaveLength(expected);
    }
    for (const kind of ['unavailable', 'server-error', 'slow', 'dropped']) expect(seen[kind], kind).toBeGreaterThan(0);
    const stats = sandbox.stats();
    expect(stats.deliveryFaults).toEqual({ unavailable: seen['unavailable'], 'server-error': seen['server-error'], slow: seen['slow'], dropped: seen['dropped'] });
    expect(stats.creates.invoices - before).toBe(seen['none']! + seen['slow']! + seen['dropped']!);
  });

  test('the schedule is a pure function of (seed, route, call number), split evenly', () => {
    const counts: Record<string, number> = {};
    for (let call = 0; call < 20_000; call++) {
      const plan = planDeliveryFault(3, 'POST /orders', call, 0.2);
      counts[plan] = (counts[plan] ?? 0) + 1;
      expect(planDeliveryFault(3, 'POST /orders', call, 0.2)).toBe(plan);
    }
    expect(counts['none']! / 20_000).toBeCloseTo(0.8, 1);
    for (const kind of ['unavailable', 'server-error', 'slow', 'dropped']) expect(counts[kind]! / 20_000).toBeCloseTo(0.05, 1);
    expect(planDeliveryFault(3, 'POST /orders', 0, 0)).toBe('none');
  });

  test('reads and other creates are never delivery-faulted', async () => {
    const sandbox = await sandboxWith({ rateLimit: false, deliveryFaults: { rate: 1 } });
    for (let call = 0; call < 20; call++) expect(await send(sandbox, 'GET', '/invoices?pageSize=1')).toMatchObject({ status: 200 });
    const created = await send(sandbox, 'POST', '/products', { sku: 'DLV-1', name: 'Delivery test', price: 10 });
    expect(created).toMatchObject({ status: 201 });
    expect(sandbox.stats().deliveryFaults).toEqual({ unavailable: 0, 'server-error': 0, slow: 0, dropped: 0 });
  });

  test('order Idempotency-Key holds across "commit then drop the connection"', async () => {
    const seed = seedWhereOrdersStartWith('dropped', 0.5);
    const sandbox = await sandboxWith({ seed, deliveryFaults: { rate: 0.5 } });
    const first = await send(sandbox, 'POST', '/orders', ORDER, { 'Idempotency-Key': 'drop-1' });
    expect(first.kind).toBe('dropped');
    expect(sandbox.stats().creates.orders).toBe(1);
    const retry = await send(sandbox, 'POST', '/orders', ORDER, { 'Idempotency-Key': 'drop-1' });
    expect(retry).toMatchObject({ kind: 'response', status: 201 });
    const order = JSON.parse((retry as { text: string }).text) as Json;
    const stored = await send(sandbox, 'GET', `/orders/${order['id']}`);
    expect(JSON.parse((stored as { text: string }).text)).toEqual(order);
    expect(sandbox.stats().creates.orders).toBe(1);
  });

  test('invoices still ignore Idempotency-Key: a retry after a drop is a duplicate (deviation 3)', async () => {
    let seed = 0;
    while (planDeliveryFault(seed, 'POST /invoices', 0, 0.5) !== 'dropped' || planDeliveryFault(seed, 'POST /invoices', 1, 0.5) !== 'none') seed++;
    const sandbox = await sandboxWith({ seed, deliveryFaults: { rate: 0.5 } });
    const input = { ...INVOICE, externalRef: 'dup-1' };
    expect((await send(sandbox, 'POST', '/invoices', input, { 'Idempotency-Key': 'inv-1' })).kind).toBe('dropped');
    expect(await send(sandbox, 'POST', '/invoices', input, { 'Idempotency-Key': 'inv-1' })).toMatchObject({ status: 201 });
    expect(await invoicesWithRef(sandbox, 'dup-1')).toHaveLength(2);
  });

  test('bad deliveryFaults options are refused, naming the option', async () => {
    for (const deliveryFaults of [{ rate: 1.5 }, { rate: -0.1 }, { rate: Number.NaN }, { rate: 0.1, slowMs: -1 }, { rate: 0.1, seed: 1.5 }]) {
      await expect(startSandbox({ deliveryFaults })).rejects.toMatchObject({ constructor: UsageError, code: 'RECON_SANDBOX_OPTION', message: expect.stringMatching(/deliveryFaults/) });
    }
  });
});

describe('externalRef', () => {
  test('stored, echoed and filtered by exact match', async () => {
    const sandbox = await sandboxWith({});
    const created = await send(sandbox, 'POST', '/invoices', { ...INVOICE, externalRef: 'ERP-1' });
    expect(created).toMatchObject({ status: 201 });
    const invoice = JSON.parse((created as { text: string }).text) as Json;
    expect(invoice['externalRef']).toBe('ERP-1');
    await send(sandbox, 'POST', '/invoices', { ...INVOICE, externalRef: 'ERP-10' });
    expect(await invoicesWithRef(sandbox, 'ERP-1')).toEqual([invoice]);
    expect(await invoicesWithRef(sandbox, 'erp-1')).toEqual([]);
    expect(await invoicesWithRef(sandbox, 'nothing')).toEqual([]);
  });

  test('absent, not null, when not given', async () => {
    const sandbox = await sandboxWith({});
    const created = await send(sandbox, 'POST', '/invoices', INVOICE);
    expect(Object.keys(JSON.parse((created as { text: string }).text) as Json)).not.toContain('externalRef');
  });

  test.each([
    ['too long', 'x'.repeat(65), 'must be at most 64 characters'],
    ['empty', '', 'must not be empty'],
    ['not a string', 42, 'must be a string'],
  ])('%s → 400', async (_name, externalRef, message) => {
    const sandbox = await sandboxWith({});
    const outcome = await send(sandbox, 'POST', '/invoices', { ...INVOICE, externalRef });
    expect(outcome).toMatchObject({ status: 400 });
    expect(JSON.parse((outcome as { text: string }).text).errors).toEqual([{ field: 'externalRef', message }]);
  });
});

describe('rate limit', () => {
  test('rateLimit: false means no 429 and no X-RateLimit headers', async () => {
    const sandbox = await sandboxWith({ rateLimit: false });
    for (let call = 0; call < 70; call++) {
      const outcome = await send(sandbox, 'GET', '/products/5001');
      expect(outcome).toMatchObject({ status: 200 });
      if (outcome.kind === 'response') expect(outcome.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });

  test('a large rateLimitPerMinute is accepted and announced', async () => {
    const sandbox = await sandboxWith({ rateLimitPerMinute: 1_000_000 });
    expect(await send(sandbox, 'GET', '/products/5001')).toMatchObject({ status: 200, headers: { 'x-ratelimit-limit': '1000000' } });
  });
});

describe('defaults unchanged', () => {
  /** Creates, lists and a detail: the calls whose handling this change touched. */
  async function transcript(options: SandboxOptions): Promise<unknown[]> {
    const sandbox = await startSandbox({ clock: FIXED_CLOCK, ...options });
    running.push(sandbox);
    const calls: Array<[string, string, unknown?, Record<string, string>?]> = [
      ['GET', '/invoices?pageSize=5&page=2'],
      ['POST', '/invoices', INVOICE],
      ['POST', '/orders', ORDER, { 'Idempotency-Key': 'k-1' }],
      ['POST', '/orders', ORDER, { 'Idempotency-Key': 'k-1' }],
      ['POST', '/invoices', INVOICE, { 'Idempotency-Key': 'k-2' }],
      ['GET', '/invoices?pageSize=3&page=28'],
      ['GET', '/orders/70041'],
      ['GET', '/customers?pageSize=2'],
    ];
    const seen: unknown[] = [];
    for (const [method, path, body, headers] of calls) {
      const outcome = await send(sandbox, method, path, body, headers);
      if (outcome.kind !== 'response') throw new Error(`${method} ${path}: ${outcome.kind}`);
      const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...headersSeen } = outcome.headers;
      // The port differs between runs; nothing else may.
      seen.push(JSON.parse(JSON.stringify({ status: outcome.status, headers: headersSeen, text: outcome.text }).replaceAll(sandbox.url, 'SANDBOX')));
    }
    return seen;
  }

  test('the new options at their defaults answer exactly as without them', async () => {
    const without = await transcript({});
    const explicit = await transcript({ rateLimit: true, deliveryFaults: { rate: 0 } });
    expect(explicit).toEqual(without);
    expect(JSON.stringify(without)).not.toContain('externalRef');
  });

  test('deliveryFaults leaves the existing fault schedule and reads alone', async () => {
    const reads = async (options: SandboxOptions): Promise<number[]> => {
      const sandbox = await startSandbox({ faults: true, rateLimit: false, clock: FIXED_CLOCK, ...options });
      running.push(sandbox);
      const statuses: number[] = [];
      for (let call = 0; call < 60; call++) {
        const outcome = await send(sandbox, 'GET', '/customers?pageSize=1');
        statuses.push(outcome.kind === 'response' ? outcome.status : 0);
      }
      return statuses;
    };
    const plain = await reads({});
    expect(plain).toContain(503);
    expect(await reads({ deliveryFaults: { rate: 0.5 } })).toEqual(plain);
  });
});
