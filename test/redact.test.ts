/**
 * Redaction: table-driven cases per surface (text, headers, URLs, bodies), then whole exchanges.
 */
import { describe, expect, it } from 'vitest';
import { createRedactor, isNationalId, type RedactorOptions } from '../src/http/redact/index.js';
import type { Exchange, HeaderList } from '../src/http/types.js';

// ---- fixtures built with the official algorithm, independently of the code under test ----

const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

function mod11(digits: number[], weights: number[]): number {
  const sum = weights.reduce((acc, w, i) => acc + w * digits[i]!, 0);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check;
}

/** A valid fødselsnummer (or D-number when `dNumber`) for a date, searching individual numbers. */
function makeFnr(ddmmyy: string, dNumber = false, from = 100): string {
  const date = dNumber ? String(Number(ddmmyy[0]) + 4) + ddmmyy.slice(1) : ddmmyy;
  for (let individual = from; individual < 1000; individual++) {
    const digits = [...date, ...String(individual).padStart(3, '0')].map(Number);
    const k1 = mod11(digits, K1);
    if (k1 === 10) continue;
    const k2 = mod11([...digits, k1], K2);
    if (k2 === 10) continue;
    return [...digits, k1, k2].join('');
  }
  throw new Error('no valid number');
}

const FNR = makeFnr('150385');
const FNR_2 = makeFnr('010190', false, 500);
const D_NUMBER = makeFnr('240477', true);
/** Valid check digits but month 13: not a date, so not a national id. */
const NOT_A_DATE = makeFnr('011385');
const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNTE2MjM5MDIyfQ.POstGetfAytaZS82wHcjoTyoqhMyxXiWdR7Nn7A28cN';
const JWT_2 = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJrYXJpIn0.c2lnbmF0dXJlLXNlY29uZA';
const SECRET = 'S3cr3t/Value+With=Chars';

type Case<G, W> = [name: string, { given: G; want: W }];

function redactor(options: RedactorOptions = {}): ReturnType<typeof createRedactor> {
  return createRedactor({ secrets: [SECRET], ...options });
}

describe('national identity numbers', () => {
  const cases: Case<string, boolean>[] = [
    ['a generated fødselsnummer', { given: FNR, want: true }],
    ['another, born 1990', { given: FNR_2, want: true }],
    ['a D-number (first digit +4)', { given: D_NUMBER, want: true }],
    ['wrong check digits', { given: '01010112345', want: false }],
    ['k1 right, k2 wrong', { given: FNR.slice(0, 10) + String((Number(FNR[10]) + 1) % 10), want: false }],
    ['valid checks, month 13', { given: NOT_A_DATE, want: false }],
    ['10 digits', { given: FNR.slice(1), want: false }],
    ['letters', { given: 'abcdefghijk', want: false }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(isNationalId(given)).toBe(want);
  });
});

