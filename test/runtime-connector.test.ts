/**
 * Connectors: loading (YAML and module form, defaults, every broken case placed by line and
 * column), templates, and turning records into calls against the bundled Acme ERP document in a
 * workspace written by `recon init`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWorkspace } from '../src/init/index.js';
import { DEMO_CREDENTIALS } from '../src/sandbox/index.js';
import {
  buildCall,
  buildLookup,
  CONNECTOR_DEFAULTS,
  ConnectorDefinitionError,
  ConnectorInputError,
  defineConnector,
  findInLookup,
  loadConnector,
  messageIdOf,
  NONE_NEEDS_ACKNOWLEDGEMENT,
  renderTemplate,
  type LoadedConnector,
} from '../src/runtime/connector/index.js';
import { RuntimeFailure } from '../src/errors.js';

const ENV = { ACME_CLIENT_SECRET: DEMO_CREDENTIALS.clientSecret };
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'connectors');

let workspace: string;
const temps: string[] = [];

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'recon-connector-'));
  temps.push(workspace);
  await initWorkspace('.', { cwd: workspace });
  mkdirSync(join(workspace, 'connectors'));
});
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Write `connectors/<name>` in the workspace; returns the path relative to it. */
function writeConnector(name: string, text: string): string {
  writeFileSync(join(workspace, 'connectors', name), text);
  return `connectors/${name}`;
}

const load = (file: string) => loadConnector(file, { cwd: workspace, env: ENV });

const INVOICES = `name: push-invoices
config: ../recon.yaml
rateLimit: { limit: 10, windowSeconds: 1 }
operation: createInvoice
messageId: /invoiceNo
idempotency:
  strategy: header
request:
  headers:
    X-Source: erp-\${/invoiceNo}
  body:
    customerId: \${/customerId}
    dueDate: \${/due}
    lines: \${/lines}
`;

const ORDERS = `name: push-orders
config: ../recon.yaml
target: sandbox
rateLimit: { limit: 10, windowSeconds: 1 }
operation: POST /orders
messageId: /orderNo
request:
  body:
    customerId: \${/customer/id}
    items: \${/items}
idempotency:
  strategy: header
  header: X-Idempotency-Key
retry:
  maxAttempts: 3
`;

const INVOICE = { invoiceNo: 1042, customerId: 10001, due: '2026-12-31', lines: [{ lineType: 'product', productId: 5001, quantity: 2, unitPrice: 1499, vatRate: 25, lineTotal: 2998 }] };

async function failure(file: string): Promise<ConnectorDefinitionError> {
  const error = await load(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorDefinitionError);
  return error as ConnectorDefinitionError;
}

describe('loadConnector: a good definition', () => {
  it('fills every default and resolves config, target, operation and rate limit', async () => {
    const loaded = await load(writeConnector('push-invoices.yaml', INVOICES));
    expect(loaded.definition).toMatchObject({
      name: 'push-invoices',
      file: join(workspace, 'connectors', 'push-invoices.yaml'),
      retry: CONNECTOR_DEFAULTS.retry,
      concurrency: 4,
      timeoutMs: 30_000,
      validate: true,
      idempotency: { strategy: 'header', header: 'Idempotency-Key' },
    });
    expect(loaded.target.name).toBe('sandbox');
    expect(loaded.operation).toMatchObject({ operationId: 'createInvoice', method: 'post', path: '/invoices' });
    expect(loaded.rateLimit).toEqual({ limit: 10, windowSeconds: 1, source: 'connector' });
    expect(loaded.config.file).toBe(join(workspace, 'recon.yaml'));
  });

  it('keeps what the file says over the defaults (METHOD /path, header name, retry)', async () => {
    const loaded = await load(writeConnector('push-orders.yaml', ORDERS));
    expect(loaded.operation.operationId).toBe('createOrder');
    expect(loaded.definition.idempotency.header).toBe('X-Idempotency-Key');
    expect(loaded.definition.retry).toEqual({ ...CONNECTOR_DEFAULTS.retry, maxAttempts: 3 });
  });

  it('reads the rate limit from the integration spec when the connector gives none', async () => {
    const loaded = await loadConnector(join(FIXTURES, 'push-orders.yaml'), { env: { ACME_TOKEN: 'token' } });
    expect(loaded.rateLimit).toEqual({ limit: 60, windowSeconds: 60, source: 'integration-spec', provenance: 'headers' });
  });

  it('loads both example connectors in fixtures/connectors', async () => {
    const invoices = await loadConnector(join(FIXTURES, 'push-invoices.yaml'), { env: { ACME_TOKEN: 'token' } });
    expect(invoices.lookupOperation?.operationId).toBe('listInvoices');
    expect(invoices.rateLimit.source).toBe('connector');
  });

  it('applies review/overlay.yaml beside recon.yaml to the document bodies are checked against', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recon-connector-overlay-'));
    temps.push(dir);
    await initWorkspace('.', { cwd: dir });
    writeFileSync(
      join(dir, 'review', 'overlay.yaml'),
      `overlay: 1.0.0
info: { title: observed, version: '1' }
actions:
  - target: $.components.schemas.InvoiceInput
    update:
      required: [customerId, dueDate, lines, reference]
`,
    );
    mkdirSync(join(dir, 'connectors'));
    writeFileSync(join(dir, 'connectors', 'push.yaml'), INVOICES);
    const loaded = await loadConnector('connectors/push.yaml', { cwd: dir, env: ENV });
    expect(loaded.spec.source.overlays?.[0]?.applied).toBe(1);
    expect(() => buildCall(loaded, INVOICE, '1042', 'k')).toThrow(/must have required property 'reference'/);
  });
});

