import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { isAbsolute } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../src/errors.js';
import { INVALID_EMAIL_POSITION, MISSING_ADDRESS_POSITIONS, NORDLYS_POSITIONS } from '../src/sandbox/data/customers.js';
import { TRUNCATED_INVOICE_POSITION } from '../src/sandbox/data/invoices.js';
import { LONG_NAME_POSITION } from '../src/sandbox/data/products.js';
import { FAULT_RATES, planFault } from '../src/sandbox/faults.js';
import { ACME_SPEC_PATH, startSandbox, type RunningSandbox, type SandboxOptions } from '../src/sandbox/index.js';

type Json = Record<string, any>;

/** A sandbox on an ephemeral port whose clock the test moves. */
async function sandboxWithClock(options: SandboxOptions = {}): Promise<{ sandbox: RunningSandbox; clock: { now: number } }> {
  const clock = { now: Date.parse('2025-05-01T12:00:00Z') };
  const sandbox = await startSandbox({ faults: false, ...options, clock: () => clock.now });
  return { sandbox, clock };
}

function call(sandbox: RunningSandbox, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization') && !headers.has('x-api-key')) headers.set('X-Api-Key', sandbox.credentials.apiKey);
  if (init.body !== undefined && !headers.has('content-type')) headers.set('Content-Type', 'application/json');
  return fetch(`${sandbox.url}${path}`, { ...init, headers });
}

async function callJson(sandbox: RunningSandbox, path: string, init: RequestInit = {}): Promise<{ res: Response; body: any }> {
  const res = await call(sandbox, path, init);
  return { res, body: await res.json() };
}

function post(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', body: JSON.stringify(body), headers };
}

function parseLinks(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]+)>;\s*rel="([^"]+)"/.exec(part);
    if (match?.[1] !== undefined && match[2] !== undefined) links[match[2]] = match[1];
  }
  return links;
}

