/**
 * HAR recording: entries from exchanges, the canary test (no secret reaches the file), reading
 * HARs from recon and from browsers, and strict validation against specs/har-1.2.schema.json.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exchangeToEntry,
  HarReadError,
  HarRecorder,
  readHar,
  validateHar,
  type Har,
  type HarEntry,
} from '../src/http/har/index.js';
import { createRedactor } from '../src/http/redact/index.js';
import type { Exchange } from '../src/http/types.js';

const ROOT = join(import.meta.dirname, '..');
const CHROMIUM_HAR = join(ROOT, 'fixtures', 'har', 'chromium-export.har');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recon-har-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A valid fødselsnummer, computed with the official weights (independently of the code under test). */
function makeFnr(ddmmyy: string): string {
  const w1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
  const w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const check = (d: number[], w: number[]): number => {
    const c = 11 - (w.reduce((s, x, i) => s + x * d[i]!, 0) % 11);
    return c === 11 ? 0 : c;
  };
  for (let n = 100; n < 1000; n++) {
    const d = [...ddmmyy, ...String(n)].map(Number);
    const k1 = check(d, w1);
    const k2 = k1 === 10 ? 10 : check([...d, k1], w2);
    if (k1 !== 10 && k2 !== 10) return [...d, k1, k2].join('');
  }
  throw new Error('no fnr');
}

function exchange(overrides: Partial<Exchange> = {}): Exchange {
  const body = Buffer.from('{"id":1,"name":"Fjord Bygg AS"}');
  return {
    startedAt: new Date('2025-03-11T09:14:02.118Z'),
    time: 42.5,
    request: { method: 'GET', url: 'https://api.example/v1/customers/1?expand=orders&q=a+b%26c', headers: [['Accept', 'application/json']] },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: '1.1',
      headers: [['Content-Type', 'application/json'], ['Content-Length', String(body.length)]],
      body,
      bodySize: body.length,
      truncated: false,
    },
    timings: { blocked: 0.5, dns: 1, connect: 2, ssl: 1.5, send: 0.2, wait: 35, receive: 1.3 },
    ...overrides,
  };
}