describe('loadConnector: broken definitions, placed by line and column', () => {
  const cases: [string, { text: string; code: string; message: string | RegExp }][] = [
    [
      'a misspelt key',
      {
        text: INVOICES.replace('request:', 'requets:'),
        code: 'RECON_CONNECTOR_INVALID',
        message: "connectors/broken.yaml:8:1: requets: unknown key 'requets' (did you mean 'request'?)",
      },
    ],
    [
      'a misspelt strategy',
      {
        text: INVOICES.replace('strategy: header', 'strategy: hedder'),
        code: 'RECON_CONNECTOR_INVALID',
        message: "connectors/broken.yaml:7:3: idempotency.strategy: 'hedder' is not one of: header, lookup, none (did you mean 'header'?)",
      },
    ],
    [
      'strategy none without acknowledgement',
      {
        text: INVOICES.replace('strategy: header', 'strategy: none'),
        code: 'RECON_CONNECTOR_INVALID',
        message: `connectors/broken.yaml:7:3: idempotency.strategy: ${NONE_NEEDS_ACKNOWLEDGEMENT}`,
      },
    ],
    [
      'an unknown operation',
      {
        text: INVOICES.replace('operation: createInvoice', 'operation: createInvoce'),
        code: 'RECON_CONNECTOR_UNKNOWN_OPERATION',
        message: /^connectors\/broken\.yaml:4:1: operation: 'createInvoce' is not an operation in .*acme-erp\.openapi\.yaml; close matches: createInvoice/,
      },
    ],
    [
      'a template that is not a pointer',
      {
        text: INVOICES.replace('${/due}', '${due}'),
        code: 'RECON_CONNECTOR_INVALID',
        message: "connectors/broken.yaml:13:5: request.body.dueDate: '${due}' is neither a JSON pointer (${/field/sub}), ${id} nor ${key} (write $${ for a literal ${)",
      },
    ],
    [
      'a messageId that is not a pointer',
      {
        text: INVOICES.replace('messageId: /invoiceNo', 'messageId: invoiceNo'),
        code: 'RECON_CONNECTOR_INVALID',
        message: /^connectors\/broken\.yaml:5:1: messageId: a JSON pointer such as \/invoiceNumber/,
      },
    ],
    [
      'a path parameter left out',
      {
        text: INVOICES.replace('operation: createInvoice', 'operation: getInvoice'),
        code: 'RECON_CONNECTOR_INVALID',
        message: /^connectors\/broken\.yaml:8:1: request: \/invoices\/\{invoiceId\} needs the path parameter 'invoiceId'/,
      },
    ],
    [
      'no rate limit from anywhere',
      {
        text: INVOICES.replace('rateLimit: { limit: 10, windowSeconds: 1 }\n', ''),
        code: 'RECON_CONNECTOR_INVALID',
        message: /^connectors\/broken\.yaml:1:1: no rate limit: name the review's 'integrationSpec'/,
      },
    ],
    [
      'an unknown target',
      {
        text: INVOICES.replace('config: ../recon.yaml', 'config: ../recon.yaml\ntarget: sandbx'),
        code: 'RECON_CONNECTOR_UNRESOLVED',
        message: "connectors/broken.yaml:3:1: target: recon.yaml has no target 'sandbx' (did you mean 'sandbox'?); its targets: sandbox",
      },
    ],
    [
      'lookup without its lookup',
      {
        text: INVOICES.replace('strategy: header', 'strategy: lookup'),
        code: 'RECON_CONNECTOR_INVALID',
        message: /^connectors\/broken\.yaml:6:1: idempotency: strategy 'lookup' needs 'lookup'/,
      },
    ],
    [
      'a rate limit faster than the review measured',
      {
        text: INVOICES.replace('config: ../recon.yaml', `config: ../recon.yaml\nintegrationSpec: ${join(FIXTURES, 'integration-spec.yaml')}`),
        code: 'RECON_CONNECTOR_INVALID',
        message: /^connectors\/broken\.yaml:4:1: rateLimit: 10 per 1 s is faster than the 60 per 60 s that .*integration-spec\.yaml says the vendor allows; 'rateLimit' may only go lower/,
      },
    ],
    [
      'not YAML',
      { text: 'name: [unclosed\n', code: 'RECON_CONNECTOR_SYNTAX', message: /^connectors\/broken\.yaml:2:1: invalid YAML/ },
    ],
  ];

  it.each(cases)('%s', async (_name, { text, code, message }) => {
    const error = await failure(writeConnector('broken.yaml', text));
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it('accepts strategy none when it is acknowledged', async () => {
    const text = INVOICES.replace('strategy: header', 'strategy: none\n  acknowledgeNoIdempotency: true');
    const loaded = await load(writeConnector('none.yaml', text));
    expect(loaded.definition.idempotency).toEqual({ strategy: 'none', acknowledgeNoIdempotency: true });
  });

  it('reports a missing file with its own code', async () => {
    const error = await failure('connectors/nowhere.yaml');
    expect(error.code).toBe('RECON_CONNECTOR_NOT_FOUND');
    expect(error.message).toBe('connectors/nowhere.yaml: no such file');
  });
});

describe('the module form', () => {
  it('defineConnector writes the defaults out', () => {
    const definition = defineConnector({ name: 'm', config: 'recon.yaml', operation: 'createOrder', messageId: '/no', idempotency: { strategy: 'header' }, retry: { maxAttempts: 2 } });
    expect(definition).toEqual({
      name: 'm',
      config: 'recon.yaml',
      operation: 'createOrder',
      messageId: '/no',
      request: {},
      idempotency: { strategy: 'header', header: 'Idempotency-Key' },
      retry: { ...CONNECTOR_DEFAULTS.retry, maxAttempts: 2 },
      concurrency: 4,
      timeoutMs: 30_000,
      validate: true,
    });
  });

  it('loads a .mjs module and uses its map()', async () => {
    writeFileSync(
      join(workspace, 'connectors', 'orders.mjs'),
      `export default {
  name: 'push-orders-mapped',
  config: '../recon.yaml',
  operation: 'createOrder',
  messageId: '/no',
  rateLimit: { limit: 5, windowSeconds: 1 },
  idempotency: { strategy: 'header' },
};
export function map(record, { id }) {
  return { headers: { 'X-Order': id }, body: { customerId: Number(record.customer), items: record.items } };
}
`,
    );
    const loaded = await load('connectors/orders.mjs');
    expect(typeof loaded.map).toBe('function');
    const call = buildCall(loaded, { no: 'SO-1', customer: '10001', items: [{ productId: 5001, quantity: 1 }] }, 'SO-1', 'key-1');
    expect(call.headers).toContainEqual(['X-Order', 'SO-1']);
    expect(call.headers).toContainEqual(['Idempotency-Key', 'key-1']);
    expect(call.bodyValue).toEqual({ customerId: 10001, items: [{ productId: 5001, quantity: 1 }] });
  });

  it('says to compile a TypeScript connector first', async () => {
    writeFileSync(join(workspace, 'connectors', 'orders.ts'), 'export default {};\n');
    const error = await failure('connectors/orders.ts');
    expect(error.code).toBe('RECON_CONNECTOR_SYNTAX');
    expect(error.hint).toMatch(/compile the connector to \.js or \.mjs/);
  });

  it('validates a module like a YAML file (no line numbers, key paths)', async () => {
    writeFileSync(join(workspace, 'connectors', 'bad.mjs'), `export default { name: 'x', config: '../recon.yaml', operation: 'createOrder', messageId: '/no', idempotency: { strategy: 'hedder' } };\n`);
    const error = await failure('connectors/bad.mjs');
    expect(error.message).toBe("connectors/bad.mjs: idempotency.strategy: 'hedder' is not one of: header, lookup, none (did you mean 'header'?)");
  });
});

describe('renderTemplate', () => {
  const record = { n: 7, s: 'text', b: false, z: null, o: { a: [1, 2] }, 'a/b': 'slash', 'm~n': 'tilde', __proto__x: 1 };
  const context = { record, id: 'ID-1', key: 'KEY-1' };
  const cases: [string, { given: unknown; want: unknown }][] = [
    ['a whole-string pointer keeps a number', { given: '${/n}', want: 7 }],
    ['… a boolean', { given: '${/b}', want: false }],
    ['… null', { given: '${/z}', want: null }],
    ['… an object', { given: '${/o}', want: { a: [1, 2] } }],
    ['an array index', { given: '${/o/a/1}', want: 2 }],
    ['embedded values are stringified', { given: 'n=${/n} o=${/o}', want: 'n=7 o={"a":[1,2]}' }],
    ['~1 is a slash (RFC 6901)', { given: '${/a~1b}', want: 'slash' }],
    ['~0 is a tilde', { given: '${/m~0n}', want: 'tilde' }],
    ['${id} and ${key}', { given: '${id}:${key}', want: 'ID-1:KEY-1' }],
    ['$${ is a literal ${', { given: 'cost $${/n} is ${/n}', want: 'cost ${/n} is 7' }],
    ['text without templates', { given: 'plain $ and }', want: 'plain $ and }' }],
    ['objects and arrays are walked', { given: { a: ['${/s}', 1, true], b: { c: '${/n}' } }, want: { a: ['text', 1, true], b: { c: 7 } } }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(renderTemplate(given, context)).toEqual(want);
  });

  it('reads own properties only: __proto__ in a record is just a key, inherited ones are missing', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": 1}}') as unknown;
    expect(renderTemplate('${/__proto__}', { record: hostile, id: '1', key: 'k' })).toEqual({ polluted: 1 });
    expect(() => renderTemplate('${/constructor}', { record: {}, id: '1', key: 'k' })).toThrow(ConnectorInputError);
    const out = renderTemplate(JSON.parse('{"__proto__": "${/x}"}'), { record: { x: 1 }, id: '1', key: 'k' }) as Record<string, unknown>;
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names the pointer, the record and the template when a pointer is missing', () => {
    const error = (() => {
      try {
        renderTemplate({ lines: '${/items/0/sku}' }, { record: { items: [] }, id: 'INV-9', key: 'k', at: 'request.body' });
      } catch (e) {
        return e;
      }
    })() as ConnectorInputError;
    expect(error).toBeInstanceOf(ConnectorInputError);
    expect(error.code).toBe('RECON_CONNECTOR_MISSING_FIELD');
    expect(error.message).toBe('record INV-9: no value at /items/0/sku (used by request.body.lines)');
    expect(error.messageId).toBe('INV-9');
  });
});

describe('buildCall against the Acme ERP document', () => {
  let invoices: LoadedConnector;
  let orders: LoadedConnector;
  beforeAll(async () => {
    invoices = await load(writeConnector('calls-invoices.yaml', INVOICES));
    orders = await load(writeConnector('calls-orders.yaml', ORDERS));
  });

  it('builds the create call for a valid invoice', () => {
    const id = messageIdOf(invoices, INVOICE);
    expect(id).toBe('1042');
    const call = buildCall(invoices, INVOICE, id, 'push-invoices:1042');
    expect(call).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:4010/api/v1/invoices',
      headers: [
        ['content-type', 'application/json'],
        ['X-Tenant', 'demo'],
        ['X-Source', 'erp-1042'],
        ['Idempotency-Key', 'push-invoices:1042'],
      ],
      body: JSON.stringify({ customerId: 10001, dueDate: '2026-12-31', lines: INVOICE.lines }),
      bodyValue: { customerId: 10001, dueDate: '2026-12-31', lines: INVOICE.lines },
    });
  });

  it('sends the idempotency key in the header the connector names', () => {
    const call = buildCall(orders, { orderNo: 'SO-1', customer: { id: 10001 }, items: [{ productId: 5001, quantity: 3 }] }, 'SO-1', 'k-SO-1');
    expect(call.url).toBe('http://127.0.0.1:4010/api/v1/orders');
    expect(call.headers).toContainEqual(['X-Idempotency-Key', 'k-SO-1']);
    expect(call.headers.some(([name]) => name === 'Idempotency-Key')).toBe(false);
  });

  it('refuses a body that does not fit the request schema, in one line', () => {
    const bad = { ...INVOICE, customerId: 'ten thousand', lines: [] };
    let error: unknown;
    try {
      buildCall(invoices, bad, '1042', 'k');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConnectorInputError);
    expect((error as ConnectorInputError).code).toBe('RECON_CONNECTOR_INVALID_MESSAGE');
    expect((error as Error).message).toMatch(/^record 1042: the body does not match createInvoice's request schema: \/customerId must be integer; \/lines must NOT have fewer than 1 items/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('does not check the body when validate is false', async () => {
    const loaded = await load(writeConnector('unchecked.yaml', `${INVOICES}validate: false\n`));
    expect(buildCall(loaded, { ...INVOICE, customerId: 'x' }, '1', 'k').bodyValue).toMatchObject({ customerId: 'x' });
  });

  it('dead-letters a record without a field a template needs', () => {
    const { due: _due, ...withoutDue } = INVOICE;
    expect(() => buildCall(invoices, withoutDue, '1042', 'k')).toThrow('record 1042: no value at /due (used by request.body.dueDate)');
  });

  it('percent-encodes path parameters as one segment', async () => {
    const text = INVOICES.replace('operation: createInvoice', 'operation: GET /invoices/{invoiceId}').replace('request:\n', 'request:\n  path:\n    invoiceId: ${/ref}\n');
    const loaded = await load(writeConnector('get.yaml', text));
    const call = buildCall(loaded, { ...INVOICE, ref: 'A/1 ?x' }, '1', 'k');
    expect(call.method).toBe('GET');
    expect(call.url).toBe('http://127.0.0.1:4010/api/v1/invoices/A%2F1%20%3Fx');
  });

  it('messageIdOf: numbers become strings; a missing id is an input error', () => {
    expect(messageIdOf(invoices, { invoiceNo: 'A-1' })).toBe('A-1');
    expect(() => messageIdOf(invoices, { invoice: 1 })).toThrow(expect.objectContaining({ code: 'RECON_CONNECTOR_MISSING_FIELD' }));
    expect(() => messageIdOf(invoices, { invoiceNo: { a: 1 } })).toThrow(/must be a string or a number/);
  });
});

