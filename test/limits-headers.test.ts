import { describe, expect, it } from 'vitest';
import { parseStructuredDictionary as parseDictionary, parseStructuredList as parseList, parseRateLimitHeaders, summariseReadings, type HeaderInput, type RateLimitReading } from '../src/limits/index.js';

const NOW = new Date('2025-01-01T00:00:00Z'); // 1735689600 epoch seconds
const NOW_S = NOW.getTime() / 1000;

/** A reading without `raw`, which the table does not repeat. */
type Want = Omit<RateLimitReading, 'raw'>;
const strip = (readings: RateLimitReading[]): Want[] => readings.map(({ raw: _raw, ...rest }) => rest);

describe('parseRateLimitHeaders: readings', () => {
  const cases: [string, { given: HeaderInput; want: Want[]; retryAfter?: number }][] = [
    ['no rate-limit headers', { given: { 'content-type': 'application/json' }, want: [] }],
    [
      // Tripletex's API documentation, "Rate limiting": X-Rate-Limit-Reset is "the number of seconds left in the current period".
      'Tripletex X-Rate-Limit-* with delta reset',
      { given: { 'X-Rate-Limit-Limit': '100', 'X-Rate-Limit-Remaining': '99', 'X-Rate-Limit-Reset': '42' }, want: [{ dialect: 'x-rate-limit', limit: 100, remaining: 99, resetSeconds: 42, resetForm: 'delta-seconds' }] },
    ],
    [
      'GitHub x-ratelimit-* with used, resource and epoch-seconds reset',
      {
        given: [['x-ratelimit-limit', '5000'], ['x-ratelimit-remaining', '4987'], ['x-ratelimit-reset', String(NOW_S + 1800)], ['x-ratelimit-used', '13'], ['x-ratelimit-resource', 'core']],
        want: [{ dialect: 'x-ratelimit', policy: 'core', limit: 5000, remaining: 4987, resetSeconds: 1800, resetForm: 'epoch-seconds' }],
      },
    ],
    [
      'remaining derived from limit - used',
      { given: { 'X-RateLimit-Limit': '60', 'X-RateLimit-Used': '10' }, want: [{ dialect: 'x-ratelimit', limit: 60, remaining: 50 }] },
    ],
    [
      'epoch-millis reset',
      { given: { 'X-RateLimit-Limit': '10', 'X-RateLimit-Reset': String(NOW.getTime() + 2500) }, want: [{ dialect: 'x-ratelimit', limit: 10, resetSeconds: 2.5, resetForm: 'epoch-millis' }] },
    ],
    [
      'HTTP-date reset',
      { given: { 'X-RateLimit-Limit': '10', 'X-RateLimit-Reset': 'Wed, 01 Jan 2025 00:01:00 GMT' }, want: [{ dialect: 'x-ratelimit', limit: 10, resetSeconds: 60, resetForm: 'http-date' }] },
    ],
    [
      'Discord reset-after (decimal seconds) and bucket',
      {
        given: { 'X-RateLimit-Limit': '5', 'X-RateLimit-Remaining': '4', 'X-RateLimit-Reset': `${NOW_S + 1}.5`, 'X-RateLimit-Reset-After': '1.234', 'X-RateLimit-Bucket': 'abcd1234' },
        want: [{ dialect: 'x-ratelimit', policy: 'abcd1234', limit: 5, remaining: 4, resetSeconds: 1.234, resetForm: 'delta-seconds' }],
      },
    ],
    [
      'Kong windows',
      {
        given: { 'X-RateLimit-Limit-Minute': '10', 'X-RateLimit-Remaining-Minute': '9', 'X-RateLimit-Limit-Hour': '100', 'X-RateLimit-Remaining-Hour': '90' },
        want: [
          { dialect: 'x-ratelimit', policy: 'minute', windowSeconds: 60, limit: 10, remaining: 9 },
          { dialect: 'x-ratelimit', policy: 'hour', windowSeconds: 3600, limit: 100, remaining: 90 },
        ],
      },
    ],
    ['Shopify call limit', { given: { 'X-Shopify-Shop-Api-Call-Limit': '32/40' }, want: [{ dialect: 'vendor:shopify', limit: 40, remaining: 8 }] }],
    [
      'IETF draft 00–01: quota policies inside RateLimit-Limit',
      {
        given: { 'RateLimit-Limit': '10, 10;w=1, 1000;w=3600', 'RateLimit-Remaining': '9', 'RateLimit-Reset': '1' },
        want: [
          { dialect: 'ietf-separate', limit: 10, remaining: 9, resetSeconds: 1, resetForm: 'delta-seconds', windowSeconds: 1 },
          { dialect: 'ietf-separate', limit: 1000, windowSeconds: 3600 },
        ],
      },
    ],
    [
      'IETF draft 02: separate fields + RateLimit-Policy (express-rate-limit draft-6)',
      {
        given: { 'RateLimit-Policy': '100;w=60', 'RateLimit-Limit': '100', 'RateLimit-Remaining': '50', 'RateLimit-Reset': '30' },
        want: [{ dialect: 'ietf-separate', limit: 100, remaining: 50, resetSeconds: 30, resetForm: 'delta-seconds', windowSeconds: 60 }],
      },
    ],
    [
      'IETF drafts 03–07: combined dictionary',
      {
        given: { RateLimit: 'limit=100, remaining=50, reset=5', 'RateLimit-Policy': '100;w=60' },
        want: [{ dialect: 'ietf-combined', limit: 100, remaining: 50, resetSeconds: 5, resetForm: 'delta-seconds', windowSeconds: 60 }],
      },
    ],
    [
      'IETF drafts 08+: two named policies',
      {
        given: [
          ['RateLimit-Policy', '"permin";q=50;w=60, "perday";q=1000;w=86400'],
          ['RateLimit', '"permin";r=50;t=30'],
        ],
        want: [
          { dialect: 'ietf-structured', policy: 'permin', limit: 50, windowSeconds: 60, remaining: 50, resetSeconds: 30, resetForm: 'delta-seconds' },
          { dialect: 'ietf-structured', policy: 'perday', limit: 1000, windowSeconds: 86400 },
        ],
      },
    ],
    [
      'IETF drafts 08+: repeated fields, spaces and partition keys (express-rate-limit draft-8)',
      {
        given: [
          ['RateLimit-Policy', '"100-in-1min"; q=100; w=60; pk=:ZmQ0MzA5NmE5MWE2:'],
          ['RateLimit', '"100-in-1min"; r=99; t=60'],
          ['ratelimit-policy', '"daily";q=5000;w=86400'],
          ['ratelimit', '"daily";r=4000;t=3600'],
        ],
        want: [
          { dialect: 'ietf-structured', policy: '100-in-1min', limit: 100, windowSeconds: 60, partitionKey: 'ZmQ0MzA5NmE5MWE2', remaining: 99, resetSeconds: 60, resetForm: 'delta-seconds' },
          { dialect: 'ietf-structured', policy: 'daily', limit: 5000, windowSeconds: 86400, remaining: 4000, resetSeconds: 3600, resetForm: 'delta-seconds' },
        ],
      },
    ],
    [
      'header names are case-insensitive; arrays are repeated fields',
      { given: { 'x-RATE-limit-LIMIT': ['100'], 'X-Rate-Limit-Remaining': '7' }, want: [{ dialect: 'x-rate-limit', limit: 100, remaining: 7 }] },
    ],
    ['Retry-After in seconds', { given: { 'Retry-After': '120' }, want: [], retryAfter: 120 }],
    ['Retry-After as HTTP-date', { given: { 'Retry-After': 'Wed, 01 Jan 2025 00:02:00 GMT' }, want: [], retryAfter: 120 }],
    ['Retry-After as obsolete RFC 850 date', { given: { 'Retry-After': 'Wednesday, 01-Jan-25 00:00:30 GMT' }, want: [], retryAfter: 30 }],
    ['Retry-After as asctime date', { given: { 'Retry-After': 'Wed Jan  1 00:00:10 2025' }, want: [], retryAfter: 10 }],
    ['Retry-After date in the past is 0', { given: { 'Retry-After': 'Tue, 31 Dec 2024 23:00:00 GMT' }, want: [], retryAfter: 0 }],
    [
      'Retry-After alongside a reading',
      { given: { 'Retry-After': '30', 'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': '0' }, want: [{ dialect: 'x-ratelimit', limit: 10, remaining: 0 }], retryAfter: 30 },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want, retryAfter }) => {
    const result = parseRateLimitHeaders(given, NOW);
    expect(result.problems).toEqual([]);
    expect(strip(result.readings)).toEqual(want);
    expect(result.retryAfterSeconds).toBe(retryAfter);
  });

  it('keeps the raw values by lower-cased name', () => {
    const result = parseRateLimitHeaders([['X-Rate-Limit-Limit', '100'], ['X-Rate-Limit-Reset', '5']], NOW);
    expect(result.readings[0]?.raw).toEqual({ 'x-rate-limit-limit': '100', 'x-rate-limit-reset': '5' });
  });

  it('reads a fetch Headers object', () => {
    const result = parseRateLimitHeaders(new Headers({ 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '3' }), NOW);
    expect(strip(result.readings)).toEqual([{ dialect: 'x-ratelimit', limit: 10, remaining: 3 }]);
  });
});

