/**
 * Baseline comparison: the shape of a recording, saving and loading it, and the changes between
 * two Acme releases, on exchanges built in the test.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareShapes,
  parseShape,
  readShapeFile,
  serialiseShape,
  ShapeFileError,
  ShapeRecorder,
  writeShapeFile,
  type BaselineChange,
  type RecordingShape,
} from '../src/drift/baseline/index.js';
import type { CheckedExchange } from '../src/drift/types.js';

let entry = 0;

function exchange(method: string, path: string, body: unknown, options: { status?: string; headers?: [string, string][]; mediaType?: string } = {}): CheckedExchange {
  const status = options.status ?? '200';
  const mediaType = options.mediaType ?? 'application/json';
  const headers: [string, string][] = [['content-type', mediaType], ['date', new Date(1_700_000_000_000 + entry * 1000).toUTCString()], ['x-request-id', `req-${entry}`], ...(options.headers ?? [])];
  return {
    exchange: { ref: { recording: 0, entry: entry++ }, method, url: `https://acme.test${path}`, status: Number(status), headers, mediaType, body: { kind: 'text', text: '(built in the test)' } },
    operation: { method, path },
    documented: true,
    status,
    mediaType,
    body,
  };
}

const get = (path: string, body: unknown, options?: Parameters<typeof exchange>[2]) => exchange('GET', path, body, options);

function shapeOf(exchanges: CheckedExchange[]): RecordingShape {
  const recorder = new ShapeRecorder();
  for (const x of exchanges) recorder.add(x);
  return recorder.shape();
}

/** Acme ERP as two releases show it. */
function acme(release: 1 | 2): CheckedExchange[] {
  const headers: [string, string][] = [['x-acme-release', release === 1 ? '2025.05' : '2025.06']];
  const phone = release === 1 ? 'phone' : 'phoneNumber';
  const customer = (id: number) => ({ id, name: `Acme ${id}`, organizationNumber: '987654321', [phone]: '+47 22 33 44 55' });
  const price = (n: number) => (release === 1 ? n : n.toFixed(2));
  const statuses = release === 1 ? ['open', 'shipped', 'cancelled'] : ['open', 'shipped', 'cancelled', 'backordered'];
  const exchanges: CheckedExchange[] = [];
  for (let page = 0; page < 4; page++) {
    exchanges.push(exchange('GET', '/customers', { data: [1, 2, 3].map((i) => customer(page * 3 + i)), meta: { page } }, { headers }));
    exchanges.push(exchange('GET', '/customers/{id}', customer(page + 1), { headers }));
    exchanges.push(exchange('GET', '/products', { data: [199, 249.5].map((p) => ({ id: p, sku: `P-${p}`, price: price(p + page) })) }, { headers }));
    exchanges.push(exchange('GET', '/orders', { data: statuses.map((status, i) => ({ id: page * 10 + i, status, title: `Order ${page}-${i}` })) }, { headers }));
  }
  return exchanges;
}

const brief = (changes: BaselineChange[]) => changes.map((c) => [c.kind, c.severity, c.operation ? `${c.operation.method} ${c.operation.path}` : '', c.status ?? '', c.pointer ?? '']);