describe('text', () => {
  const cases: Case<string, string>[] = [
    ['fnr alone', { given: FNR, want: '<redacted:fnr>' }],
    ['fnr in a sentence', { given: `Kunde ${FNR}, født 1985.`, want: 'Kunde <redacted:fnr>, født 1985.' }],
    ['D-number', { given: `d=${D_NUMBER}`, want: 'd=<redacted:fnr>' }],
    ['invalid 11 digits stay', { given: 'id 01010112345', want: 'id 01010112345' }],
    ['11 valid digits inside a longer run stay', { given: `9${FNR}9 and ${FNR}0`, want: `9${FNR}9 and ${FNR}0` }],
    ['decimal with 11-digit integer part stays', { given: `${FNR}.50`, want: `${FNR}.50` }],
    ['fnr next to letters', { given: `ID${FNR}X`, want: 'ID<redacted:fnr>X' }],
    ['phone numbers stay', { given: '+47 22 33 44 55 / 22334455 / +4722334455', want: '+47 22 33 44 55 / 22334455 / +4722334455' }],
    ['organisation number stays', { given: 'orgnr 923609016', want: 'orgnr 923609016' }],
    ['two fnr, comma-separated', { given: `${FNR},${FNR_2}`, want: '<redacted:fnr>,<redacted:fnr>' }],
    ['JWT', { given: `Bearer ${JWT}`, want: 'Bearer <redacted:jwt>' }],
    ['JWT after a percent escape', { given: `token%22${JWT}%22`, want: 'token%22<redacted:jwt>%22' }],
    ['JWT with empty signature (alg none)', { given: 'x eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. y', want: 'x <redacted:jwt> y' }],
    ['eyJ without dots stays', { given: 'eyJhbGciOiJIUzI1NiJ9', want: 'eyJhbGciOiJIUzI1NiJ9' }],
    ['a run that merely contains eyJ stays', { given: `abc${JWT}`, want: `abc${JWT}` }],
    ['secret', { given: `key=${SECRET};`, want: 'key=<redacted:secret>;' }],
    ['secret percent-encoded', { given: `q=${encodeURIComponent(SECRET)}&x=1`, want: 'q=<redacted:secret>&x=1' }],
    ['secret base64', { given: Buffer.from(SECRET).toString('base64'), want: '<redacted:secret>' }],
    ['secret JSON-escaped', { given: JSON.stringify(SECRET), want: '"<redacted:secret>"' }],
    ['nothing to redact', { given: 'plain words and 12345', want: 'plain words and 12345' }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(redactor().text(given)).toBe(want);
  });

  it.each(['u', 'us', 'usr', 'client-1'])('finds the secret inside base64 of %s:secret, at any alignment', (user) => {
    // Only the characters that also encode the user name or the padding can stay.
    const given = `Basic ${Buffer.from(`${user}:${SECRET}`).toString('base64')}`;
    expect(redactor().text(given)).toMatch(/^Basic [A-Za-z0-9+/]{0,14}<redacted:secret>[A-Za-z0-9+/=]{0,4}$/);
  });

  it('finds a secret that starts inside a digit run or JWT-like run and ends outside it', () => {
    const r = createRedactor({ secrets: ['4567!pin', 'Jabc!key'] });
    expect(r.text('00000001234567!pin rest')).toBe('0000000123<redacted:secret> rest');
    expect(r.text('eyJxxJabc!key')).toBe('eyJxx<redacted:secret>');
  });

  it('can leave national ids alone', () => {
    expect(createRedactor({ nationalIds: false }).text(FNR)).toBe(FNR);
  });

  it('ignores secrets too short to redact safely', () => {
    const r = createRedactor({ secrets: ['abc'] });
    r.addSecret('xy');
    expect(r.text('abc xy')).toBe('abc xy');
  });

  it('scrubs a secret learned at run time', () => {
    const r = redactor();
    r.addSecret('issued-token-123');
    expect(r.text('echo issued-token-123')).toBe('echo <redacted:secret>');
  });
});