/** Follows rel="next" from the first page; returns every item and the bodies seen. */
async function traverse(sandbox: RunningSandbox, path: string): Promise<{ items: Json[]; pages: Json[] }> {
  const items: Json[] = [];
  const pages: Json[] = [];
  let url: string | undefined = `${sandbox.url}/api/v1${path}`;
  while (url !== undefined) {
    const res: Response = await fetch(url, { headers: { 'X-Api-Key': sandbox.credentials.apiKey } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    pages.push(body);
    items.push(...(body['data'] as Json[]));
    url = parseLinks(res.headers.get('link'))['next'];
  }
  return { items, pages };
}

async function token(sandbox: RunningSandbox, form: Record<string, string>, basic?: [string, string]): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (basic) headers['Authorization'] = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`;
  return fetch(`${sandbox.url}/oauth/token`, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
}

const spec = parseYaml(readFileSync(ACME_SPEC_PATH, 'utf8')) as Json;

describe('the Acme ERP document', () => {
  test('is valid OpenAPI 3.0.3 and resolves from the package root', async () => {
    expect(isAbsolute(ACME_SPEC_PATH)).toBe(true);
    expect(spec['openapi']).toBe('3.0.3');
    await expect(SwaggerParser.validate(ACME_SPEC_PATH)).resolves.toBeDefined();
  });

  test('documents the intended contract', () => {
    const operationIds = Object.values(spec['paths'] as Json).flatMap((item: Json) =>
      ['get', 'post', 'delete'].filter((m) => item[m]).map((m) => item[m].operationId as string),
    );
    expect(operationIds.sort()).toEqual(
      ['createCustomer', 'createInvoice', 'createOrder', 'createProduct', 'deleteProduct', 'getCustomer', 'getInvoice', 'getOrder', 'getProduct',
        'listCustomers', 'listInvoices', 'listOrders', 'listProductCategories', 'listProducts', 'requestAccessToken'].sort(),
    );
    expect(spec['info'].description).toContain('100 requests per minute');
    expect(spec['components'].parameters.PageSize.schema.maximum).toBe(100);
    expect(spec['components'].schemas.Category.properties.children.items.$ref).toBe('#/components/schemas/Category');
    expect(spec['components'].schemas.InvoiceLine.discriminator.propertyName).toBe('lineType');
    expect(spec['components'].securitySchemes.oauth2.flows.clientCredentials.tokenUrl).toMatch(/\/oauth\/token$/);
    expect(spec['paths']['/invoices'].post.parameters[0].$ref).toBe('#/components/parameters/IdempotencyKey');
  });
});

describe('options', () => {
  test.each([[{ release: 3 }], [{ port: -1 }], [{ seed: 1.5 }], [{ latencyMs: -5 }], [{ faults: 'yes' }]])('rejects %j', async (options) => {
    const error = await startSandbox(options as SandboxOptions).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('RECON_SANDBOX_OPTION');
  });
});

describe('sandbox (release 1, seed 42)', () => {
  let sandbox: RunningSandbox;
  let clock: { now: number };
  beforeAll(async () => ({ sandbox, clock } = await sandboxWithClock()));
  afterAll(() => sandbox.close());
  // A fresh rate-limit window for every test.
  beforeEach(() => {
    clock.now += 61_000;
  });

  describe('auth', () => {
    test('client_secret_basic and client_secret_post both issue working tokens', async () => {
      const { clientId, clientSecret } = sandbox.credentials;
      for (const res of [await token(sandbox, { grant_type: 'client_credentials' }, [clientId, clientSecret]),
        await token(sandbox, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret })]) {
        expect(res.status).toBe(200);
        const body = (await res.json()) as Json;
        expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'erp.read erp.write' });
        const api = await call(sandbox, '/api/v1/customers', { headers: { Authorization: `Bearer ${body['access_token']}` } });
        expect(api.status).toBe(200);
      }
    });

    test('wrong credentials get 401 invalid_client', async () => {
      const basic = await token(sandbox, { grant_type: 'client_credentials' }, ['acme-demo', 'wrong']);
      expect(basic.status).toBe(401);
      expect(await basic.json()).toMatchObject({ error: 'invalid_client' });
      const posted = await token(sandbox, { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' });
      expect(posted.status).toBe(401);
      expect(await posted.json()).toMatchObject({ error: 'invalid_client' });
      const both = await token(sandbox, { grant_type: 'client_credentials', client_id: 'acme-demo', client_secret: 'acme-demo-secret' }, ['acme-demo', 'acme-demo-secret']);
      expect(both.status).toBe(400);
      expect((await token(sandbox, { grant_type: 'password' }, ['acme-demo', 'acme-demo-secret'])).status).toBe(400);
    });

    test('API key, missing auth, wrong key, expired token', async () => {
      expect((await call(sandbox, '/api/v1/products')).status).toBe(200);
      const missing = await fetch(`${sandbox.url}/api/v1/products`);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('content-type')).toBe('application/problem+json');
      expect(missing.headers.get('www-authenticate')).toContain('Bearer');
      expect((await missing.json()) as Json).toMatchObject({ status: 401, title: 'Unauthorized' });
      expect((await call(sandbox, '/api/v1/products', { headers: { 'X-Api-Key': 'nope' } })).status).toBe(401);
      const issued = (await (await token(sandbox, { grant_type: 'client_credentials' }, ['acme-demo', 'acme-demo-secret'])).json()) as Json;
      clock.now += 3_601_000;
      const expired = await call(sandbox, '/api/v1/products', { headers: { Authorization: `Bearer ${issued['access_token']}` } });
      expect(expired.status).toBe(401);
      expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
    });

    test('a read-only token cannot create (403)', async () => {
      const issued = (await (await token(sandbox, { grant_type: 'client_credentials', scope: 'erp.read' }, ['acme-demo', 'acme-demo-secret'])).json()) as Json;
      const res = await call(sandbox, '/api/v1/customers', { ...post({}), headers: { Authorization: `Bearer ${issued['access_token']}`, 'Content-Type': 'application/json' } });
      expect(res.status).toBe(403);
    });

    test('the token endpoint is not rate-limited', async () => {
      const statuses = await Promise.all(Array.from({ length: 70 }, () => token(sandbox, { grant_type: 'client_credentials' }, ['acme-demo', 'acme-demo-secret']).then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([200]));
    });
  });

  describe('resources', () => {
    test.each([
      ['customers', 50, { name: 'Havbris Fisk AS', organizationNumber: '987654325', email: 'post@havbrisfisk.no', phone: '77001122' }],
      ['products', 30, { sku: 'TIL-2001', name: 'Skjermarm dobbel', price: 1290, categoryId: 212 }],
      ['invoices', 80, { customerId: 10001, dueDate: '2025-06-30', lines: [{ lineType: 'product', productId: 5001, quantity: 2 }, { lineType: 'text', text: 'Ref. 12' }] }],
      ['orders', 40, { customerId: 10002, items: [{ productId: 5003, quantity: 3 }] }],
    ])('%s: list, detail, create', async (resource, count, input) => {
      const list = await callJson(sandbox, `/api/v1/${resource}?pageSize=100`);
      expect(list.res.status).toBe(200);
      expect(list.body.data).toHaveLength(count);
      const first = list.body.data[0] as Json;
      const detail = await call(sandbox, `/api/v1/${resource}/${first['id']}`);
      expect(detail.status).toBe(200);
      expect(await detail.json()).toEqual(first);
      const created = await callJson(sandbox, `/api/v1/${resource}`, post(input));
      expect(created.res.status).toBe(201);
      expect(created.res.headers.get('location')).toBe(`${sandbox.url}/api/v1/${resource}/${created.body.id}`);
      const fetched = await callJson(sandbox, `/api/v1/${resource}/${created.body.id}`);
      expect(fetched.body).toEqual(created.body);
      expect((await call(sandbox, `/api/v1/${resource}/999999`)).status).toBe(resource === 'invoices' ? 400 : 404);
      expect((await callJson(sandbox, `/api/v1/${resource}`, post({}))).res.status).toBe(400);
    });

    test('validation errors name the fields', async () => {
      const { res, body } = await callJson(sandbox, '/api/v1/customers', post({ name: 'X', organizationNumber: '12', email: 'no' }));
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(body.errors.map((e: Json) => e['field'])).toEqual(['organizationNumber', 'email']);
    });

    test.each(['customers', 'products', 'invoices', 'orders'])('%s: the Link header traverses every page', async (resource) => {
      const { items, pages } = await traverse(sandbox, `/${resource}?pageSize=7`);
      const all = await callJson(sandbox, `/api/v1/${resource}?pageSize=100`);
      expect(items.map((i) => i['id'])).toEqual(all.body.data.map((i: Json) => i['id']));
      expect(new Set(items.map((i) => i['id'])).size).toBe(items.length);
      expect(pages.every((p) => p['pageSize'] === 7)).toBe(true);
    });

    test('Link carries first/prev/next/last', async () => {
      const res = await call(sandbox, '/api/v1/products?page=2&pageSize=10');
      const links = parseLinks(res.headers.get('link'));
      expect(Object.keys(links).sort()).toEqual(['first', 'last', 'next', 'prev']);
      const count = ((await callJson(sandbox, '/api/v1/products?pageSize=100')).body.data as Json[]).length;
      expect(links['last']).toBe(`${sandbox.url}/api/v1/products?page=${Math.ceil(count / 10)}&pageSize=10`);
      expect(links['next']).toBe(`${sandbox.url}/api/v1/products?page=3&pageSize=10`);
      expect((await call(sandbox, '/api/v1/products?page=0')).status).toBe(400);
    });
  });

  describe('rate limit', () => {
    test('60 per minute, then 429 text/plain with Retry-After, reset after the window', async () => {
      for (let i = 1; i <= 60; i++) {
        const res = await call(sandbox, '/api/v1/products/5001');
        expect(res.status).toBe(200);
        expect(res.headers.get('x-ratelimit-limit')).toBe('60');
        expect(res.headers.get('x-ratelimit-remaining')).toBe(String(60 - i));
        await res.arrayBuffer();
      }
      clock.now += 20_000;
      const limited = await call(sandbox, '/api/v1/products/5001');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toBe('text/plain');
      expect(await limited.text()).toBe('Too Many Requests');
      expect(limited.headers.get('retry-after')).toBe('40');
      expect(limited.headers.get('x-ratelimit-reset')).toBe('40');
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      // Another client has its own window.
      const issued = (await (await token(sandbox, { grant_type: 'client_credentials' }, ['acme-demo', 'acme-demo-secret'])).json()) as Json;
      expect((await call(sandbox, '/api/v1/products/5001', { headers: { Authorization: `Bearer ${issued['access_token']}` } })).status).toBe(200);
      clock.now += 40_000;
      const after = await call(sandbox, '/api/v1/products/5001');
      expect(after.status).toBe(200);
      expect(after.headers.get('x-ratelimit-remaining')).toBe('59');
    });
  });

  describe('idempotency', () => {
    test('honoured on POST /orders', async () => {
      const before = (await callJson(sandbox, '/api/v1/orders?pageSize=100')).body.data.length as number;
      const input = { customerId: 10005, items: [{ productId: 5002, quantity: 1 }] };
      const first = await callJson(sandbox, '/api/v1/orders', post(input, { 'Idempotency-Key': 'order-key-1' }));
      const second = await callJson(sandbox, '/api/v1/orders', post(input, { 'Idempotency-Key': 'order-key-1' }));
      expect(first.res.status).toBe(201);
      expect(second.res.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect((await callJson(sandbox, '/api/v1/orders?pageSize=100')).body.data).toHaveLength(before + 1);
      const reused = await call(sandbox, '/api/v1/orders', post({ ...input, customerId: 10006 }, { 'Idempotency-Key': 'order-key-1' }));
      expect(reused.status).toBe(422);
    });

    test('ignored on POST /invoices, although documented', async () => {
      const before = (await callJson(sandbox, '/api/v1/invoices?pageSize=100')).body.data.length as number;
      const input = { customerId: 10005, dueDate: '2025-07-01', lines: [{ lineType: 'product', productId: 5002, quantity: 1 }] };
      const first = await callJson(sandbox, '/api/v1/invoices', post(input, { 'Idempotency-Key': 'invoice-key-1' }));
      const second = await callJson(sandbox, '/api/v1/invoices', post(input, { 'Idempotency-Key': 'invoice-key-1' }));
      expect(first.res.status).toBe(201);
      expect(second.res.status).toBe(201);
      expect(second.body.id).not.toBe(first.body.id);
      expect((await callJson(sandbox, '/api/v1/invoices?pageSize=100')).body.data).toHaveLength(before + 2);
    });
  });

  describe('deviations from the document', () => {
    const schemas = spec['components'].schemas as Json;

    test('undocumented-operation: internal health and customer contacts', async () => {
      expect(spec['paths']['/internal/health']).toBeUndefined();
      expect(spec['paths']['/customers/{customerId}/contacts']).toBeUndefined();
      expect((await callJson(sandbox, '/api/v1/internal/health')).body.status).toBe('ok');
      const contacts = await callJson(sandbox, '/api/v1/customers/10001/contacts');
      expect(contacts.res.status).toBe(200);
      expect(contacts.body.data.length).toBeGreaterThan(0);
    });

    test('undocumented-status: 409 on a duplicate SKU', async () => {
      expect(Object.keys(spec['paths']['/products'].post.responses)).not.toContain('409');
      const existing = (await callJson(sandbox, '/api/v1/products/5001')).body;
      const res = await call(sandbox, '/api/v1/products', post({ sku: existing.sku, name: 'Kopi', price: 1 }));
      expect(res.status).toBe(409);
    });

    test('undocumented-content-type: category tree media type, CSV export, 429 text/plain', async () => {
      expect(Object.keys(spec['paths']['/products/categories'].get.responses['200'].content)).toEqual(['application/json']);
      const categories = await call(sandbox, '/api/v1/products/categories');
      expect(categories.headers.get('content-type')).toBe('application/vnd.acme.v1+json');
      expect(((await categories.json()) as Json)['data'][1].children[0].children).toHaveLength(2);
      const csv = await call(sandbox, '/api/v1/customers?pageSize=3', { headers: { 'X-Api-Key': sandbox.credentials.apiKey, Accept: 'text/csv' } });
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect((await csv.text()).split('\r\n')[0]).toBe('id,name,organizationNumber,email,phone,city');
    });

    test('invalid-body: one invoice detail is truncated JSON', async () => {
      const invoices = (await callJson(sandbox, '/api/v1/invoices?pageSize=100')).body.data as Json[];
      const broken = invoices[TRUNCATED_INVOICE_POSITION]!;
      const res = await call(sandbox, `/api/v1/invoices/${broken['id']}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      const text = await res.text();
      expect(() => JSON.parse(text)).toThrow();
      const healthy = await call(sandbox, `/api/v1/invoices/${invoices[0]!['id']}`);
      expect(await healthy.json()).toEqual(invoices[0]);
    });

    test('missing-required: customers without address, orders list without total', async () => {
      expect(schemas['Customer'].allOf[1].required).toContain('address');
      const customers = (await callJson(sandbox, '/api/v1/customers?pageSize=100')).body.data as Json[];
      const withoutAddress = customers.slice(0, 50).flatMap((c, i) => ('address' in c ? [] : [i]));
      expect(withoutAddress).toEqual([...MISSING_ADDRESS_POSITIONS]);
      const orders = (await callJson(sandbox, '/api/v1/orders')).body;
      expect(schemas['PageMeta'].required).toContain('total');
      expect(orders).not.toHaveProperty('total');
    });

    test('wrong total on invoices: Link is the truth', async () => {
      const { items, pages } = await traverse(sandbox, '/invoices');
      expect(items.length).toBeGreaterThan(pages[0]!['total'] as number);
      expect(pages[0]!['total']).toBe(items.filter((i) => i['status'] !== 'credited').length);
    });

    test('record-level deviations: property, type, null, enum, format, constraint', async () => {
      const products = (await callJson(sandbox, '/api/v1/products?pageSize=100')).body.data as Json[];
      const invoices = (await callJson(sandbox, '/api/v1/invoices?pageSize=100')).body.data as Json[];
      const orders = (await callJson(sandbox, '/api/v1/orders?pageSize=100')).body.data as Json[];
      const customers = (await callJson(sandbox, '/api/v1/customers?pageSize=100')).body.data as Json[];
      // undocumented-property
      expect(schemas['Product'].allOf[1].properties.warehouseCode ?? schemas['ProductInput'].properties.warehouseCode).toBeUndefined();
      expect(products.every((p) => typeof p['warehouseCode'] === 'string')).toBe(true);
      // type-mismatch
      expect(invoices.some((i) => typeof i['amount'] === 'string' && /^\d+\.\d{2}$/.test(i['amount']))).toBe(true);
      expect(invoices.some((i) => typeof i['amount'] === 'number')).toBe(true);
      // unexpected-null
      expect(schemas['ProductInput'].properties.description.nullable).toBeUndefined();
      expect(products.filter((p) => p['description'] === null).length).toBeGreaterThan(0);
      // enum-mismatch
      expect(schemas['InvoiceStatus'].enum).not.toContain('credited');
      expect(invoices.some((i) => i['status'] === 'credited')).toBe(true);
      // format-mismatch (and mixed-formats): dd.MM.yyyy next to ISO dates; an email that is no email
      expect(invoices.some((i) => /^\d{2}\.\d{2}\.\d{4}$/.test(i['dueDate']))).toBe(true);
      expect(invoices.some((i) => /^\d{4}-\d{2}-\d{2}$/.test(i['dueDate']))).toBe(true);
      expect(customers[INVALID_EMAIL_POSITION]!['email']).toMatch(/@.*;.*@/);
      // constraint-violation
      expect(products[LONG_NAME_POSITION]!['name'].length).toBeGreaterThan(schemas['ProductInput'].properties.name.maxLength);
      expect(orders.some((o) => (o['items'] as Json[]).some((item) => item['quantity'] < 1))).toBe(true);
      // non-unique-key: ten subsidiaries, one organisation number
      const nordlys = NORDLYS_POSITIONS.map((p) => customers[p]!);
      expect(new Set(nordlys.map((c) => c['organizationNumber'])).size).toBe(1);
      expect(new Set(nordlys.map((c) => c['id'])).size).toBe(10);
      expect(customers.filter((c) => c['organizationNumber'] === nordlys[0]!['organizationNumber'])).toHaveLength(10);
      expect(nordlys.every((c) => String(c['name']).startsWith('Nordlys'))).toBe(true);
    });

    test('undocumented-header and missing-header', async () => {
      const list = await call(sandbox, '/api/v1/orders');
      expect(list.headers.get('x-acme-release')).toBe('2025.05');
      expect(list.headers.get('link')).not.toBeNull();
      expect(list.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(spec['paths']['/orders/{orderId}'].get.responses['200'].headers['X-Request-Id']).toBeDefined();
      const detail = await call(sandbox, '/api/v1/orders/70001');
      expect(detail.status).toBe(200);
      expect(detail.headers.get('x-request-id')).toBeNull();
    });

    test('never-observed: documented DELETE /products/{id} is not implemented', async () => {
      expect(spec['paths']['/products/{productId}'].delete.operationId).toBe('deleteProduct');
      const res = await call(sandbox, '/api/v1/products/5001', { method: 'DELETE' });
      expect(res.status).toBe(404);
      expect((await call(sandbox, '/api/v1/products/5001')).status).toBe(200);
    });

    test('pageSize above 100 is clamped, not rejected', async () => {
      const { res, body } = await callJson(sandbox, '/api/v1/invoices?pageSize=500');
      expect(res.status).toBe(200);
      expect(body.pageSize).toBe(100);
      expect(body.data.length).toBeGreaterThan(80);
    });
  });

  describe('hostile input', () => {
    test.each([
      ['invalid JSON', '{"name": ', 400],
      ['a JSON array', '[1,2]', 400],
      ['an empty body', '', 400],
      ['__proto__ keys', '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}', 400],
    ])('POST with %s gets a JSON 400', async (_name, body, status) => {
      const res = await call(sandbox, '/api/v1/products', { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-Api-Key': sandbox.credentials.apiKey } });
      expect(res.status).toBe(status);
      expect(((await res.json()) as Json)['status']).toBe(status);
      expect(({} as Json)['polluted']).toBeUndefined();
    });

    test('a body over 1 MB gets 413, declared or chunked', async () => {
      const res = await call(sandbox, '/api/v1/orders', { method: 'POST', body: `{"x":"${'a'.repeat(1_100_000)}"}` });
      expect(res.status).toBe(413);
      const chunked = await new Promise<number | undefined>((resolve, reject) => {
        const req = request(`${sandbox.url}/api/v1/orders`, { method: 'POST', headers: { 'X-Api-Key': sandbox.credentials.apiKey } }, (r) => {
          r.resume();
          resolve(r.statusCode);
        });
        req.on('error', reject);
        for (let i = 0; i < 20; i++) req.write('b'.repeat(65_536));
        req.end();
      });
      expect(chunked).toBe(413);
      expect((await call(sandbox, '/api/v1/orders/70001')).status).toBe(200);
    });

    test.each([
      { name: '/api/v1/customers/%00', path: '/api/v1/customers/%00', status: 404 },
      { name: '/api/v1/customers/%E0%A4%A', path: '/api/v1/customers/%E0%A4%A', status: 400 },
      { name: '/api/v1/customers/../../etc/passwd', path: '/api/v1/customers/../../etc/passwd', status: 404 },
      { name: '/api/v1/customers/1e3', path: '/api/v1/customers/1e3', status: 404 },
      { name: '/api/v1/invoices/not-a-uuid', path: '/api/v1/invoices/not-a-uuid', status: 400 },
      { path: `/api/v1${'/x'.repeat(2000)}`, status: 404, name: '/api/v1/x/x/… (2000 segments)' },
      { name: '/api/v1/nothing-here', path: '/api/v1/nothing-here', status: 404 },
      { name: '/api/v1', path: '/api/v1', status: 404 },
      { name: '/', path: '/', status: 404 },
    ])('$name → $status JSON', async ({ path, status }) => {
      const res = await call(sandbox, path);
      expect(res.status).toBe(status);
      expect(((await res.json()) as Json)['status']).toBe(status);
    });

    test('garbage on the socket does not take the server down', async () => {
      const reply = await new Promise<string>((resolve) => {
        const socket = connect(sandbox.port, '127.0.0.1', () => socket.write('\x00\x01GARBAGE /\u00ff HTTP/9\r\n\r\n'));
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', () => resolve(data));
      });
      expect(reply).toMatch(/^HTTP\/1\.1 400/);
      expect((await call(sandbox, '/api/v1/products/5001')).status).toBe(200);
      expect(sandbox.requestCount()).toBeGreaterThan(100);
    });
  });
});

