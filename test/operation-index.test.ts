import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OperationIndex, type IndexedOperation, type PathMatch } from '../src/spec/operation-index.js';
import type { HttpMethod, ServerModel } from '../src/spec/types.js';

interface Fixture {
  servers: string[];
  operations: [HttpMethod, string, string][];
}

const tripletex = JSON.parse(
  readFileSync(new URL('../fixtures/tripletex-operations.json', import.meta.url), 'utf8'),
) as Fixture;
const tripletexOps: IndexedOperation[] = tripletex.operations.map(([method, path, operationId]) => ({ method, path, operationId }));
const tripletexIndex = new OperationIndex(tripletexOps, tripletex.servers.map((url) => server(url, '/v2')));

function server(url: string, basePath: string): ServerModel {
  return { url, basePath };
}

function ops(...lines: string[]): IndexedOperation[] {
  return lines.map((line) => {
    const [method, path] = line.split(' ') as [HttpMethod, string];
    return { method, path, operationId: line };
  });
}

const demoOps = ops(
  'get /customer',
  'post /customer',
  'get /customer/list',
  'get /customer/{id}',
  'put /customer/{id}',
  'delete /customer/{id}',
  'get /customer/{id}/orders',
  'get /files/{name}',
  'get /files/{name}.{ext}',
  'get /files/{name}.json',
  'get /report/{year}-{month}',
  'get /report/{year}-{month}-{day}',
  'get /shape/{kind}/edit',
  'get /shape/circle/{action}',
  'get /items/',
  'get /items/{itemId}',
  'get /',
  'get /{tenant}/settings',
);

const indexes = {
  demo: new OperationIndex(demoOps, [
    server('https://api.example.no/v2', '/v2'),
    server('https://sandbox.example.no/v2', '/v2'),
  ]),
  tripletex: tripletexIndex,
  servers: new OperationIndex(demoOps, [
    server('https://x.example.no/api', '/api'),
    server('https://x.example.no/api/v1', '/api/v1'),
    server('https://{tenant}.example.com/{basePath}', '/{basePath}'),
  ]),
  noServers: new OperationIndex(demoOps, []),
};

interface Given {
  index: keyof typeof indexes;
  method: string;
  url: string;
}

/** The result in a few comparable fields; a case lists only the fields it cares about. */
interface Summary {
  kind: PathMatch<IndexedOperation>['kind'];
  operationId?: string | undefined;
  path?: string;
  documentedMethods?: HttpMethod[];
  params?: Record<string, string>;
  server?: string | undefined;
  relativePath?: string;
}

function summarise(result: PathMatch<IndexedOperation>): Summary {
  switch (result.kind) {
    case 'matched': {
      const { operation, pathParams, server, relativePath } = result.match;
      return { kind: result.kind, operationId: operation.operationId, params: { ...pathParams }, server: server?.url, relativePath };
    }
    case 'method-not-documented':
      return { kind: result.kind, path: result.path, documentedMethods: result.documentedMethods, params: { ...result.pathParams }, server: result.server?.url };
    case 'no-path':
      return { kind: result.kind, relativePath: result.relativePath, server: result.server?.url };
  }
}

function pick(summary: Summary, want: Summary): Summary {
  return Object.fromEntries(Object.keys(want).map((key) => [key, summary[key as keyof Summary]])) as unknown as Summary;
}

