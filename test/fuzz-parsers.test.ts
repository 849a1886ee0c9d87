/**
 * Property-based fuzzing of recon's parsers (fast-check, at least 1,000 cases each; a fixed seed
 * in CI, printed with a replay path on failure): whatever the input, each parser returns its
 * result or throws recon's own error (a ReconError with a stable code) — never anything else,
 * never a hang — and none of them touches Object.prototype.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReconError } from '../src/errors.js';
import { buildInventory, loadSpec } from '../src/spec/index.js';
import { readRecording } from '../src/drift/recording/index.js';
import { parseRateLimitHeaders } from '../src/limits/headers.js';
import { parseTemplate, renderTemplate, TemplateSyntaxError } from '../src/runtime/connector/template.js';
import { ConnectorInputError } from '../src/runtime/connector/errors.js';
import { readInput } from '../src/runtime/input/index.js';
import { fuzzParameters, hostileJson, prototypeSnapshot, HOSTILE_KEYS } from './helpers/hostile-fuzz.js';

const PROTOTYPE = prototypeSnapshot();
let dir: string;
let counter = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recon-fuzz-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, `${counter++}-${name}`);
  await writeFile(path, content);
  return path;
}

/** Resolves, or rejects with a ReconError; anything else (or a hang) fails the property. */
async function onlyReconErrors(what: string, run: () => Promise<unknown>, ms = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms)));
  try {
    await Promise.race([run(), hang]);
  } catch (error) {
    if (!isReconError(error)) throw error;
    expect(typeof error.code).toBe('string');
    expect([2, 3]).toContain(error.exitCode);
  } finally {
    clearTimeout(timer);
  }
  expect(prototypeSnapshot()).toBe(PROTOTYPE);
}

const specLike = fc.record(
  {
    openapi: fc.oneof(fc.constantFrom('3.0.3', '3.1.0', '2.0', '4.0', 3, null), fc.string()),
    swagger: fc.constantFrom('2.0', '1.2', 2),
    info: fc.oneof(fc.record({ title: fc.string(), version: fc.string() }), hostileJson),
    paths: fc.oneof(fc.dictionary(fc.oneof(fc.constant('/a/{id}'), fc.string()), fc.dictionary(fc.constantFrom('get', 'post', 'parameters', '$ref', '__proto__'), hostileJson, { maxKeys: 3 }), { maxKeys: 3 }), hostileJson),
    components: fc.record({ schemas: fc.dictionary(fc.string(), fc.oneof(hostileJson, fc.record({ $ref: fc.oneof(fc.constant('#/components/schemas/A'), fc.string()) })), { maxKeys: 3 }) }),
    servers: hostileJson,
  },
  { requiredKeys: [] },
);

describe('fuzz: the spec loader returns a document or throws a ReconError', () => {
  it('arbitrary JSON/YAML-ish documents', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          specLike.map((doc) => ({ name: 'api.json', text: JSON.stringify(doc) })),
          specLike.map((doc) => ({ name: 'api.yaml', text: JSON.stringify(doc, null, 1) })),
          fc.string({ unit: 'binary', maxLength: 300 }).map((text) => ({ name: 'api.yaml', text: `openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths:\n  ${text}` })),
          fc.string({ unit: 'grapheme', maxLength: 200 }).map((text) => ({ name: 'api.yaml', text })),
          fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ name: 'api.json', text: Buffer.from(bytes).toString('latin1') })),
        ),
        // What recon spec does with a document it loaded: the inventory must not throw either.
        async ({ name, text }) => onlyReconErrors('loadSpec', async () => buildInventory(await loadSpec(await file(name, text), { timeoutMs: 1_000 }))),
      ),
      fuzzParameters(),
    );
  }, 60_000);
});