describe('determinism and releases', () => {
  const resources = ['customers', 'products', 'invoices', 'orders'];
  async function snapshot(options: SandboxOptions): Promise<Record<string, string>> {
    const { sandbox } = await sandboxWithClock(options);
    try {
      const bodies: Record<string, string> = {};
      for (const resource of resources) bodies[resource] = await (await call(sandbox, `/api/v1/${resource}?pageSize=100`)).text();
      return bodies;
    } finally {
      await sandbox.close();
    }
  }

  test('same seed, same bodies; another seed, other bodies', async () => {
    const [a, b, c] = await Promise.all([snapshot({ seed: 7 }), snapshot({ seed: 7 }), snapshot({ seed: 8 })]);
    expect(b).toEqual(a);
    for (const resource of resources) expect(c[resource]).not.toBe(a[resource]);
  });

  test('release 2 renames phone, makes price a string, adds an order status', async () => {
    const { sandbox } = await sandboxWithClock({ release: 2 });
    try {
      const customers = (await callJson(sandbox, '/api/v1/customers?pageSize=100')).body.data as Json[];
      expect(customers.every((c) => !('phone' in c) && typeof c['phoneNumber'] === 'string')).toBe(true);
      const products = (await callJson(sandbox, '/api/v1/products?pageSize=100')).body.data as Json[];
      expect(products.every((p) => typeof p['price'] === 'string' && /^\d+\.\d{2}$/.test(p['price']))).toBe(true);
      const orders = await call(sandbox, '/api/v1/orders?pageSize=100');
      expect(orders.headers.get('x-acme-release')).toBe('2025.06');
      const statuses = ((await orders.json()) as Json)['data'].map((o: Json) => o['status']);
      expect(statuses).toContain('backordered');
      expect(spec['components'].schemas.OrderStatus.enum).not.toContain('backordered');
      const created = await callJson(sandbox, '/api/v1/customers', post({ name: 'Ny AS', organizationNumber: '987654325', email: 'a@b.no', phoneNumber: '22334455' }));
      expect(created.body.phoneNumber).toBe('22334455');
    } finally {
      await sandbox.close();
    }
    const release1 = await snapshot({ release: 1 });
    expect(JSON.parse(release1['orders']!).data.map((o: Json) => o['status'])).not.toContain('backordered');
  });
});