const cases: [string, { given: Given; want: Summary }][] = [
  // Servers and base paths
  ['absolute URL, base path stripped, query ignored', {
    given: { index: 'demo', method: 'GET', url: 'https://api.example.no/v2/customer/5?fields=*#top' },
    want: { kind: 'matched', operationId: 'get /customer/{id}', params: { id: '5' }, server: 'https://api.example.no/v2', relativePath: '/customer/5' },
  }],
  ['host picks the server among equal base paths', {
    given: { index: 'demo', method: 'get', url: 'https://SANDBOX.example.no:443/v2/customer' },
    want: { kind: 'matched', operationId: 'get /customer', server: 'https://sandbox.example.no/v2' },
  }],
  ['bare path takes the first server whose base path fits', {
    given: { index: 'demo', method: 'get', url: '/v2/customer/list' },
    want: { kind: 'matched', operationId: 'get /customer/list', server: 'https://api.example.no/v2', relativePath: '/customer/list' },
  }],
  ['no base path fits: the raw path is tried (proxy)', {
    given: { index: 'demo', method: 'get', url: 'http://localhost:8080/customer/7' },
    want: { kind: 'matched', operationId: 'get /customer/{id}', server: undefined, relativePath: '/customer/7' },
  }],
  ['no servers at all', {
    given: { index: 'noServers', method: 'delete', url: '/customer/7' },
    want: { kind: 'matched', operationId: 'delete /customer/{id}', server: undefined },
  }],
  ['a literal base path fits: the raw path is not tried', {
    given: { index: 'demo', method: 'get', url: '/v2/settings' },
    want: { kind: 'no-path', relativePath: '/settings', server: 'https://api.example.no/v2' },
  }],
  ['only a templated base path fits: the raw path is still tried', {
    given: { index: 'servers', method: 'get', url: '/customer/5' },
    want: { kind: 'matched', operationId: 'get /customer/{id}', server: undefined, relativePath: '/customer/5' },
  }],
  ['longest base path wins', {
    given: { index: 'servers', method: 'get', url: 'https://x.example.no/api/v1/customer/5' },
    want: { kind: 'matched', operationId: 'get /customer/{id}', server: 'https://x.example.no/api/v1', relativePath: '/customer/5' },
  }],
  ['shorter base path when the longer does not fit', {
    given: { index: 'servers', method: 'get', url: '/api/customer/5' },
    want: { kind: 'matched', operationId: 'get /customer/{id}', server: 'https://x.example.no/api', relativePath: '/customer/5' },
  }],
  ['templated host and base path: the variable segment is a wildcard', {
    given: { index: 'servers', method: 'get', url: 'https://acme.example.com/v9/customer/5' },
    want: { kind: 'matched', operationId: 'get /customer/{id}', server: 'https://{tenant}.example.com/{basePath}', relativePath: '/customer/5', params: { id: '5' } },
  }],
  ['request at the base path itself is the root', {
    given: { index: 'demo', method: 'get', url: 'https://api.example.no/v2' },
    want: { kind: 'matched', operationId: 'get /', relativePath: '/' },
  }],

  // Specificity
  ['literal beats parameter', {
    given: { index: 'demo', method: 'get', url: '/v2/customer/list' },
    want: { kind: 'matched', operationId: 'get /customer/list', params: {} },
  }],
  ['backtracks to the parameter when the literal branch dead-ends', {
    given: { index: 'demo', method: 'get', url: '/v2/customer/list/orders' },
    want: { kind: 'matched', operationId: 'get /customer/{id}/orders', params: { id: 'list' } },
  }],
  ['left-most differing position decides', {
    given: { index: 'demo', method: 'get', url: '/v2/shape/circle/edit' },
    want: { kind: 'matched', operationId: 'get /shape/circle/{action}', params: { action: 'edit' } },
  }],
  ['partly literal beats two params beats whole param', {
    given: { index: 'demo', method: 'get', url: '/v2/files/report.json' },
    want: { kind: 'matched', operationId: 'get /files/{name}.json', params: { name: 'report' } },
  }],
  ['two params in a segment: the last separator splits', {
    given: { index: 'demo', method: 'get', url: '/v2/files/archive.tar.gz' },
    want: { kind: 'matched', operationId: 'get /files/{name}.{ext}', params: { name: 'archive.tar', ext: 'gz' } },
  }],
  ['no separator: whole-segment param', {
    given: { index: 'demo', method: 'get', url: '/v2/files/README' },
    want: { kind: 'matched', operationId: 'get /files/{name}', params: { name: 'README' } },
  }],
  ['empty part of a multi-param segment falls back to the whole param', {
    given: { index: 'demo', method: 'get', url: '/v2/files/.env' },
    want: { kind: 'matched', operationId: 'get /files/{name}', params: { name: '.env' } },
  }],
  ['more literal characters first: year-month-day', {
    given: { index: 'demo', method: 'get', url: '/v2/report/2024-05-01' },
    want: { kind: 'matched', operationId: 'get /report/{year}-{month}-{day}', params: { year: '2024', month: '05', day: '01' } },
  }],
  ['year-month when there is no third part', {
    given: { index: 'demo', method: 'get', url: '/v2/report/2024-05' },
    want: { kind: 'matched', operationId: 'get /report/{year}-{month}', params: { year: '2024', month: '05' } },
  }],

  // Encoding
  ['param values are percent-decoded', {
    given: { index: 'demo', method: 'get', url: '/v2/customer/a%20b' },
    want: { kind: 'matched', operationId: 'get /customer/{id}', params: { id: 'a b' }, relativePath: '/customer/a%20b' },
  }],
  ['%2F stays inside one param value', {
    given: { index: 'demo', method: 'get', url: '/v2/customer/a%2Fb/orders' },
    want: { kind: 'matched', operationId: 'get /customer/{id}/orders', params: { id: 'a/b' } },
  }],
  ['%2F inside a multi-param segment', {
    given: { index: 'demo', method: 'get', url: '/v2/files/dir%2Fname.txt' },
    want: { kind: 'matched', operationId: 'get /files/{name}.{ext}', params: { name: 'dir/name', ext: 'txt' } },
  }],
  ['encoded separator in a multi-param segment', {
    given: { index: 'demo', method: 'get', url: '/v2/report/2024%2D05' },
    want: { kind: 'matched', operationId: 'get /report/{year}-{month}', params: { year: '2024', month: '05' } },
  }],

  // Trailing slash and case
  ['trailing slash tolerated', {
    given: { index: 'demo', method: 'get', url: '/v2/customer/' },
    want: { kind: 'matched', operationId: 'get /customer', relativePath: '/customer/' },
  }],
  ['trailing slash tolerated after a param', {
    given: { index: 'demo', method: 'get', url: '/v2/customer/5/' },
    want: { kind: 'matched', operationId: 'get /customer/{id}', params: { id: '5' } },
  }],
  ['exact trailing slash preferred', {
    given: { index: 'demo', method: 'get', url: '/v2/items/' },
    want: { kind: 'matched', operationId: 'get /items/' },
  }],
  ['missing trailing slash tolerated', {
    given: { index: 'demo', method: 'get', url: '/v2/items' },
    want: { kind: 'matched', operationId: 'get /items/' },
  }],
  ['paths are case-sensitive', {
    given: { index: 'demo', method: 'get', url: '/v2/Customer/list' },
    want: { kind: 'no-path', relativePath: '/Customer/list', server: 'https://api.example.no/v2' },
  }],

  // Methods
  ['path found, method not documented', {
    given: { index: 'demo', method: 'PATCH', url: '/v2/customer/5' },
    want: { kind: 'method-not-documented', path: '/customer/{id}', documentedMethods: ['get', 'put', 'delete'], params: { id: '5' } },
  }],
  ['unknown method is not documented', {
    given: { index: 'demo', method: 'PROPFIND', url: '/v2/customer' },
    want: { kind: 'method-not-documented', path: '/customer', documentedMethods: ['get', 'post'] },
  }],

  // Tripletex
  ['action segment beats {id} with the same method', {
    given: { index: 'tripletex', method: 'PUT', url: 'https://tripletex.no/v2/order/:invoiceMultipleOrders?sendToCustomer=false' },
    want: { kind: 'matched', operationId: 'OrderInvoiceMultipleOrders_invoiceMultipleOrders', params: {} },
  }],
  ['action segment with ":" encoded as %3A', {
    given: { index: 'tripletex', method: 'put', url: '/v2/order/%3AinvoiceMultipleOrders' },
    want: { kind: 'matched', operationId: 'OrderInvoiceMultipleOrders_invoiceMultipleOrders' },
  }],
  ['action path found first, then the method (OpenAPI path-first rule)', {
    given: { index: 'tripletex', method: 'GET', url: '/v2/order/:invoiceMultipleOrders' },
    want: { kind: 'method-not-documented', path: '/order/:invoiceMultipleOrders', documentedMethods: ['put'] },
  }],
  ['plain id still goes to /order/{id}', {
    given: { index: 'tripletex', method: 'GET', url: '/v2/order/42' },
    want: { kind: 'matched', operationId: 'Order_get', params: { id: '42' } },
  }],
  ['action after an id', {
    given: { index: 'tripletex', method: 'PUT', url: '/v2/ledger/voucher/123/:sendToLedger' },
    want: { kind: 'matched', operationId: 'LedgerVoucherSendToLedger_sendToLedger', params: { id: '123' } },
  }],
  ['">" segment, raw and encoded', {
    given: { index: 'tripletex', method: 'GET', url: '/v2/ledger/voucher/%3EvoucherReception' },
    want: { kind: 'matched', operationId: 'LedgerVoucherVoucherReception_voucherReception' },
  }],
  ['">" segment does not fall into {id}', {
    given: { index: 'tripletex', method: 'GET', url: '/v2/ledger/voucher/>voucherReception' },
    want: { kind: 'matched', operationId: 'LedgerVoucherVoucherReception_voucherReception' },
  }],
  ['":" in the middle of a literal segment', {
    given: { index: 'tripletex', method: 'PUT', url: '/v2/bank/reconciliation/transactions/unmatched%3Acsv' },
    want: { kind: 'matched', operationId: 'BankReconciliationTransactionsUnmatchedcsv_csvTransactions' },
  }],
  ['token session create', {
    given: { index: 'tripletex', method: 'PUT', url: 'https://tripletex.no/v2/token/session/:create?consumerToken=a&employeeToken=b' },
    want: { kind: 'matched', operationId: 'TokenSessionCreate_create' },
  }],
  ['literal action vs {invoiceId}/action', {
    given: { index: 'tripletex', method: 'PUT', url: '/v2/supplierInvoice/:approve' },
    want: { kind: 'matched', operationId: 'SupplierInvoiceApprove_approveMany', params: {} },
  }],
  ['{invoiceId}/action keeps its own param name', {
    given: { index: 'tripletex', method: 'PUT', url: '/v2/supplierInvoice/9/:approve' },
    want: { kind: 'matched', operationId: 'SupplierInvoiceApprove_approve', params: { invoiceId: '9' } },
  }],
  ['literal sibling of /employee/{id}', {
    given: { index: 'tripletex', method: 'GET', url: '/v2/employee/searchForEmployeesAndContacts' },
    want: { kind: 'matched', operationId: 'EmployeeSearchForEmployeesAndContacts_searchForEmployeesAndContacts' },
  }],

  // Hostile input: never throws
  ['".." segment', {
    given: { index: 'demo', method: 'get', url: '/v2/customer/../customer/5' },
    want: { kind: 'no-path' },
  }],
  ['".." as the param value', {
    given: { index: 'demo', method: 'get', url: '/v2/customer/..' },
    want: { kind: 'no-path' },
  }],
  ['encoded ".." segment', {
    given: { index: 'demo', method: 'get', url: '/v2/customer/%2E%2E' },
    want: { kind: 'no-path' },
  }],
  ['empty segment from "//"', {
    given: { index: 'demo', method: 'get', url: '/v2/customer//orders' },
    want: { kind: 'no-path', relativePath: '/customer//orders' },
  }],
  ['leading "//" is a path, not a host', {
    given: { index: 'demo', method: 'get', url: '//evil.example/customer' },
    want: { kind: 'no-path' },
  }],
  ['malformed percent-encoding', {
    given: { index: 'demo', method: 'get', url: '/v2/customer/%zz' },
    want: { kind: 'no-path' },
  }],
  ['lone %', {
    given: { index: 'demo', method: 'get', url: '/v2/files/100%.txt' },
    want: { kind: 'no-path' },
  }],
  ['/__proto__', {
    given: { index: 'demo', method: 'get', url: '/__proto__' },
    want: { kind: 'no-path', relativePath: '/__proto__' },
  }],
  ['/constructor', {
    given: { index: 'demo', method: 'constructor', url: '/v2/constructor/hasOwnProperty' },
    want: { kind: 'no-path' },
  }],
  ['__proto__ as a param value is just a value', {
    given: { index: 'demo', method: 'get', url: '/v2/customer/__proto__' },
    want: { kind: 'matched', operationId: 'get /customer/{id}', params: { id: '__proto__' } },
  }],
  ['__proto__ as the method', {
    given: { index: 'demo', method: '__proto__', url: '/v2/customer' },
    want: { kind: 'method-not-documented', path: '/customer' },
  }],
  ['empty URL', {
    given: { index: 'demo', method: 'get', url: '' },
    want: { kind: 'matched', operationId: 'get /', server: undefined },
  }],
];