const harEntry = fc.record(
  {
    startedDateTime: fc.oneof(fc.constant('2026-01-01T00:00:00Z'), fc.string()),
    time: fc.oneof(fc.double(), fc.string()),
    request: fc.oneof(fc.record({ method: fc.constantFrom('GET', 'POST', '', '\u0000'), url: fc.oneof(fc.webUrl(), fc.string()), headers: fc.oneof(fc.array(fc.record({ name: fc.string(), value: fc.string() }), { maxLength: 3 }), hostileJson) }), hostileJson),
    response: fc.oneof(
      fc.record({
        status: fc.oneof(fc.integer({ min: -1, max: 700 }), fc.double(), fc.string()),
        headers: fc.oneof(fc.array(fc.record({ name: fc.constantFrom('Content-Type', 'Content-Encoding', 'X-RateLimit-Limit', '__proto__'), value: fc.string() }), { maxLength: 3 }), hostileJson),
        content: fc.oneof(fc.record({ mimeType: fc.constantFrom('application/json', 'text/html', 'image/png', ''), text: fc.oneof(fc.string(), hostileJson.map((v) => JSON.stringify(v) ?? '')), encoding: fc.constantFrom(undefined, 'base64', 'gzip') }, { requiredKeys: [] }), hostileJson),
      }),
      hostileJson,
    ),
  },
  { requiredKeys: [] },
);

describe('fuzz: the HAR reader yields exchanges or skipped entries, or throws a ReconError', () => {
  const consume = async (path: string) => {
    for await (const item of readRecording(path, 0, { chunkSize: 64 })) expect(item).toBeDefined();
  };
  it('arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.string({ maxLength: 400 }).map((s) => Buffer.from(s))), async (bytes) => onlyReconErrors('readRecording', async () => consume(await file('x.har', bytes)))),
      fuzzParameters(),
    );
  }, 60_000);

  it('structurally mutated HARs (and cut at a random point)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(harEntry, { maxLength: 4 }), hostileJson, fc.nat(), fc.boolean(), async (entries, extra, cut, truncate) => {
        let text = JSON.stringify({ log: { version: '1.2', creator: { name: 'fuzz', version: '1' }, entries, extra } });
        if (truncate) text = text.slice(0, cut % (text.length + 1));
        await onlyReconErrors('readRecording', async () => consume(await file('m.har', text)));
      }),
      fuzzParameters(),
    );
  }, 60_000);
});

const headerNames = fc.constantFrom(
  'ratelimit', 'ratelimit-policy', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset',
  'x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset', 'retry-after', 'x-ratelimit-limit-minute', 'x-ratelimit-remaining-second', 'x-ratelimit-used', '__proto__', 'constructor',
);
const headerValue = fc.oneof(
  fc.string(),
  fc.constantFrom('NaN', '1e400', '-0', '18446744073709551616', 'Infinity', '-5', '0', '60', 'Thu, 01 Jan 1970 00:00:00 GMT', 'limit=100, remaining=50, reset=30', '"default";r=50;t=30', '100;w=60', ';;;,,', 'q=', '\u0000', 'a'.repeat(5000)),
  fc.integer().map(String),
  fc.double().map(String),
);

describe('fuzz: rate-limit headers never throw; numbers stay finite', () => {
  it('arbitrary header maps', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(headerNames, fc.string()), headerValue), { maxLength: 8 }), fc.oneof(fc.date({ noInvalidDate: true }), fc.constant(new Date(0))), (pairs, now) => {
        const parsed = parseRateLimitHeaders(pairs, now);
        for (const reading of parsed.readings) {
          for (const field of ['limit', 'remaining', 'windowSeconds', 'resetSeconds'] as const) {
            const value = reading[field];
            if (value !== undefined) expect(Number.isFinite(value), `${field} ${value}`).toBe(true);
          }
        }
        if (parsed.retryAfterSeconds !== undefined) {
          expect(Number.isFinite(parsed.retryAfterSeconds)).toBe(true);
          expect(parsed.retryAfterSeconds).toBeGreaterThanOrEqual(0);
        }
        expect(Array.isArray(parsed.problems)).toBe(true);
        expect(prototypeSnapshot()).toBe(PROTOTYPE);
      }),
      fuzzParameters(2_000),
    );
  });

  it('garbage in a known header is a problem, not a number', () => {
    fc.assert(
      fc.property(fc.constantFrom('x-ratelimit-limit', 'x-ratelimit-remaining'), fc.stringMatching(/^[a-z!;=,]{1,12}$/), (name, garbage) => {
        const parsed = parseRateLimitHeaders([[name, garbage]], new Date());
        expect(parsed.readings.every((r) => r.limit === undefined && r.remaining === undefined)).toBe(true);
      }),
      fuzzParameters(),
    );
  });
});