describe('headers', () => {
  const cases: Case<[string, string], string>[] = [
    ['Bearer keeps its scheme', { given: ['Authorization', 'Bearer abc.def'], want: 'Bearer <redacted:header>' }],
    ['Basic keeps its scheme', { given: ['authorization', 'Basic dXNlcjpwYXNz'], want: 'Basic <redacted:header>' }],
    ['a bare key in Authorization', { given: ['Authorization', 'k-123'], want: '<redacted:header>' }],
    ['Proxy-Authorization', { given: ['Proxy-Authorization', 'Digest username="u", response="r"'], want: 'Digest <redacted:header>' }],
    ['X-Api-Key', { given: ['X-API-KEY', 'k'], want: '<redacted:header>' }],
    ['Api-Key', { given: ['Api-Key', 'k'], want: '<redacted:header>' }],
    ['name containing token', { given: ['X-CSRF-Token', 'abc'], want: '<redacted:header>' }],
    ['name containing secret', { given: ['X-Client-Secret', 'abc'], want: '<redacted:header>' }],
    ['name containing password', { given: ['X-Password', 'abc'], want: '<redacted:header>' }],
    ['name containing apikey', { given: ['X-Vendor-ApiKey', 'abc'], want: '<redacted:header>' }],
    ['configured header', { given: ['X-Customer-Number', '42'], want: '<redacted:header>' }],
    ['rate-limit token counts stay', { given: ['x-ratelimit-remaining-tokens', '9000'], want: '9000' }],
    ['Cookie keeps names', { given: ['Cookie', 'sid=abc; theme=dark'], want: 'sid=<redacted:header>; theme=<redacted:header>' }],
    [
      'Set-Cookie keeps attributes',
      { given: ['Set-Cookie', 'sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax'], want: 'sid=<redacted:header>; Path=/; Secure; HttpOnly; SameSite=Lax' },
    ],
    ['Location gets URL redaction', { given: ['Location', '/cb?code=1&access_token=t'], want: '/cb?code=1&access_token=<redacted:query>' }],
    ['other headers are scrubbed as text', { given: ['X-Debug', `user ${FNR} via ${JWT}`], want: 'user <redacted:fnr> via <redacted:jwt>' }],
    ['content type stays', { given: ['Content-Type', 'application/json'], want: 'application/json' }],
    ['empty value stays', { given: ['Authorization', ''], want: '' }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(redactor({ headers: ['x-customer-number'] }).headerValue(given[0], given[1])).toBe(want);
  });
});

describe('urls', () => {
  const cases: Case<string, string>[] = [
    ['access_token', { given: 'https://api.example/v1/x?access_token=abc&page=2', want: 'https://api.example/v1/x?access_token=<redacted:query>&page=2' }],
    ['names are case-insensitive', { given: 'https://h/x?API_KEY=a&Key=b&SIG=c', want: 'https://h/x?API_KEY=<redacted:query>&Key=<redacted:query>&SIG=<redacted:query>' }],
    ['every built-in name', {
      given: 'https://h/?apikey=1&token=2&client_secret=3&password=4&signature=5',
      want: 'https://h/?apikey=<redacted:query>&token=<redacted:query>&client_secret=<redacted:query>&password=<redacted:query>&signature=<redacted:query>',
    }],
    ['pre-signed S3 URL', {
      given: 'https://b.s3/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=ff&X-Amz-Expires=60',
      want: 'https://b.s3/k?X-Amz-Credential=<redacted:query>&X-Amz-Signature=<redacted:query>&X-Amz-Expires=60',
    }],
    ['configured parameter', { given: 'https://h/x?customerKey=9&b=1', want: 'https://h/x?customerKey=<redacted:query>&b=1' }],
    ['password in userinfo', { given: 'https://user:pw@h/x', want: 'https://user:<redacted:secret>@h/x' }],
    ['fragment of the implicit flow', { given: 'https://app/cb#access_token=abc&state=1', want: 'https://app/cb#access_token=<redacted:query>&state=1' }],
    ['fnr in the path', { given: `https://h/persons/${FNR}/address`, want: 'https://h/persons/<redacted:fnr>/address' }],
    ['fnr in a parameter value', { given: `https://h/p?nin=${FNR}`, want: 'https://h/p?nin=<redacted:fnr>' }],
    ['secret encoded in a value', { given: `https://h/p?q=${encodeURIComponent(SECRET)}`, want: 'https://h/p?q=<redacted:secret>' }],
    ['secret form-encoded', { given: `https://h/p?q=${new URLSearchParams({ a: SECRET }).toString().slice(2)}`, want: 'https://h/p?q=<redacted:secret>' }],
    ['empty credential stays empty', { given: 'https://h/p?token=&a', want: 'https://h/p?token=&a' }],
    ['untouched otherwise, encoding kept', { given: 'https://h/a%20b?x=%C3%A5&y=1+2#top', want: 'https://h/a%20b?x=%C3%A5&y=1+2#top' }],
    ['relative URL', { given: '/x?token=1', want: '/x?token=<redacted:query>' }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(redactor({ queryParams: ['CustomerKey'] }).url(given)).toBe(want);
  });
});