describe('exchangeToEntry', () => {
  it('writes every HAR 1.2 field from an exchange', () => {
    const e = exchange({ operation: { method: 'GET', path: '/customers/{id}', operationId: 'getCustomer' }, purpose: 'read one customer' });
    expect(exchangeToEntry(e)).toEqual({
      startedDateTime: '2025-03-11T09:14:02.118Z',
      time: 42.5,
      request: {
        method: 'GET',
        url: 'https://api.example/v1/customers/1?expand=orders&q=a+b%26c',
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: [{ name: 'Accept', value: 'application/json' }],
        queryString: [
          { name: 'expand', value: 'orders' },
          { name: 'q', value: 'a b&c' },
        ],
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status: 200,
        statusText: 'OK',
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: [
          { name: 'Content-Type', value: 'application/json' },
          { name: 'Content-Length', value: '31' },
        ],
        content: { size: 31, mimeType: 'application/json', text: '{"id":1,"name":"Fjord Bygg AS"}' },
        redirectURL: '',
        headersSize: -1,
        bodySize: 31,
      },
      cache: {},
      timings: { blocked: 0.5, dns: 1, connect: 2, ssl: 1.5, send: 0.2, wait: 35, receive: 1.3 },
      _recon: { operation: { method: 'GET', path: '/customers/{id}', operationId: 'getCustomer' }, purpose: 'read one customer' },
    });
  });

  const cases: [string, { given: Exchange; want: (entry: HarEntry) => void }][] = [
    [
      'form post: text and params',
      {
        given: exchange({ request: { method: 'POST', url: 'https://h/token', headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: 'grant_type=client_credentials&scope=a+b' } }),
        want: (entry) =>
          expect(entry.request.postData).toEqual({
            mimeType: 'application/x-www-form-urlencoded',
            text: 'grant_type=client_credentials&scope=a+b',
            params: [
              { name: 'grant_type', value: 'client_credentials' },
              { name: 'scope', value: 'a b' },
            ],
          }),
      },
    ],
    [
      'binary request body as base64',
      {
        given: exchange({ request: { method: 'PUT', url: 'https://h/f', headers: [['Content-Type', 'application/pdf']], body: Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff]) } }),
        want: (entry) => {
          expect(entry.request.postData).toEqual({ mimeType: 'application/pdf', text: 'JVBERv8=', _encoding: 'base64' });
          expect(entry.request.bodySize).toBe(5);
        },
      },
    ],
    [
      'binary response as base64',
      {
        given: exchange({
          response: { status: 200, statusText: 'OK', httpVersion: '2', headers: [['content-type', 'image/png']], body: Buffer.from([0x89, 0x50, 0x4e, 0x47]), bodySize: 4, truncated: false },
        }),
        want: (entry) => {
          expect(entry.response.content).toEqual({ size: 4, mimeType: 'image/png', text: 'iVBORw==', encoding: 'base64' });
          expect(entry.response.httpVersion).toBe('HTTP/2');
        },
      },
    ],
    [
      'truncated body: size is everything received, comment says where it was cut',
      {
        given: exchange({
          response: { status: 200, statusText: 'OK', httpVersion: '1.1', headers: [['Content-Type', 'text/plain']], body: Buffer.from('abcd'), bodySize: 1000, truncated: true },
        }),
        want: (entry) => {
          expect(entry.response.content).toEqual({ size: 1000, mimeType: 'text/plain', text: 'abcd', comment: 'truncated at 4 of 1000 bytes' });
          expect(entry._recon).toEqual({ truncated: true });
        },
      },
    ],
    [
      'transport failure: status 0 and _error',
      {
        given: (() => {
          const e = exchange({ failure: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' } });
          delete e.response;
          return e;
        })(),
        want: (entry) => {
          expect(entry.response).toEqual({
            status: 0,
            statusText: '',
            httpVersion: '',
            cookies: [],
            headers: [],
            content: { size: 0, mimeType: 'x-unknown' },
            redirectURL: '',
            headersSize: -1,
            bodySize: -1,
            _error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' },
          });
          expect(entry.request.httpVersion).toBe('HTTP/1.1');
        },
      },
    ],
    [
      'unmeasured timings: -1 where optional, 0 where required, wait is the rest',
      {
        given: exchange({ time: 20, timings: { blocked: -1, dns: -1, connect: 3, ssl: -1, send: -1, wait: -1, receive: 2 } }),
        want: (entry) => expect(entry.timings).toEqual({ blocked: -1, dns: -1, connect: 3, ssl: -1, send: 0, wait: 15, receive: 2 }),
      },
    ],
    [
      'cookies from Cookie and Set-Cookie',
      {
        given: exchange({
          request: { method: 'GET', url: 'https://h/', headers: [['Cookie', 'a=1; b=2']] },
          response: {
            status: 302,
            statusText: 'Found',
            httpVersion: '1.1',
            headers: [
              ['Set-Cookie', 'sid=x; Path=/; Domain=h; Max-Age=60; Secure; HttpOnly; SameSite=Lax'],
              ['Set-Cookie', 'old=y; Expires=Wed, 21 Oct 2015 07:28:00 GMT'],
              ['Location', '/next'],
            ],
            body: Buffer.alloc(0),
            bodySize: 0,
            truncated: false,
          },
        }),
        want: (entry) => {
          expect(entry.request.cookies).toEqual([
            { name: 'a', value: '1' },
            { name: 'b', value: '2' },
          ]);
          expect(entry.response.cookies).toEqual([
            { name: 'sid', value: 'x', path: '/', domain: 'h', expires: '2025-03-11T09:15:02.118Z', secure: true, httpOnly: true, sameSite: 'Lax' },
            { name: 'old', value: 'y', expires: '2015-10-21T07:28:00.000Z' },
          ]);
          expect(entry.response.redirectURL).toBe('/next');
          expect(entry.response.content).toEqual({ size: 0, mimeType: 'x-unknown' });
        },
      },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    const entry = exchangeToEntry(given);
    want(entry);
    expect(validateHar({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: [entry] } })).toEqual({ ok: true, errors: [] });
  });

  it('records what redaction did, and keeps original sizes', () => {
    const redactor = createRedactor({ jsonPaths: ['age'] });
    const { exchange: redacted, report } = redactor.redactExchange(
      exchange({
        request: { method: 'POST', url: 'https://h/x?token=abc', headers: [['Content-Type', 'application/json']], body: '{"password":"a-long-password"}' },
        response: { status: 200, statusText: 'OK', httpVersion: '1.1', headers: [['Content-Type', 'application/json']], body: Buffer.from('{"age":41,"x":1'), bodySize: 900, truncated: true },
      }),
    );
    const entry = exchangeToEntry(redacted, report);
    expect(entry._recon).toEqual({ truncated: true, redactions: { query: 1, field: 2 }, zeroed: { response: { pointers: ['/age'], count: 1 } } });
    expect(entry.comment).toMatch(/0 or false for 1 JSON/);
    expect(entry.request.bodySize).toBe(30);
    expect(entry.response.content.comment).toBe('truncated at 15 of 900 bytes');
  });
});