describe('parseRateLimitHeaders: problems, never exceptions', () => {
  const cases: [string, { given: HeaderInput; problems: RegExp[]; want?: Want[] }][] = [
    ['negative limit', { given: { 'X-RateLimit-Limit': '-5' }, problems: [/X-RateLimit-Limit: "-5" is negative/], want: [{ dialect: 'x-ratelimit' }] }],
    ['non-numeric remaining', { given: { 'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': 'lots' }, problems: [/X-RateLimit-Remaining: "lots" is not a whole number/] }],
    ['huge limit', { given: { 'X-Rate-Limit-Limit': '99999999999999' }, problems: [/implausibly large/] }],
    ['remaining above limit', { given: { 'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': '11' }, problems: [/remaining 11 is more than the limit 10/] }],
    [
      'two dialects disagree about the limit',
      { given: { 'X-RateLimit-Limit': '100', 'RateLimit-Limit': '50' }, problems: [/x-ratelimit headers say the limit is 100 but the ietf-separate headers say 50/] },
    ],
    [
      'a repeated field with different values: the smallest limit wins',
      { given: [['X-RateLimit-Limit', '100'], ['X-RateLimit-Limit', '60']], problems: [/2 different values \(100, 60\); recon uses the smallest/], want: [{ dialect: 'x-ratelimit', limit: 60 }] },
    ],
    ['garbage reset', { given: { 'X-RateLimit-Reset': 'soon' }, problems: [/neither a number of seconds, a timestamp nor an HTTP-date/] }],
    ['reset timestamp in the past', { given: { 'X-RateLimit-Reset': String(NOW_S - 3600) }, problems: [/3600 s in the past/] }],
    ['negative reset', { given: { 'X-Rate-Limit-Reset': '-1' }, problems: [/is negative/] }],
    ['garbage Retry-After', { given: { 'Retry-After': 'tomorrow' }, problems: [/Retry-After: "tomorrow" is neither whole seconds nor an HTTP-date \(RFC 9110 §10.2.3\)/] }],
    ['Retry-After with an impossible date', { given: { 'Retry-After': 'Mon, 31 Feb 2025 00:00:00 GMT' }, problems: [/Retry-After/] }],
    ['malformed structured RateLimit-Policy', { given: { 'RateLimit-Policy': '"permin";q=50;w=60,', RateLimit: '"permin";r=1;t=1' }, problems: [/RateLimit-Policy: .* not a valid structured field \(RFC 8941\): trailing ","/] }],
    ['unterminated string', { given: { RateLimit: '"permin;r=1' }, problems: [/RateLimit: .*not a valid structured field/] }],
    ['decimal where an integer belongs', { given: { 'RateLimit-Policy': '"p";q=50.5;w=60' }, problems: [/"p" q: expected a non-negative integer, got decimal 50.5/] }],
    ['negative structured quota', { given: { 'RateLimit-Policy': '"p";q=-1;w=60' }, problems: [/"p" q: -1 is negative/] }],
    ['a policy that counts bytes', { given: { 'RateLimit-Policy': '"bw";q=1000000;w=60;qu="content-bytes"' }, problems: [/counts content-bytes, not requests/], want: [] }],
    ['Shopify garbage', { given: { 'X-Shopify-Shop-Api-Call-Limit': 'full' }, problems: [/not "used\/limit"/], want: [] }],
  ];
  it.each(cases)('%s', (_name, { given, problems, want }) => {
    const result = parseRateLimitHeaders(given, NOW);
    expect(result.problems).toHaveLength(problems.length);
    problems.forEach((p, i) => expect(result.problems[i]).toMatch(p));
    if (want) expect(strip(result.readings)).toEqual(want);
  });
});

