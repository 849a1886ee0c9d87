/**
 * The data profile: property profiles and the four profile findings, on exchanges built in the
 * test (Acme-like customers, invoices and contacts), plus hostile bodies and a large recording.
 */
import { describe, expect, it } from 'vitest';
import { DataProfiler, entityFamily, isKeyName, recordPointer, walkJson, type PropertyProfile } from '../src/drift/profile/index.js';
import type { CheckedExchange, Finding } from '../src/drift/types.js';

let entry = 0;

function exchange(method: string, path: string, body: unknown, status = '200', headers: [string, string][] = []): CheckedExchange {
  const ref = { recording: 0, entry: entry++ };
  return {
    exchange: { ref, method, url: `https://acme.test${path}`, status: Number(status), headers, mediaType: 'application/json', body: { kind: 'text', text: '(built in the test)' } },
    operation: { method, path },
    documented: true,
    status,
    mediaType: 'application/json',
    body,
  };
}

const list = (path: string, records: unknown[]) => exchange('GET', path, { data: records, meta: { page: 1, total: records.length } });
const get = (path: string, record: unknown) => exchange('GET', path, record);

function profile(exchanges: CheckedExchange[]): { properties: PropertyProfile[]; findings: Finding[] } {
  const profiler = new DataProfiler();
  for (const x of exchanges) profiler.add(x);
  return profiler.result();
}

function customer(id: number, extra: Record<string, unknown> = {}) {
  return { id, name: `Acme Subsidiary ${id}`, organizationNumber: `9${String(id).padStart(8, '0')}`, ...extra };
}

const kinds = (findings: Finding[], kind: string) => findings.filter((f) => f.kind === kind);

describe('non-unique-key', () => {
  it('names the shared organisation number and counts the records sharing it', () => {
    const shared = Array.from({ length: 10 }, (_, i) => customer(10_000 + i * 5 + 4, { organizationNumber: '987654321' }));
    const others = Array.from({ length: 5 }, (_, i) => customer(20_000 + i));
    const { findings } = profile([list('/customers', [...shared.slice(0, 6), ...others]), list('/customers', shared.slice(6))]);
    const [finding, ...rest] = kinds(findings, 'non-unique-key');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'warning',
      operation: { method: 'GET', path: '/customers' },
      status: '200',
      pointer: '/data/*/organizationNumber',
      observed: { count: 10, total: 15, examples: ['987654321'] },
    });
    expect(finding!.message).toBe('organizationNumber 987654321 is shared by 10 different records (ids 10004, 10009, 10014, …)');
    expect(finding!.exchanges).toEqual([
      { recording: 0, entry: entry - 2 },
      { recording: 0, entry: entry - 1 },
    ]);
  });

  it('does not count one customer seen five times through the list and by id', () => {
    const acme = customer(10_004, { email: 'post@acme.no', customerNumber: 'C-1' });
    const { findings } = profile([
      list('/customers', [acme, customer(10_005)]),
      get('/customers/{id}', acme),
      get('/customers/{id}', acme),
      list('/customers', [acme]),
      get('/customers/{id}', { data: acme }),
    ]);
    expect(kinds(findings, 'non-unique-key')).toEqual([]);
  });

  it('groups a list and get-by-id of the same family: two records, one seen only by id', () => {
    const { findings } = profile([list('/customers', [customer(1, { organizationNumber: '911111111' })]), get('/customers/{id}', customer(2, { organizationNumber: '911111111' }))]);
    expect(kinds(findings, 'non-unique-key').map((f) => f.observed.count)).toEqual([2]);
  });

  it.each([
    ['ids of different entity families colliding', [list('/customers', [customer(7)]), list('/products', [{ id: 7, sku: 'P-7' }])]],
    ['a reference to another record repeating', [list('/orders', [1, 2, 3].map((id) => ({ id, customerId: 10_004, status: 'open' })))]],
    ['objects without an id', [list('/contacts', [{ email: 'a@acme.no' }, { email: 'a@acme.no' }])]],
    ['a measure that is nearly always distinct', [list('/invoices', Array.from({ length: 40 }, (_, i) => ({ id: i + 1, totalAmount: i === 39 ? 100 : 100 + i })))]],
    ['a postal code shared by neighbours', [list('/customers', [customer(1, { postalCode: '0150' }), customer(2, { postalCode: '0150' })])]],
  ])('reports nothing for %s', (_, exchanges) => {
    expect(kinds(profile(exchanges as CheckedExchange[]).findings, 'non-unique-key')).toEqual([]);
  });

  it('treats a property that is 95% distinct as a key even when its name does not say so', () => {
    const records = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, reference: `R${1000 + i}` }));
    records[39]!.reference = 'R1000';
    const [finding] = kinds(profile([list('/vouchers', records)]).findings, 'non-unique-key');
    expect(finding).toMatchObject({ pointer: '/data/*/reference', observed: { count: 2, total: 40 } });
  });

  it('stops tracking key values at its memory budget and says the count is a lower bound', () => {
    // Every tracked property spends from the budget: here `name` and `organizationNumber`, 2 per record.
    const profiler = new DataProfiler({ maxKeyEntriesTotal: 8 });
    profiler.add(list('/customers', [1, 2, 3, 4, 5].map((id) => customer(id, { organizationNumber: '987654321' }))));
    const [finding] = kinds(profiler.result().findings, 'non-unique-key');
    expect(finding!.message).toBe('organizationNumber 987654321 is shared by at least 4 different records (ids 1, 2, 3, …)');
  });

  it.each([
    ['id', false],
    ['organizationNumber', true],
    ['customerNo', true],
    ['orgnr', true],
    ['sku', true],
    ['email', true],
    ['invoiceEmail', true],
    ['code', true],
    ['countryCode', false],
    ['postalCode', false],
    ['phoneNumber', false],
    ['customerId', false],
    ['casino', false],
    ['name', false],
  ])('isKeyName(%s) → %s', (name, want) => {
    expect(isKeyName(name)).toBe(want);
  });

  it.each([
    ['/customers', 'customers'],
    ['/customers/{id}', 'customers'],
    ['/v1/customers/{id}/contacts/{contactId}', 'contacts'],
    ['/', ''],
  ])('entityFamily(%s) → %s', (path, want) => expect(entityFamily(path)).toBe(want));

  it.each([
    ['', ''],
    ['/*', ''],
    ['/data/*', ''],
    ['/data', ''],
    ['/data/*/lines/*', '/lines/*'],
    ['/customer', '/customer'],
  ])('recordPointer(%s) → %s', (holder, want) => expect(recordPointer(holder)).toBe(want));
});