// ---- the canary test ----

const FNR = makeFnr('150385');
const CANARY = {
  clientSecret: 'canary-client-secret-8f3a91',
  apiKey: 'canary-api-key-77d0e2c4',
  bearer: 'canary-bearer-token-5b6c7d8e9f',
  jwt: 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImNhbmFyeSJ9.eyJzdWIiOiJjYW5hcnktc3ViamVjdCIsImF1ZCI6InJlY29uIn0.Y2FuYXJ5LXNpZ25hdHVyZS1ieXRlcy0xMjM0NTY',
  fnr: FNR,
  session: 'canary-session-cookie-0a1b2c3d',
  late: 'canary-late-secret-issued-at-end',
};

function canaryExchanges(): Exchange[] {
  const base = exchange();
  const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
  const tokenResponse = json({ access_token: CANARY.jwt, token_type: 'Bearer', expires_in: 3600, scope: 'customers:read' });
  const customers = json({
    data: [
      { id: 1, name: 'Kari Nordmann', nationalId: CANARY.fnr, contacts: [{ note: `call re ${CANARY.fnr}` }], vip: true },
      { id: 2, name: 'Ola Nordmann', nationalId: null, contacts: [], vip: false, debug: `key=${CANARY.apiKey} auth=Bearer ${CANARY.bearer} late=${CANARY.late}` },
    ],
    total: 2,
  });
  return [
    {
      ...base,
      purpose: 'token request',
      request: {
        method: 'POST',
        url: 'https://auth.example/oauth2/token',
        headers: [
          ['Content-Type', 'application/x-www-form-urlencoded'],
          ['Authorization', `Basic ${Buffer.from(`client-1:${CANARY.clientSecret}`).toString('base64')}`],
        ],
        body: `grant_type=client_credentials&client_secret=${encodeURIComponent(CANARY.clientSecret)}&client_assertion=${CANARY.jwt}&note=${CANARY.fnr}`,
      },
      response: { ...base.response!, headers: [['Content-Type', 'application/json'], ['Set-Cookie', `session=${CANARY.session}; Path=/; HttpOnly; Secure`]], body: tokenResponse, bodySize: tokenResponse.length },
    },
    {
      ...base,
      purpose: 'list customers',
      request: {
        method: 'GET',
        url: `https://api.example/v1/customers?api_key=${CANARY.apiKey}&nin=${CANARY.fnr}&token=${CANARY.bearer}&q=${encodeURIComponent(CANARY.clientSecret)}`,
        headers: [
          ['Authorization', `Bearer ${CANARY.bearer}`],
          ['X-Api-Key', CANARY.apiKey],
          ['Cookie', `session=${CANARY.session}; lang=nb`],
          ['X-Debug-Person', CANARY.fnr],
          ['X-Forwarded-Assertion', `jwt ${CANARY.jwt}`],
        ],
      },
      response: { ...base.response!, headers: [['Content-Type', 'application/json; charset=utf-8']], body: customers, bodySize: customers.length },
    },
    {
      ...base,
      purpose: 'create customer',
      request: {
        method: 'POST',
        url: 'https://api.example/v1/customers',
        headers: [['Content-Type', 'application/json'], ['Authorization', `Bearer ${CANARY.jwt}`]],
        body: JSON.stringify({ name: 'Kari', nationalId: CANARY.fnr, credentials: { password: CANARY.clientSecret, apiKey: CANARY.apiKey }, tags: ['a', 'b'] }),
      },
      response: {
        ...base.response!,
        status: 400,
        headers: [['Content-Type', 'text/plain']],
        body: Buffer.from(`rejected ${CANARY.fnr}: token ${CANARY.bearer} / ${CANARY.jwt} / ${CANARY.clientSecret}`),
        bodySize: 200,
      },
    },
    {
      ...base,
      purpose: 'download',
      request: { method: 'GET', url: 'https://api.example/v1/files/1', headers: [] },
      response: {
        ...base.response!,
        headers: [['Content-Type', 'application/octet-stream']],
        body: Buffer.concat([Buffer.from([0, 1, 2, 0xff]), Buffer.from(`${CANARY.apiKey}|${CANARY.fnr}|${CANARY.late}`), Buffer.from([0xfe])]),
        bodySize: 80,
      },
    },
    (() => {
      const failed: Exchange = { ...base, request: { method: 'GET', url: `https://api.example/v1/x?access_token=${CANARY.bearer}`, headers: [] }, failure: { code: 'UND_ERR_HEADERS_TIMEOUT', message: `timeout on ${CANARY.apiKey}` } };
      delete failed.response;
      return failed;
    })(),
  ];
}