describe('RFC 8941 subset', () => {
  const lists: [string, { given: string; want: unknown }][] = [
    ['integers, decimals, booleans', { given: '1, -2.5, ?1, ?0', want: [1, -2.5, true, false] }],
    ['strings with escapes', { given: '"a \\"q\\" \\\\ b"', want: ['a "q" \\ b'] }],
    ['tokens', { given: 'foo/bar, *baz:1', want: ['foo/bar', '*baz:1'] }],
    ['byte sequences', { given: ':aGVsbG8=:', want: ['aGVsbG8='] }],
    ['inner list', { given: '(1 2);p=?0, 3', want: [[1, 2], 3] }],
    ['empty', { given: '', want: [] }],
  ];
  it.each(lists)('list: %s', (_name, { given, want }) => {
    const parsed = parseList(given);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.map((m) => (m.kind === 'item' ? m.item.value : m.items.map((i) => i.item.value)))).toEqual(want);
  });

  const bad: [string, { given: string; error: RegExp }][] = [
    ['16-digit integer', { given: '1234567890123456', error: /at most 15 digits/ }],
    ['4 fractional digits', { given: '1.2345', error: /at most 3 fractional/ }],
    ['trailing dot', { given: '1.', error: /digit after/ }],
    ['bad escape', { given: '"a\\n"', error: /may be escaped/ }],
    ['non-ASCII in string', { given: '"é"', error: /printable ASCII/ }],
    ['bad boolean', { given: '?2', error: /\?0 or \?1/ }],
    ['unterminated bytes', { given: ':abc', error: /byte sequence/ }],
    ['upper-case parameter key', { given: '1;Q=2', error: /expected a key/ }],
    ['missing comma', { given: '1 2', error: /expected ","/ }],
    ['leading tab', { given: '\t1', error: /unexpected/ }],
  ];
  it.each(bad)('list rejects %s', (_name, { given, error }) => {
    const parsed = parseList(given);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });

  it('dictionary: bare keys are true, parameters kept', () => {
    const parsed = parseDictionary('limit=100, remaining=50;x=1, flag');
    if (!parsed.ok) throw new Error(parsed.error);
    expect([...parsed.value].map(([k, m]) => [k, m.kind === 'item' ? m.item.value : null, m.params.size])).toEqual([
      ['limit', 100, 0],
      ['remaining', 50, 1],
      ['flag', true, 0],
    ]);
  });
});