// ---- bodies, through whole exchanges ----

function exchange(overrides: { request?: Partial<Exchange['request']>; response?: Partial<NonNullable<Exchange['response']>> } = {}): Exchange {
  const body = overrides.response?.body ?? Buffer.from('{}');
  return {
    startedAt: new Date('2025-01-02T03:04:05.678Z'),
    time: 12,
    request: { method: 'GET', url: 'https://api.example/v1/customers', headers: [['Accept', 'application/json']], ...overrides.request },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: '1.1',
      headers: [['Content-Type', 'application/json']],
      bodySize: body.length,
      truncated: false,
      ...overrides.response,
      body,
    },
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 10, receive: 2 },
  };
}

function redactJson(text: string, options: RedactorOptions = {}, truncated = false): { text: string; zeroed: string[] } {
  const r = redactor(options);
  const { exchange: out, report } = r.redactExchange(exchange({ response: { body: Buffer.from(text), truncated } }));
  return { text: out.response!.body.toString('utf8'), zeroed: report.response!.zeroed };
}

describe('JSON bodies', () => {
  const paths = { jsonPaths: ['customer.ssn', 'items[*].iban', '**.pin', '/meta/score', 'flags.vip', 'profile'] };
  const cases: Case<string, string>[] = [
    ['token response', {
      given: '{"access_token":"at-1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-1"}',
      want: '{"access_token":"<redacted:field>","token_type":"Bearer","expires_in":3600,"refresh_token":"<redacted:field>"}',
    }],
    ['credential names in any spelling and depth', {
      given: '{"a":{"clientSecret":"x","Password":"y","newPassword":"z","api-key":"k","apiKey":"k2","id_token":"i","assertion":"s"}}',
      want: '{"a":{"clientSecret":"<redacted:field>","Password":"<redacted:field>","newPassword":"<redacted:field>","api-key":"<redacted:field>","apiKey":"<redacted:field>","id_token":"<redacted:field>","assertion":"<redacted:field>"}}',
    }],
    ['not credentials', { given: '{"token_type":"Bearer","nextPageToken":"p2","passwordPolicy":"strong"}', want: '{"token_type":"Bearer","nextPageToken":"p2","passwordPolicy":"strong"}' }],
    ['configured path', { given: '{"customer":{"ssn":"123","name":"Kari"}}', want: '{"customer":{"ssn":"<redacted:field>","name":"Kari"}}' }],
    ['path with [*] across an array', {
      given: '{"items":[{"iban":"NO93"},{"iban":"NO94","amount":5},{}]}',
      want: '{"items":[{"iban":"<redacted:field>"},{"iban":"<redacted:field>","amount":5},{}]}',
    }],
    ['** at any depth, arrays included', { given: '[{"pin":"1"},{"x":[{"pin":"2"}]}]', want: '[{"pin":"<redacted:field>"},{"x":[{"pin":"<redacted:field>"}]}]' }],
    ['pointer-style path, number keeps its type', { given: '{"meta":{"score":712}}', want: '{"meta":{"score":0}}' }],
    ['boolean keeps its type', { given: '{"flags":{"vip":true}}', want: '{"flags":{"vip":false}}' }],
    ['container keeps its shape', {
      given: '{"profile":{"name":"Kari","age":41,"tags":["a","b"],"x":null,"ok":true}}',
      want: '{"profile":{"name":"<redacted:field>","age":0,"tags":["<redacted:field>","<redacted:field>"],"x":null,"ok":false}}',
    }],
    ['paths do not match elsewhere', { given: '{"ssn":"1","x":{"customer":{"ssn":"2"}}}', want: '{"ssn":"1","x":{"customer":{"ssn":"2"}}}' }],
    ['fnr in a string, a key and as a number', {
      given: `{"note":"fnr ${FNR}","${FNR_2}":{"id":${FNR}},"other":12345678901}`,
      want: '{"note":"fnr <redacted:fnr>","<redacted:fnr>":{"id":0},"other":12345678901}',
    }],
    ['JWT and secret in values', { given: `{"a":"${JWT}","b":"x ${SECRET}"}`, want: '{"a":"<redacted:jwt>","b":"x <redacted:secret>"}' }],
    ['escaped key still matches', { given: '{"pass\\u0077ord":"x"}', want: '{"pass\\u0077ord":"<redacted:field>"}' }],
    ['escapes in values survive', { given: '{"s":"a\\"b\\\\","t":"\\u00e5"}', want: '{"s":"a\\"b\\\\","t":"\\u00e5"}' }],
    ['formatting, big numbers and duplicate keys survive', {
      given: '{\n  "a" : 1.0,\n  "big": 123456789012345678901234567890,\n  "a": 2e3\n}\n',
      want: '{\n  "a" : 1.0,\n  "big": 123456789012345678901234567890,\n  "a": 2e3\n}\n',
    }],
    ['__proto__ is only text', {
      given: '{"__proto__":{"password":"p","polluted":true},"constructor":{"prototype":{"token":"t"}}}',
      want: '{"__proto__":{"password":"<redacted:field>","polluted":true},"constructor":{"prototype":{"token":"<redacted:field>"}}}',
    }],
    ['empty strings and null stay', { given: '{"password":"","token":null}', want: '{"password":"","token":null}' }],
    ['NDJSON', { given: '{"token":"a"}\n{"token":"b"}\n', want: '{"token":"<redacted:field>"}\n{"token":"<redacted:field>"}\n' }],
    ['not JSON after all: scrubbed as text', { given: `{"a": "${FNR}", oops ${JWT}`, want: '{"a": "<redacted:fnr>", oops <redacted:jwt>' }],
    ['text that is no JSON at all', { given: `<html>${FNR}</html>`, want: '<html><redacted:fnr></html>' }],
    ['byte order mark', { given: '\uFEFF{"token":"a"}', want: '\uFEFF{"token":"a"}'.replace('"a"', '"<redacted:field>"') }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(redactJson(given, paths).text).toBe(want);
  });

  it('reports the pointers of numbers and booleans it replaced', () => {
    const { zeroed } = redactJson('{"meta":{"score":1},"flags":{"vip":true},"a/b":{"pin":5},"list":[' + FNR + ']}', paths);
    expect(zeroed).toEqual(['/meta/score', '/flags/vip', '/a~1b/pin', '/list/0']);
  });

  it('does not pollute prototypes', () => {
    redactJson('{"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('redacts a body cut at the size cap as far as it goes', () => {
    expect(redactJson('{"items":[{"password":"hunter2-and-mo', {}, true).text).toBe('{"items":[{"password":"<redacted:field>');
    expect(redactJson(`{"a":"x","b":"${JWT.slice(0, 40)}`, {}, true).text).toBe('{"a":"x","b":"<redacted:jwt>');
    expect(redactJson(`{"a":"${SECRET.slice(0, 10)}`, {}, true).text).toBe('{"a":"<redacted:secret>');
    expect(redactJson('{"a":[1,2,', {}, true).text).toBe('{"a":[1,2,');
  });

  it('survives deep nesting without recursion', () => {
    const depth = 100_000;
    const text = '['.repeat(depth) + `"${FNR}"` + ']'.repeat(depth);
    expect(redactJson(text).text).toBe('['.repeat(depth) + '"<redacted:fnr>"' + ']'.repeat(depth));
  });

  it('rejects a malformed path when created', () => {
    expect(() => createRedactor({ jsonPaths: ['items[x'] })).toThrow(expect.objectContaining({ code: 'RECON_REDACTION_PATH' }));
    expect(() => createRedactor({ jsonPaths: ['a..b'] })).toThrow(/a\.\.b/);
  });
});

describe('other bodies', () => {
  function withBody(contentType: string, body: Buffer | string, direction: 'request' | 'response' = 'response'): Buffer | string {
    const headers: HeaderList = [['Content-Type', contentType]];
    const e =
      direction === 'request'
        ? exchange({ request: { method: 'POST', headers, body } })
        : exchange({ response: { headers, body: Buffer.isBuffer(body) ? body : Buffer.from(body) } });
    const out = redactor({ jsonPaths: ['ssn'] }).exchange(e);
    return direction === 'request' ? out.request.body! : out.response!.body;
  }

  const cases: Case<[string, string], string>[] = [
    ['form: client credentials', {
      given: ['application/x-www-form-urlencoded', 'grant_type=client_credentials&client_id=app&client_secret=abc%2Bdef&scope=a+b'],
      want: 'grant_type=client_credentials&client_id=app&client_secret=<redacted:field>&scope=a+b',
    }],
    ['form: password grant and configured field', {
      given: ['application/x-www-form-urlencoded; charset=UTF-8', `username=kari&password=pw&ssn=${FNR}`],
      want: 'username=kari&password=<redacted:field>&ssn=<redacted:field>',
    }],
    ['form: JWT assertion and fnr values', {
      given: ['application/x-www-form-urlencoded', `client_assertion=${JWT}&note=${FNR}&other=${JWT_2}`],
      want: 'client_assertion=<redacted:field>&note=<redacted:fnr>&other=<redacted:jwt>',
    }],
    ['text', { given: ['text/plain', `user ${FNR} key ${SECRET} jwt ${JWT}`], want: 'user <redacted:fnr> key <redacted:secret> jwt <redacted:jwt>' }],
    ['XML', { given: ['application/xml', `<p><nin>${FNR}</nin></p>`], want: '<p><nin><redacted:fnr></nin></p>' }],
    ['JSON request body', { given: ['application/json', '{"ssn":"1","password":"p"}'], want: '{"ssn":"<redacted:field>","password":"<redacted:field>"}' }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(withBody(given[0], given[1], 'request')).toBe(want);
    expect(withBody(given[0], given[1], 'response').toString()).toBe(want);
  });

  it('keeps binary bytes and length but overwrites a secret written in them', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]), Buffer.from(`tEXt${SECRET}`), Buffer.from([0xfe, 0x01])]);
    const out = withBody('image/png', png) as Buffer;
    expect(out.length).toBe(png.length);
    expect(out.subarray(0, 14)).toEqual(png.subarray(0, 14));
    expect(out.includes(SECRET)).toBe(false);
    expect(out.subarray(14, 14 + SECRET.length).toString()).toBe('*'.repeat(SECRET.length));
  });

  it('treats non-UTF-8 text (Latin-1) as bytes, keeping them unchanged', () => {
    const latin1 = Buffer.from(`Blåbærsyltetøy ${FNR}`, 'latin1');
    const out = withBody('text/plain; charset=iso-8859-1', latin1) as Buffer;
    expect(out.toString('latin1')).toBe(`Blåbærsyltetøy ${'*'.repeat(11)}`);
  });
});