/** Keys, types and array lengths: what redaction must keep. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return value === null ? 'null' : typeof value;
}

describe('canary: no secret or personal data reaches the file', () => {
  let text: string;
  let har: Har;
  const exchanges = canaryExchanges();

  beforeAll(async () => {
    const recorder = new HarRecorder({ redactor: createRedactor({ secrets: [CANARY.clientSecret, CANARY.apiKey], jsonPaths: ['data[*].nationalId'] }), pageTitle: 'canary run' });
    const redactorRef = (recorder as unknown as { redactor: { addSecret(s: string): void } }).redactor;
    for (const e of exchanges) recorder.add(e);
    // A secret that becomes known only after the exchanges were recorded (as `recon probe` adds
    // the auth provider's secrets at the end of a run).
    redactorRef.addSecret(CANARY.late);
    const path = join(dir, 'nested', 'deeper', 'canary.har');
    await recorder.write(path);
    text = await readFile(path, 'utf8');
    har = await readHar(path);
  });

  it.each(Object.entries(CANARY))('%s appears in no form', (_name, canary) => {
    const forms = [canary, encodeURIComponent(canary), Buffer.from(canary).toString('base64').replace(/=+$/, ''), Buffer.from(canary).toString('base64url')];
    for (const form of forms) expect(text).not.toContain(form);
    // Nor inside base64 content, decoded.
    for (const entry of har.log.entries) {
      const content = entry.response.content;
      if (content.encoding === 'base64' && content.text !== undefined) expect(Buffer.from(content.text, 'base64').toString('latin1')).not.toContain(canary);
    }
  });

  it('keeps the structure of every JSON body', () => {
    const bodies = har.log.entries.map((e) => e.response.content.text);
    expect(shape(JSON.parse(bodies[0]!))).toEqual(shape(JSON.parse(exchanges[0]!.response!.body.toString())));
    const customers = JSON.parse(bodies[1]!) as { data: { nationalId: unknown; vip: unknown; contacts: unknown[] }[] };
    expect(shape(customers)).toEqual(shape(JSON.parse(exchanges[1]!.response!.body.toString())));
    expect(customers.data[0]!.nationalId).toBe('<redacted:field>');
    const requestBody = har.log.entries[2]!.request.postData!.text!;
    expect(shape(JSON.parse(requestBody))).toEqual(shape(JSON.parse(exchanges[2]!.request.body as string)));
  });

  it('keeps headers, parameters, lengths and statuses', () => {
    har.log.entries.forEach((entry, i) => {
      const e = exchanges[i]!;
      expect(entry.request.headers.map((h) => h.name)).toEqual(e.request.headers.map(([name]) => name));
      expect(entry.response.status).toBe(e.response?.status ?? 0);
    });
    expect(har.log.entries[1]!.request.queryString.map((q) => q.name)).toEqual(['api_key', 'nin', 'token', 'q']);
    expect(har.log.entries[1]!.request.headers[0]).toEqual({ name: 'Authorization', value: 'Bearer <redacted:header>' });
    expect(har.log.entries[0]!.response.cookies[0]).toMatchObject({ name: 'session', value: '<redacted:header>', httpOnly: true, secure: true });
    const binary = Buffer.from(har.log.entries[3]!.response.content.text!, 'base64');
    expect(binary.length).toBe(exchanges[3]!.response!.body.length);
    expect(har.log.entries[4]!.response._error).toEqual({ code: 'UND_ERR_HEADERS_TIMEOUT', message: 'timeout on <redacted:secret>' });
  });

  it('is valid HAR 1.2 and says what it redacted', () => {
    expect(validateHar(JSON.parse(text))).toEqual({ ok: true, errors: [] });
    expect(har.log.entries[1]!._recon?.redactions).toMatchObject({ header: 4, query: 2, fnr: 3, secret: expect.any(Number) });
    expect(har.log.pages?.[0]).toMatchObject({ id: 'page_1', title: 'canary run' });
    expect(har.log.entries.every((e) => e.pageref === 'page_1')).toBe(true);
  });
});

// ---- writing ----

describe('HarRecorder.write', () => {
  it('writes atomically, mode 0600, and reads back as written', async () => {
    const recorder = new HarRecorder({ redactor: createRedactor(), comment: 'a run', creator: { name: 'recon', version: '9.9.9' } });
    recorder.add(exchange());
    recorder.add(exchange({ time: 7 }));
    expect(recorder.size).toBe(2);
    const path = join(dir, 'atomic', 'run.har');
    await recorder.write(path);
    await recorder.write(path); // over an existing file
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'atomic'))).toEqual(['run.har']);
    const text = await readFile(path, 'utf8');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(recorder.toHar())));
    expect(await readHar(path, { strict: true })).toEqual(JSON.parse(text));
    expect(recorder.toHar().log).toMatchObject({ version: '1.2', creator: { name: 'recon', version: '9.9.9' }, comment: 'a run' });
  });

  it('writes an empty log', async () => {
    const path = join(dir, 'empty.har');
    await new HarRecorder({ redactor: createRedactor() }).write(path);
    const har = JSON.parse(await readFile(path, 'utf8')) as Har;
    expect(har.log.entries).toEqual([]);
    expect(validateHar(har).ok).toBe(true);
  });

  it('fails with a stable code and leaves no temporary file behind', async () => {
    const target = join(dir, 'is-a-directory');
    await writeFile(join(dir, 'placeholder'), '');
    await rm(target, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(join(target, 'x'), { recursive: true }));
    const recorder = new HarRecorder({ redactor: createRedactor() });
    recorder.add(exchange());
    await expect(recorder.write(target)).rejects.toMatchObject({ code: 'RECON_HAR_WRITE_FAILED', exitCode: 3 });
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

// ---- reading ----

describe('readHar', () => {
  async function file(name: string, content: string | Buffer): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  const validHar = JSON.stringify({ log: { version: '1.2', creator: { name: 'x', version: '1' }, entries: [exchangeToEntry(exchange())] } }, null, 2);

  const cases: [string, { given: string | Buffer; want: Record<string, unknown> }][] = [
    ['empty', { given: '', want: { problem: 'empty', location: { line: 1, column: 1 } } }],
    ['only whitespace', { given: '\n  \n', want: { problem: 'empty' } }],
    ['malformed: a stray bracket', { given: '{\n  "log": {\n    "entries": [}\n}', want: { problem: 'syntax', location: { line: 3, column: 17 } } }],
    ['malformed: a bare word', { given: '{\n  "log": tru\n}', want: { problem: 'syntax', location: { line: 2, column: 13 } } }],
    ['truncated', { given: validHar.slice(0, 400), want: { problem: 'syntax', message: expect.stringMatching(/ends in the middle/) } }],
    ['JSON but not HAR', { given: '{"openapi":"3.0.3"}', want: { problem: 'not-har', location: { pointer: '/log' } } }],
    ['an array', { given: '[]', want: { problem: 'not-har', location: { pointer: '' } } }],
    ['entries not a list', { given: '{"log":{"entries":{}}}', want: { problem: 'not-har', location: { pointer: '/log/entries' } } }],
    ['entry without a URL', { given: '{"log":{"entries":[{"request":{"method":"GET"},"response":{"status":200}}]}}', want: { problem: 'structure', location: { pointer: '/log/entries/0/request/url' } } }],
    ['headers not a list', { given: '{"log":{"entries":[{"request":{"method":"GET","url":"/","headers":"x"},"response":{"status":200}}]}}', want: { problem: 'structure', location: { pointer: '/log/entries/0/request/headers' } } }],
  ];
  it.each(cases)('%s', async (name, { given, want }) => {
    const path = await file(`${name.replace(/\W+/g, '-')}.har`, given);
    const error = await readHar(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HarReadError);
    expect(error).toMatchObject({ code: 'RECON_HAR_INVALID', exitCode: 2, location: { source: path }, ...want });
    expect((error as Error).message.startsWith(path)).toBe(true);
  });

  it('gives line and column in a huge file', async () => {
    const entry = JSON.stringify(exchangeToEntry(exchange()), null, 2);
    const count = 20_000; // ~20 MB
    const lines = entry.split('\n').length;
    const text = `{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[\n${Array.from({ length: count }, () => entry).join(',\n')},\n{"broken": }]}}`;
    expect(text.length).toBeGreaterThan(15_000_000);
    const path = await file('huge.har', text);
    await expect(readHar(path)).rejects.toMatchObject({ problem: 'syntax', location: { line: 1 + count * lines + 1, column: 12 } });
    const valid = await file('huge-valid.har', text.replace(',\n{"broken": }', ''));
    expect((await readHar(valid)).log.entries).toHaveLength(count);
    await expect(readHar(valid, { maxBytes: 1_000_000 })).rejects.toMatchObject({ code: 'RECON_HAR_INVALID', problem: 'too-large' });
  });

  it('reports a missing file and a directory', async () => {
    await expect(readHar(join(dir, 'nope.har'))).rejects.toMatchObject({ code: 'RECON_HAR_NOT_FOUND', exitCode: 2, message: expect.stringMatching(/no such file/) });
    await expect(readHar(dir)).rejects.toMatchObject({ code: 'RECON_HAR_NOT_FOUND' });
  });

  it('reads a byte order mark and UTF-16 (Windows tools)', async () => {
    expect((await readHar(await file('bom.har', `\uFEFF${validHar}`))).log.entries).toHaveLength(1);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(validHar, 'utf16le')]);
    expect((await readHar(await file('utf16.har', utf16))).log.entries).toHaveLength(1);
  });

  it('reads a Chromium DevTools export, strictly too', async () => {
    const har = await readHar(CHROMIUM_HAR, { strict: true });
    expect(har.log.creator.name).toBe('WebInspector');
    expect(har.log.entries.map((e) => `${e.request.method} ${e.response.status}`)).toEqual(['GET 200', 'GET 200', 'POST 201', 'GET 200', 'POST 0']);
    expect(har.log.entries[1]!._initiator).toMatchObject({ type: 'script' });
    expect(har.log.entries[4]!.response._error).toBe('net::ERR_BLOCKED_BY_CLIENT');
  });

  it('fills in what lenient tools leave out', async () => {
    const path = await file('sparse.har', JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: 'https://h/', headers: [{ name: 'X-N', value: 5 }] }, response: { status: 204 } }] } }));
    const [entry] = (await readHar(path)).log.entries;
    expect(entry).toMatchObject({
      startedDateTime: '',
      request: { httpVersion: '', cookies: [], headers: [{ name: 'X-N', value: '5' }], queryString: [], headersSize: -1, bodySize: -1 },
      response: { statusText: '', cookies: [], headers: [], content: { size: -1, mimeType: '' }, redirectURL: '' },
      cache: {},
      timings: { send: 0, wait: 0, receive: 0 },
    });
    await expect(readHar(path, { strict: true })).rejects.toMatchObject({ problem: 'structure', location: { pointer: '/log/version' } });
  });
});

// ---- strict validation ----

describe('validateHar', () => {
  async function chromium(): Promise<Har> {
    return JSON.parse(await readFile(CHROMIUM_HAR, 'utf8')) as Har;
  }

  it('accepts the Chromium export', async () => {
    expect(validateHar(await chromium())).toEqual({ ok: true, errors: [] });
  });

  const cases: [string, { given: (har: Har) => void; want: { pointer: string; message: string | RegExp }[] }][] = [
    ['missing url', { given: (h) => delete (h.log.entries[0]!.request as Partial<HarEntry['request']>).url, want: [{ pointer: '/log/entries/0/request/url', message: 'required property is missing' }] }],
    ['negative wait', { given: (h) => (h.log.entries[1]!.timings.wait = -1), want: [{ pointer: '/log/entries/1/timings/wait', message: /must be >= 0/ }] }],
    ['unknown field without underscore', { given: (h) => ((h.log.entries[0]! as Record<string, unknown>)['initiator'] = {}), want: [{ pointer: '/log/entries/0/initiator', message: /custom fields start with "_"/ }] }],
    ['header value not a string', { given: (h) => ((h.log.entries[0]!.request.headers[0] as { value: unknown }).value = 5), want: [{ pointer: '/log/entries/0/request/headers/0/value', message: 'must be string' }] }],
    ['date without time zone', { given: (h) => (h.log.entries[2]!.startedDateTime = '2025-03-11 09:14'), want: [{ pointer: '/log/entries/2/startedDateTime', message: /must match pattern/ }] }],
    ['pageref to no page', { given: (h) => (h.log.entries[3]!.pageref = 'page_9'), want: [{ pointer: '/log/entries/3/pageref', message: 'no page has the id "page_9"' }] }],
    ['no creator', { given: (h) => delete (h.log as Partial<Har['log']>).creator, want: [{ pointer: '/log/creator', message: 'required property is missing' }] }],
  ];
  it.each(cases)('rejects %s', async (_name, { given, want }) => {
    const har = await chromium();
    given(har);
    const result = validateHar(har);
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual(want.map((w) => ({ pointer: w.pointer, message: typeof w.message === 'string' ? w.message : expect.stringMatching(w.message) })));
  });

  it('allows custom fields and comments everywhere', async () => {
    const har = await chromium();
    const entry = har.log.entries[0]!;
    entry._anything = { nested: [1] };
    entry.comment = 'x';
    entry.request.headers[0]!.comment = 'y';
    entry.timings._custom = 5;
    expect(validateHar(har).ok).toBe(true);
  });

  it('rejects what is not a HAR at all', () => {
    expect(validateHar(null).errors).toEqual([{ pointer: '', message: 'must be object' }]);
    expect(validateHar({}).errors).toEqual([{ pointer: '/log', message: 'required property is missing' }]);
  });
});