describe('compareShapes', () => {
  it('finds what Acme changed between release 1 and release 2', () => {
    const changes = compareShapes(shapeOf(acme(1)), shapeOf(acme(2)));
    expect(brief(changes)).toEqual([
      ['property-removed', 'error', 'GET /customers', '200', '/data/*/phone'],
      ['property-removed', 'error', 'GET /customers/{id}', '200', '/phone'],
      ['type-changed', 'error', 'GET /products', '200', '/data/*/price'],
      ['property-added', 'warning', 'GET /customers', '200', '/data/*/phoneNumber'],
      ['property-added', 'warning', 'GET /customers/{id}', '200', '/phoneNumber'],
      ['enum-value-added', 'warning', 'GET /orders', '200', '/data/*/status'],
      ['header-changed', 'info', '', '', 'header:X-Acme-Release'],
    ]);
    const message = (kind: string, pointer: string) => changes.find((c) => c.kind === kind && c.pointer === pointer)!.message;
    expect(message('type-changed', '/data/*/price')).toBe('`price` was a number in 4 of 4 responses, now a string in 4 of 4');
    expect(message('property-removed', '/phone')).toBe('`phone` was present in 4 of 4 responses, now in none of 4');
    expect(message('enum-value-added', '/data/*/status')).toBe('`status` has a new value: backordered (4) in 4 of 16 values; before: open, shipped, cancelled');
    expect(message('header-changed', 'header:X-Acme-Release')).toBe('X-Acme-Release: 2025.05 → 2025.06 (constant in 16 and 16 responses)');
    expect(changes.find((c) => c.kind === 'type-changed')).toMatchObject({ old: { types: ['number'] }, new: { types: ['string'] } });
  });

  it('finds nothing between two recordings of the same release', () => {
    expect(compareShapes(shapeOf(acme(1)), shapeOf(acme(1)))).toEqual([]);
  });

  it.each<[string, CheckedExchange[], CheckedExchange[], [string, string, string][]]>([
    [
      'a status only the new recording shows',
      [get('/orders', { data: [] }), get('/orders', { data: [] })],
      [get('/orders', { data: [] }), get('/orders', { error: 'slow down' }, { status: '429' })],
      [['status-added', 'warning', '429']],
    ],
    [
      'a status only the old recording shows',
      [get('/orders', { data: [] }), get('/orders', { error: 'x' }, { status: '404' })],
      [get('/orders', { data: [] })],
      [['status-removed', 'error', '404']],
    ],
    ['an operation not exercised again', [get('/orders', { data: [] }), get('/invoices', { data: [] })], [get('/orders', { data: [] })], [['operation-not-observed', 'info', '']]],
    [
      'JSON turning into HTML',
      [get('/orders', { data: [] }), get('/orders', { data: [] })],
      [get('/orders', { data: [] }), get('/orders', undefined, { mediaType: 'text/html' })],
      [['media-type-changed', 'error', '200']],
    ],
    [
      'a value that became null sometimes',
      [get('/orders', { note: 'a' }), get('/orders', { note: 'b' })],
      [get('/orders', { note: 'a' }), get('/orders', { note: null })],
      [['type-changed', 'warning', '200']],
    ],
    ['integers that now have fractions', [get('/p', { price: 1 }), get('/p', { price: 2 })], [get('/p', { price: 1.5 }), get('/p', { price: 2 })], []],
    ['a property seen in under half the old responses', [get('/p', { a: 1, rare: 1 }), get('/p', { a: 1 }), get('/p', { a: 1 })], [get('/p', { a: 1 }), get('/p', { a: 1 })], []],
    ['free text with new values (not an enum)', [get('/o', { data: [{ title: 'a' }, { title: 'b' }] })], [get('/o', { data: [{ title: 'c' }] })], []],
    [
      'a removed object, reported once and not per property',
      [get('/c', { address: { street: 'x', city: 'y' } }), get('/c', { address: { street: 'x', city: 'y' } })],
      [get('/c', {}), get('/c', {})],
      [['property-removed', 'error', '200']],
    ],
    [
      'a header one operation stopped sending',
      [get('/a', {}, { headers: [['location', '/a/1']] }), get('/a', {}, { headers: [['location', '/a/2']] }), get('/b', {}, { headers: [['location', '/b/1']] })],
      [get('/a', {}), get('/a', {}), get('/b', {}, { headers: [['location', '/b/2']] })],
      [['header-removed', 'error', '200']],
    ],
    [
      'a header only one rare operation sent, gone',
      [get('/a', {}), get('/a', {}), get('/a', {}), exchange('POST', '/a', {}, { status: '201', headers: [['location', '/a/1']] })],
      [get('/a', {}), get('/a', {}), get('/a', {}), exchange('POST', '/a', {}, { status: '201' })],
      [['header-removed', 'error', '201']],
    ],
  ])('%s', (_, before, after, want) => {
    expect(compareShapes(shapeOf(before), shapeOf(after)).map((c) => [c.kind, c.severity, c.status ?? ''])).toEqual(want);
  });

  it('reports a header that vanished from every response once, for the recording', () => {
    const withHeader = [get('/a', {}, { headers: [['x-acme-release', '1']] }), get('/b', {}, { headers: [['x-acme-release', '1']] })];
    const changes = compareShapes(shapeOf(withHeader), shapeOf([get('/a', {}), get('/b', {})]));
    expect(brief(changes)).toEqual([['header-removed', 'error', '', '', 'header:X-Acme-Release']]);
  });

  it('keeps neither secrets nor per-response values as constant headers', () => {
    const shape = shapeOf([get('/a', {}, { headers: [['set-cookie', 'sid=s3cr3t'], ['x-api-key', 'k']] }), get('/a', {}, { headers: [['set-cookie', 'sid=s3cr3t'], ['x-api-key', 'k']] })]);
    expect(shape.headers.filter((h) => h.value !== undefined)).toEqual([{ name: 'content-type', present: 2, value: 'application/json' }]);
    expect(serialiseShape(shape)).not.toContain('s3cr3t');
  });
});