describe('lookup before create', () => {
  let loaded: LoadedConnector;
  const record = { invoiceNo: 'INV/7', customerId: 10001, due: '2026-12-31', lines: INVOICE.lines };
  beforeAll(async () => {
    loaded = await loadConnector(join(FIXTURES, 'push-invoices.yaml'), { env: { ACME_TOKEN: 'token' } });
  });

  it('builds the lookup call', () => {
    expect(buildLookup(loaded, record, 'INV/7', 'k')).toEqual({
      method: 'GET',
      url: 'http://127.0.0.1:4010/api/v1/invoices?externalRef=INV%2F7',
      headers: [['X-Tenant', 'demo']],
    });
  });

  it('finds the record in the answer (text or parsed), numbers and strings alike', () => {
    const body = { data: [{ id: 'a', externalRef: 'INV/6' }, { id: 'b', externalRef: 'INV/7' }] };
    expect(findInLookup(loaded, body, record, 'INV/7', 'k')).toEqual({ found: true, vendorId: 'b' });
    expect(findInLookup(loaded, JSON.stringify(body), record, 'INV/7', 'k')).toEqual({ found: true, vendorId: 'b' });
    expect(findInLookup(loaded, { data: [{ id: 5, externalRef: 8 }] }, { ...record, invoiceNo: 8 }, '8', 'k')).toEqual({ found: true, vendorId: '5' });
    expect(findInLookup(loaded, { data: [] }, record, 'INV/7', 'k')).toEqual({ found: false });
  });

  it('an unreadable answer is a runtime failure, never "not found"', () => {
    expect(() => findInLookup(loaded, { items: [] }, record, 'INV/7', 'k')).toThrow(RuntimeFailure);
    expect(() => findInLookup(loaded, '<html>', record, 'INV/7', 'k')).toThrow(expect.objectContaining({ code: 'RECON_CONNECTOR_LOOKUP_UNREADABLE' }));
  });
});