describe('OperationIndex.match', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    const result = indexes[given.index].match(given.method, given.url);
    expect(pick(summarise(result), want)).toEqual(want);
  });

  it('hands back pathParams without a prototype', () => {
    const result = indexes.demo.match('get', '/v2/customer/__proto__');
    expect(result.kind).toBe('matched');
    if (result.kind !== 'matched') return;
    expect(Object.getPrototypeOf(result.match.pathParams)).toBeNull();
    expect(Object.keys(result.match.pathParams)).toEqual(['id']);
  });

  it.each<[string, string]>([
    ['100k-character segment', `/v2/customer/${'a'.repeat(100_000)}`],
    ['100k characters of separators in a multi-param segment', `/v2/report/${'-'.repeat(100_000)}x`],
    ['50k segments', `/v2${'/a'.repeat(50_000)}`],
    ['100k of %', `/v2/files/${'%'.repeat(100_000)}`],
    ['100k host', `https://${'a'.repeat(100_000)}/v2/customer`],
  ])('very long input stays fast: %s', (_name, url) => {
    const started = performance.now();
    expect(() => indexes.demo.match('get', url)).not.toThrow();
    expect(() => indexes.servers.match('get', url)).not.toThrow();
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('OperationIndex on the Tripletex paths', () => {
  const instances = tripletexOps.map((op) => ({ op, url: op.path.replace(/\{[^}]+\}/g, '123') }));

  it('indexes every documented operation', () => {
    expect(tripletexOps.length).toBe(739);
    expect(new Set(tripletexOps.map((op) => op.path)).size).toBe(494);
  });

  it.each(['/v2', 'https://tripletex.no/v2', ''])('matches every path back to its own operation, prefix %j', (prefix) => {
    const wrong: string[] = [];
    for (const { op, url } of instances) {
      const result = tripletexIndex.match(op.method.toUpperCase(), `${prefix}${url}`);
      const got = result.kind === 'matched' ? result.match.operation : undefined;
      if (got !== op) wrong.push(`${op.method} ${op.path}: ${result.kind} ${got?.operationId ?? ''}`);
      else {
        const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        if (result.kind === 'matched') expect(Object.keys(result.match.pathParams)).toEqual(names);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('reports the documented methods for an undocumented one', () => {
    const result = tripletexIndex.match('PATCH', '/v2/invoice/123/:payment');
    expect(result).toEqual({
      kind: 'method-not-documented',
      path: '/invoice/{id}/:payment',
      documentedMethods: ['put'],
      server: { url: 'https://tripletex.no/v2', basePath: '/v2' },
      pathParams: { id: '123' },
    });
  });
});