const templateString = fc.oneof(
  fc.string(),
  fc.constantFrom('${/a}', '${/a/b}', '${id}', '${key}', '$${/a}', '${', '${}', '${/__proto__/polluted}', '${/constructor/prototype}', "${constructor.constructor('return process')()}", '${process.exit(1)}', '${/a/~2}', 'x${/a}y${/b}z'),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('${', '}', '/', '~0', '~1', '$', 'id', 'key', '__proto__')), { maxLength: 8 }).map((parts) => parts.join('')),
);
const template = fc.letrec((tie) => ({
  t: fc.oneof({ depthSize: 'small' }, templateString, hostileJson, fc.array(tie('t'), { maxLength: 3 }), fc.dictionary(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string()), tie('t'), { maxKeys: 3 })),
})).t;

describe('fuzz: connector templates render a value or throw ConnectorInputError; nothing is evaluated', () => {
  it('arbitrary templates and records', () => {
    let exited = false;
    const exit = process.exit;
    process.exit = (() => {
      exited = true;
    }) as typeof process.exit;
    try {
      fc.assert(
        fc.property(template, hostileJson, fc.string(), (tpl, record, id) => {
          try {
            const out = renderTemplate(tpl, { record, id, key: `k-${id}` });
            // A rendered object has only own, plain properties: `__proto__` stays a key.
            if (out !== null && typeof out === 'object' && !Array.isArray(out)) expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
          } catch (error) {
            expect(error).toBeInstanceOf(ConnectorInputError);
          }
          expect(exited).toBe(false);
          expect(prototypeSnapshot()).toBe(PROTOTYPE);
        }),
        fuzzParameters(2_000),
      );
    } finally {
      process.exit = exit;
    }
  });

  it('parseTemplate: parts or a TemplateSyntaxError, each part text, ${id}/${key} or a JSON pointer', () => {
    fc.assert(
      fc.property(templateString, (text) => {
        try {
          for (const part of parseTemplate(text)) {
            if ('text' in part) expect(typeof part.text).toBe('string');
            else if ('ref' in part) expect(['id', 'key']).toContain(part.ref);
            else expect(part.pointer).toMatch(/^(\/([^~]|~[01])*)*$/);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(TemplateSyntaxError);
        }
      }),
      fuzzParameters(),
    );
  });
});

describe('fuzz: the CSV/NDJSON/JSON input readers yield records or line errors', () => {
  const readAll = async (text: string | Buffer, format: 'csv' | 'ndjson' | 'json') => {
    const items = [];
    for await (const item of readInput(Readable.from([typeof text === 'string' ? Buffer.from(text) : text]), { format })) {
      expect(item.line).toBeGreaterThanOrEqual(1);
      expect(item.error !== undefined || (item.record !== null && typeof item.record === 'object')).toBe(true);
      items.push(item);
    }
    return items;
  };
  const csvText = fc.array(fc.array(fc.oneof(fc.string(), fc.constantFrom('"', '""', '"a,b"', '\r\n', '\n', ',', '\uFEFF', '\u0000', '__proto__')), { maxLength: 5 }), { maxLength: 6 }).map((rows) => rows.map((r) => r.join(',')).join('\n'));
  const ndjsonText = fc.array(fc.oneof(hostileJson.map((v) => JSON.stringify(v) ?? ''), fc.string()), { maxLength: 6 }).map((lines) => lines.join('\n'));

  for (const [format, arbitrary] of [
    ['csv', csvText],
    ['ndjson', ndjsonText],
    ['json', fc.oneof(fc.array(hostileJson, { maxLength: 5 }).map((v) => JSON.stringify(v)), fc.string().map((s) => `[${s}`))],
  ] as const) {
    it(`${format}: arbitrary text and bytes`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(arbitrary as fc.Arbitrary<string>, fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b))), async (input) =>
          onlyReconErrors(`readInput ${format}`, async () => readAll(input, format)),
        ),
        fuzzParameters(),
      );
    }, 60_000);
  }
});