describe('mixed-formats, numeric-string, empty-string-as-null', () => {
  it('lists the phone spellings with their counts', () => {
    const phones = ['+47 22 33 44 55', '+47 22 33 44 56', '22334457', '+4722334458', '22334459', '22334460'];
    const { findings } = profile([list('/customers', phones.map((phone, i) => customer(i + 1, { phone })))]);
    const [finding] = kinds(findings, 'mixed-formats');
    expect(finding).toMatchObject({
      severity: 'info',
      pointer: '/data/*/phone',
      message: '`phone` comes in 3 formats: phone (8 digits) (3), phone (+47 spaced) (2), phone (E.164) (1)',
      observed: { count: 3, total: 6, examples: ['22334457', '+47 22 33 44 55', '+4722334458'], formats: ['phone (8 digits)', 'phone (+47 spaced)', 'phone (E.164)'] },
    });
  });

  it('finds a due date in two formats', () => {
    const { findings } = profile([
      list('/invoices', [{ id: 1, dueDate: '2025-05-01' }, { id: 2, dueDate: '01.05.2025' }, { id: 3, dueDate: '2025-05-03' }]),
    ]);
    expect(kinds(findings, 'mixed-formats').map((f) => [f.pointer, f.observed.formats])).toEqual([['/data/*/dueDate', ['date', 'dd.MM.yyyy']]]);
  });

  it('finds amounts sent as decimal strings, but not identifiers sent as digit strings', () => {
    const invoices = Array.from({ length: 4 }, (_, i) => ({ id: i + 1, amount: `${1234 + i}.50`, invoiceNumber: `${20250000 + i}`, zip: '0150' }));
    const found = kinds(profile([list('/invoices', invoices)]).findings, 'numeric-string');
    expect(found.map((f) => [f.pointer, f.message, f.observed.examples])).toEqual([
      ['/data/*/amount', '`amount` is a number sent as a string in 4 of 4', ['1234.50', '1235.50', '1236.50']],
    ]);
  });

  it('says how often an empty string stands in for null', () => {
    const contacts = Array.from({ length: 80 }, (_, i) => {
      const c: Record<string, unknown> = { id: i + 1 };
      if (i < 12) c['middleName'] = '';
      else if (i < 17) c['middleName'] = null;
      else if (i < 20) return c;
      else c['middleName'] = `M${i}`;
      return c;
    });
    const [finding] = kinds(profile([list('/contacts', contacts)]).findings, 'empty-string-as-null');
    expect(finding).toMatchObject({
      pointer: '/data/*/middleName',
      message: '`middleName`: empty string used as null in 12 of 80 (also null in 5, absent in 3)',
      observed: { count: 12, total: 80, examples: ['', null] },
    });
  });

  it('says nothing about a field that is always the empty string', () => {
    const { findings } = profile([list('/contacts', [{ id: 1, note: '' }, { id: 2, note: '' }])]);
    expect(findings).toEqual([]);
  });
});