describe('exchanges', () => {
  it('returns a deep copy and never changes its input', () => {
    const e = exchange({
      request: { method: 'POST', url: `https://h/x?token=t&nin=${FNR}`, headers: [['Authorization', 'Bearer abcdefghij']], body: '{"password":"p"}' },
      response: { body: Buffer.from(`{"fnr":"${FNR}"}`) },
    });
    e.operation = { method: 'POST', path: '/x', operationId: 'createX' };
    const before = JSON.stringify(e);
    const out = redactor().exchange(e);
    expect(JSON.stringify(e)).toBe(before);
    expect(out.request.headers).not.toBe(e.request.headers);
    expect(out.response!.body).not.toBe(e.response!.body);
    expect(out.timings).not.toBe(e.timings);
    expect(out.operation).toEqual(e.operation);
    expect(out.operation).not.toBe(e.operation);
    expect(out.startedAt.getTime()).toBe(e.startedAt.getTime());
  });

  it('learns the bearer token and scrubs it where the vendor echoes it, now and later', () => {
    const token = 'opaque-token-0123456789';
    const r = redactor();
    const first = r.redactExchange(
      exchange({
        request: { headers: [['Authorization', `Bearer ${token}`]] },
        response: { body: Buffer.from(`{"debug":"auth=Bearer ${token}"}`) },
      }),
    );
    expect(first.exchange.response!.body.toString()).toBe('{"debug":"auth=Bearer <redacted:secret>"}');
    const later = r.exchange(exchange({ response: { headers: [['Content-Type', 'text/plain']], body: Buffer.from(`seen ${token}`) } }));
    expect(later.response!.body.toString()).toBe('seen <redacted:secret>');
  });

  it('learns a token issued in a token response', () => {
    const r = redactor();
    r.exchange(exchange({ response: { body: Buffer.from('{"access_token":"issued-at-987654321","expires_in":60}') } }));
    expect(r.text('Bearer issued-at-987654321')).toBe('Bearer <redacted:secret>');
  });

  it('learns the password inside Basic credentials', () => {
    const r = redactor();
    r.exchange(exchange({ request: { headers: [['Authorization', `Basic ${Buffer.from('user:basic-password-1').toString('base64')}`]] } }));
    expect(r.text('pw basic-password-1')).toBe('pw <redacted:secret>');
  });

  it('does not learn short values', () => {
    const r = redactor();
    r.exchange(exchange({ request: { headers: [['X-Api-Key', 'short']] } }));
    expect(r.text('a short text')).toBe('a short text');
  });

  it('counts what it redacted', () => {
    const { report } = redactor().redactExchange(
      exchange({
        request: { url: `https://h/x?api_key=k&nin=${FNR}`, headers: [['Authorization', 'Bearer x']] },
        response: { body: Buffer.from(`{"token":"a","n":${FNR},"j":"${JWT}"}`) },
      }),
    );
    expect(report.counts).toEqual({ header: 1, query: 1, secret: 0, jwt: 1, fnr: 2, field: 1 });
    expect(report.response).toMatchObject({ kind: 'json', zeroed: ['/n'], zeroedCount: 1 });
  });

  it('scrubs a transport failure message and the purpose', () => {
    const e = exchange();
    delete e.response;
    e.failure = { code: 'ECONNREFUSED', message: `connect to https://h/?token=${SECRET} failed` };
    e.purpose = `look up ${FNR}`;
    const out = redactor().exchange(e);
    expect(out.failure).toEqual({ code: 'ECONNREFUSED', message: 'connect to https://h/?token=<redacted:secret> failed' });
    expect(out.purpose).toBe('look up <redacted:fnr>');
  });
});