describe('summariseReadings', () => {
  const r = (x: Omit<RateLimitReading, 'raw' | 'dialect'>): RateLimitReading => ({ dialect: 'ietf-structured', raw: {}, ...x });
  const cases: [string, { given: RateLimitReading[]; want: Record<string, unknown> | undefined }][] = [
    ['nothing', { given: [], want: undefined }],
    ['one reading', { given: [r({ limit: 100, remaining: 10, windowSeconds: 60, resetSeconds: 5 })], want: { limit: 100, remaining: 10, windowSeconds: 60, resetSeconds: 5, sustained: { limit: 100, windowSeconds: 60, requestsPerSecond: 100 / 60 } } }],
    [
      'the fewest remaining binds now; the lowest rate binds the long run',
      {
        given: [r({ policy: 'permin', limit: 50, remaining: 40, windowSeconds: 60 }), r({ policy: 'perday', limit: 1000, remaining: 20, windowSeconds: 86400 })],
        want: { limit: 1000, remaining: 20, windowSeconds: 86400, sustained: { policy: 'perday', limit: 1000, windowSeconds: 86400, requestsPerSecond: 1000 / 86400 } },
      },
    ],
    [
      'a window taken from a policy with the same limit',
      { given: [{ dialect: 'x-ratelimit', raw: {}, limit: 100, remaining: 3 }, r({ limit: 100, windowSeconds: 60 })], want: { limit: 100, remaining: 3, windowSeconds: 60, sustained: { limit: 100, windowSeconds: 60, requestsPerSecond: 100 / 60 } } },
    ],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    const summary = summariseReadings(given);
    if (want === undefined) return expect(summary).toBeUndefined();
    const { current: _current, ...rest } = summary!;
    expect(rest).toEqual(want);
  });
});

describe('parseRateLimitHeaders against express-rate-limit on loopback', () => {
  it.each([
    ['legacy', 'x-ratelimit'],
    ['draft-6', 'ietf-separate'],
    ['draft-7', 'ietf-combined'],
    ['draft-8', 'ietf-structured'],
  ] as const)('%s headers read as %s', async (standardHeaders, dialect) => {
    const { default: express } = await import('express');
    const { rateLimit } = await import('express-rate-limit');
    const app = express();
    const legacy = standardHeaders === 'legacy';
    app.use(rateLimit({ windowMs: 60_000, limit: 5, standardHeaders: legacy ? false : standardHeaders, legacyHeaders: legacy }));
    app.get('/', (_req, res) => void res.send('ok'));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      let last: Response | undefined;
      for (let i = 0; i < 6; i++) last = await fetch(`http://127.0.0.1:${port}/`);
      const result = parseRateLimitHeaders(last!.headers, new Date());
      expect(last!.status).toBe(429);
      expect(result.problems).toEqual([]);
      const reading = result.readings.find((r) => r.dialect === dialect);
      expect(reading).toMatchObject({ limit: 5, remaining: 0 });
      expect(reading!.resetSeconds).toBeGreaterThan(50);
      expect(reading!.resetSeconds).toBeLessThanOrEqual(61); // legacy rounds the epoch up
      if (!legacy) expect(reading!.windowSeconds).toBe(60);
      if (!legacy) expect(result.retryAfterSeconds).toBeGreaterThan(50);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