describe('property profiles', () => {
  it('counts samples, nulls, absences, distinct values, types, formats and lengths', () => {
    const { properties } = profile([
      list('/customers', [customer(1, { email: 'a@acme.no' }), customer(2, { email: null }), customer(3)]),
      list('/customers', [customer(4, { email: 'a@acme.no' })]),
      exchange('GET', '/customers', undefined),
    ]);
    const email = properties.find((p) => p.pointer === '/data/*/email');
    expect(email).toEqual({
      operation: { method: 'GET', path: '/customers' },
      status: '200',
      contentType: 'application/json',
      pointer: '/data/*/email',
      samples: 2,
      responses: 2,
      values: 3,
      nulls: 1,
      nullRate: 1 / 3,
      absent: 1,
      distinct: 1,
      distinctExact: true,
      types: [
        { name: 'string', count: 2 },
        { name: 'null', count: 1 },
      ],
      formats: [{ name: 'email', count: 2 }],
      numericStrings: 0,
      emptyStrings: 0,
      minLength: 9,
      maxLength: 9,
    });
    expect(properties.find((p) => p.pointer === '/data/*/organizationNumber')).toMatchObject({ numericStrings: 4, distinct: 4, absent: 0 });
  });

  it('cuts long examples to 80 characters and keeps at most three', () => {
    const long = 'x'.repeat(200);
    const { findings } = profile([list('/notes', [{ id: 1, text: long }, { id: 2, text: '' }, { id: 3, text: null }])]);
    const [finding] = kinds(findings, 'empty-string-as-null');
    expect(finding!.observed.examples.length).toBeLessThanOrEqual(3);
    const dated = kinds(
      profile([list('/x', [{ id: 1, d: '2025-05-01' }, { id: 2, d: '01.05.2025' }, { id: 3, d: '+4722334458' }, { id: 4, d: 'a@b.no' }])]).findings,
      'mixed-formats',
    )[0]!;
    expect(dated.observed.examples).toHaveLength(3);
    const email = `${'a'.repeat(60)}@${'b'.repeat(40)}.no`;
    const shared = kinds(profile([list('/people', [{ id: 1, email }, { id: 2, email }])]).findings, 'non-unique-key')[0]!;
    expect((shared.observed.examples[0] as string).length).toBe(80);
    // Examples are redacted by the caller; messages are not, so a personal value stays out of them.
    expect(shared.message).toBe('email (value in the examples) is shared by 2 different records (ids 1, 2)');
  });
});

describe('hostile input', () => {
  it('treats __proto__ and constructor as property names, without touching prototypes', () => {
    const body = JSON.parse('{"data":[{"id":1,"__proto__":{"polluted":true},"constructor":"x"},{"id":2,"__proto__":{"polluted":true},"constructor":"y"}]}');
    const { properties, findings } = profile([exchange('GET', '/things', body)]);
    expect(properties.map((p) => p.pointer)).toEqual(['', '/data', '/data/*', '/data/*/id', '/data/*/__proto__', '/data/*/__proto__/polluted', '/data/*/constructor']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(findings.map((f) => f.kind)).toEqual([]);
  });

  it('stops at 64 levels of nesting without overflowing the stack', () => {
    let deep: unknown = { leaf: 1 };
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const profiler = new DataProfiler();
    profiler.add(exchange('GET', '/deep', deep));
    const result = profiler.result();
    expect(result.cuts.depthCut).toBe(1);
    expect(result.properties).toHaveLength(65);
  });

  it('visits at most 10,000 items of one array and says how many it left', () => {
    const cuts = walkJson(Array.from({ length: 25_000 }, (_, i) => i), () => {});
    expect(cuts).toEqual({ depthCut: 0, itemsCut: 15_000 });
  });

  it('caps pointers per response for bodies keyed by data', () => {
    const body = Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`k${i}`, i]));
    const profiler = new DataProfiler();
    profiler.add(exchange('GET', '/map', body));
    const result = profiler.result();
    expect(result.properties).toHaveLength(2_000);
    expect(result.cuts.pointersCut).toBe(1_001);
  });

  it('profiles 20,000 exchanges in under 2 s, in bounded memory, counting distinct values exactly up to 10,000', () => {
    const exchanges = Array.from({ length: 20_000 }, (_, i) =>
      get('/customers/{id}', { id: i + 1, name: `Customer ${i}`, email: `c${i}@acme.no`, organizationNumber: String(900_000_000 + (i % 15_000)), amount: `${i}.50`, status: i % 3 ? 'active' : 'closed', phone: i % 2 ? '22334455' : '+47 22 33 44 55' }),
    );
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    // CPU time, not wall time: a busy test machine must not fail a speed bound the code meets.
    const started = process.cpuUsage();
    const profiler = new DataProfiler();
    for (const x of exchanges) profiler.add(x);
    const result = profiler.result();
    const cpu = process.cpuUsage(started);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(2_000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
    const email = result.properties.find((p) => p.pointer === '/email')!;
    expect(email).toMatchObject({ values: 20_000, distinct: 10_000, distinctExact: false });
    expect(result.cuts.distinctCapped).toBe(true);
    expect(kinds(result.findings, 'non-unique-key')[0]).toMatchObject({ pointer: '/organizationNumber', observed: { count: 2 } });
    expect(kinds(result.findings, 'numeric-string').map((f) => f.pointer)).toEqual(['/amount']);
    expect(kinds(result.findings, 'mixed-formats').map((f) => f.pointer)).toEqual(['/phone']);
  });
});