describe('ShapeRecorder', () => {
  it('summarises presence, types, enum-like values, media types and headers per operation and status', () => {
    const shape = shapeOf([
      get('/orders', { data: [{ id: 1, status: 'open', due: '2025-05-01' }, { id: 2, status: 'open' }] }, { headers: [['x-acme-release', '2025.05']] }),
      get('/orders', { data: [{ id: 3, status: 'shipped', due: null }, { id: 4, status: 'shipped' }] }, { headers: [['x-acme-release', '2025.05']] }),
    ]);
    const [status] = shape.operations[0]!.statuses;
    expect(status).toMatchObject({ status: '200', samples: 2, bodies: 2, mediaTypes: [{ value: 'application/json', count: 2 }] });
    expect(status!.properties.find((p) => p.pointer === '/data/*/status')).toEqual({
      pointer: '/data/*/status',
      present: 2,
      types: [{ type: 'string', count: 2 }],
      values: [
        { value: 'open', count: 2 },
        { value: 'shipped', count: 2 },
      ],
    });
    // Dates are a format, not an enum: their values are not kept.
    expect(status!.properties.find((p) => p.pointer === '/data/*/due')).toEqual({ pointer: '/data/*/due', present: 2, types: [{ type: 'string', count: 1 }, { type: 'null', count: 1 }] });
    expect(shape.headers.find((h) => h.name === 'x-acme-release')).toEqual({ name: 'x-acme-release', present: 2, value: '2025.05' });
    expect(shape.headers.find((h) => h.name === 'date')).toEqual({ name: 'date', present: 2 });
  });

  it('saves values only when they repeat, so a few names or notes never reach the file', () => {
    const shape = shapeOf([get('/o', { data: [{ contact: 'Kari Nordmann', kind: 'a' }, { contact: 'Per Hansen', kind: 'a' }] })]);
    const values = shape.operations[0]!.statuses[0]!.properties.map((p) => [p.pointer, p.values?.map((v) => v.value)]);
    expect(values).toEqual([
      ['', undefined],
      ['/data', undefined],
      ['/data/*', undefined],
      ['/data/*/contact', undefined],
      ['/data/*/kind', ['a']],
    ]);
    expect(serialiseShape(shape)).not.toContain('Nordmann');
  });

  it('stops keeping values past 20 distinct ones', () => {
    const shape = shapeOf([get('/o', { data: Array.from({ length: 60 }, (_, i) => ({ kind: `k${i % 25}` })) })]);
    const kind = shape.operations[0]!.statuses[0]!.properties.find((p) => p.pointer === '/data/*/kind')!;
    expect(kind.values).toHaveLength(20);
    expect(kind.valuesOverflow).toBe(true);
  });

  it('treats __proto__ and constructor as property names, in the shape and in its file', () => {
    const hostile = JSON.parse('{"data":[{"__proto__":{"polluted":"yes"},"constructor":"x"}]}');
    const before = shapeOf([get('/h', { data: [{}] })]);
    const after = parseShape(serialiseShape(shapeOf([get('/h', hostile)])));
    expect(after.operations[0]!.statuses[0]!.properties.map((p) => p.pointer)).toEqual(['', '/data', '/data/*', '/data/*/__proto__', '/data/*/__proto__/polluted', '/data/*/constructor']);
    expect(brief(compareShapes(before, after))).toEqual([
      ['property-added', 'warning', 'GET /h', '200', '/data/*/__proto__'],
      ['property-added', 'warning', 'GET /h', '200', '/data/*/constructor'],
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('summarises 20,000 exchanges in under 2 s of CPU, in bounded memory', () => {
    const exchanges = Array.from({ length: 20_000 }, (_, i) =>
      get(i % 2 ? '/customers' : '/customers/{id}', i % 2 ? { data: [{ id: i, email: `c${i}@acme.no`, status: i % 3 ? 'active' : 'closed', [`k${i}`]: i }] } : { id: i, price: i / 2 }),
    );
    const started = process.cpuUsage();
    const shape = shapeOf(exchanges);
    const cpu = process.cpuUsage(started);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(2_000);
    const list = shape.operations.find((op) => op.operation.path === '/customers')!.statuses[0]!;
    expect(list.properties).toHaveLength(2_000);
    expect(list.pointersCut).toBeGreaterThan(0);
    // 2,000 pointers of some 250 bytes each, however many exchanges there were.
    expect(serialiseShape(shape).length).toBeLessThan(1_000_000);
  });
});

describe('shape files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recon-baseline-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips through a file', async () => {
    const shape = shapeOf(acme(1));
    await writeShapeFile(join(dir, 'release-1.shape.json'), shape);
    expect(await readShapeFile(join(dir, 'release-1.shape.json'))).toEqual(shape);
  });

  it.each([
    ['not JSON', '{', 'baseline.json: not JSON'],
    ['another document', '{"log":{"entries":[]}}', 'baseline.json: /format is not "recon-recording-shape"'],
    ['a newer version', '{"format":"recon-recording-shape","version":2}', 'baseline.json: /version is 2; this recon reads version 1'],
    ['a bad count', '{"format":"recon-recording-shape","version":1,"exchanges":-1,"operations":[],"headers":[]}', 'baseline.json: /exchanges is not a count'],
    [
      'a bad type deep inside',
      '{"format":"recon-recording-shape","version":1,"exchanges":1,"headers":[],"operations":[{"operation":{"method":"GET","path":"/a"},"samples":1,"statuses":[{"status":"200","samples":1,"bodies":1,"mediaTypes":[],"headers":[],"properties":[{"pointer":"","present":1,"types":[{"type":"date","count":1}]}]}]}]}',
      'baseline.json: /operations/0/statuses/0/properties/0/types/0/type is not a JSON type: date',
    ],
  ])('rejects %s, naming the file and the field', async (_, text, message) => {
    await writeFile(join(dir, 'baseline.json'), text);
    const error = await readShapeFile(join(dir, 'baseline.json')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShapeFileError);
    expect((error as ShapeFileError).code).toBe('RECON_BASELINE_INVALID');
    expect((error as ShapeFileError).exitCode).toBe(2);
    expect((error as Error).message).toContain(message.replace('baseline.json', join(dir, 'baseline.json')));
  });

  it('says when the file cannot be read', async () => {
    await expect(readShapeFile(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'RECON_BASELINE_UNREADABLE' });
  });
});