describe('faults', () => {
  test('the schedule is a pure function of seed, route and sequence, at about 3 %', () => {
    const draws = Array.from({ length: 20_000 }, (_, n) => planFault(42, 'GET /customers', n, true));
    expect(draws).toEqual(Array.from({ length: 20_000 }, (_, n) => planFault(42, 'GET /customers', n, true)));
    const unavailable = draws.filter((p) => p.kind === 'unavailable').length / draws.length;
    const slow = draws.filter((p) => p.kind === 'slow');
    expect(unavailable).toBeGreaterThan(FAULT_RATES.unavailable * 0.8);
    expect(unavailable).toBeLessThan(FAULT_RATES.unavailable * 1.2);
    expect(slow.length / draws.length).toBeGreaterThan(0.02);
    expect(slow.every((p) => p.kind === 'slow' && p.delayMs >= 300 && p.delayMs <= 800)).toBe(true);
    expect(Array.from({ length: 5000 }, (_, n) => planFault(42, 'GET /customers/{customerId}', n, false)).some((p) => p.kind === 'unavailable')).toBe(false);
    expect(draws.map((p) => p.kind)).not.toEqual(Array.from({ length: 20_000 }, (_, n) => planFault(43, 'GET /customers', n, true).kind));
  });

  test('two sandboxes with the same seed fail on the same calls', async () => {
    // A seed whose first 503 on GET /customers comes early and is not preceded by slow calls.
    const calls = 12;
    const plan = (seed: number) => Array.from({ length: calls }, (_, n) => planFault(seed, 'GET /customers', n, true).kind);
    let seed = 1;
    while (!(plan(seed).includes('unavailable') && !plan(seed).includes('slow'))) seed++;
    const run = async (): Promise<number[]> => {
      const { sandbox } = await sandboxWithClock({ seed, faults: true });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < calls; i++) {
          const res = await call(sandbox, '/api/v1/customers?pageSize=1');
          statuses.push(res.status);
          if (res.status === 503) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
          await res.arrayBuffer();
        }
        return statuses;
      } finally {
        await sandbox.close();
      }
    };
    const [a, b] = await Promise.all([run(), run()]);
    expect(a).toEqual(b);
    expect(a).toEqual(plan(seed).map((kind) => (kind === 'unavailable' ? 503 : 200)));
  });

  test('faults: false never fails', async () => {
    const { sandbox } = await sandboxWithClock({ seed: 1, faults: false });
    try {
      const statuses = await Promise.all(Array.from({ length: 50 }, () => call(sandbox, '/api/v1/orders?pageSize=1').then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([200]));
    } finally {
      await sandbox.close();
    }
  });
});