describe('the fast path for clean JSON bodies', () => {
  // A body is passed through untouched only when nothing in it can need redaction; each of
  // these must still take the field-by-field scan.
  const cases: Case<string, string>[] = [
    ['a clean page of customers stays byte for byte', { given: '{"data":[{"id":1,"name":"Fjord AS","org":"912345678"}],"page":1}', want: '{"data":[{"id":1,"name":"Fjord AS","org":"912345678"}],"page":1}' }],
    ['a credential key written with a \\u escape', { given: '{"p\\u0061ssword":"hunter2"}', want: '{"p\\u0061ssword":"<redacted:field>"}' }],
    ['a credential key in odd spelling', { given: '{"Client-Secret_":"x"}', want: '{"Client-Secret_":"<redacted:field>"}' }],
    ['a known secret inside an ordinary value', { given: `{"note":"key is ${SECRET}"}`, want: '{"note":"key is <redacted:secret>"}' }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(redactJson(given).text).toBe(want);
  });

  it('a configured path is honoured even when nothing else is found', () => {
    expect(redactJson('{"customer":{"ssn":"x1"}}', { jsonPaths: ['customer.ssn'] }).text).toBe('{"customer":{"ssn":"<redacted:field>"}}');
  });

  it('keeps the very same bytes when nothing changed', () => {
    const body = Buffer.from('{"data":[{"id":1}]}');
    const { exchange: out } = redactor().redactExchange(exchange({ response: { body } }));
    expect(out.response!.body).toBe(body);
  });
});
