/**
 * drift's recording reader: HAR streamed entry by entry (keys in any order, escapes and UTF-8
 * split at any chunk boundary, truncated and malformed files), bodies decoded (base64, gzip, br,
 * deflate, binary, empty, cut), JSON bodies parsed with readable reasons, recordings found.
 */
import { gzipSync } from 'node:zlib';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CUT_BY_RECORDER,
  decodeBody,
  findRecordings,
  isJsonMediaType,
  parseJsonBody,
  readRecording,
  type ReadRecordingOptions,
} from '../src/drift/recording/index.js';
import type { ObservedExchange, SkippedExchange } from '../src/drift/types.js';
import { HarRecorder } from '../src/http/har/index.js';
import { createRedactor } from '../src/http/redact/index.js';
import type { Exchange } from '../src/http/types.js';

const ROOT = join(import.meta.dirname, '..');
const FIXTURES = join(ROOT, 'fixtures', 'drift', 'recordings');
const CHROMIUM_HAR = join(ROOT, 'fixtures', 'har', 'chromium-export.har');
const fixture = (name: string): string => join(FIXTURES, name);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recon-drift-recording-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Item = ObservedExchange | SkippedExchange;

async function readAll(file: string, options: ReadRecordingOptions = {}, recording = 0): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of readRecording(file, recording, options)) items.push(item);
  return items;
}

async function temp(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const exchanges = (items: Item[]): ObservedExchange[] => items.filter((i): i is ObservedExchange => !('reason' in i));
const skips = (items: Item[]): SkippedExchange[] => items.filter((i): i is SkippedExchange => 'reason' in i);

function harText(entries: unknown[], indent?: number): string {
  return JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries } }, null, indent);
}

function jsonEntry(i: number, text = `{"id":${i}}`): unknown {
  return {
    startedDateTime: '2025-01-02T10:00:00.000Z',
    request: { method: 'GET', url: `https://api.example/v1/items/${i}` },
    response: { status: 200, headers: [{ name: 'Content-Type', value: 'application/json' }], content: { size: text.length, mimeType: 'application/json', text } },
  };
}

describe('readRecording: files from real tools', () => {
  it('reads a Chromium export: exchanges, binary image, status 0 skipped', async () => {
    const items = await readAll(CHROMIUM_HAR, {}, 3);
    expect(items).toHaveLength(5);
    const [page, list, created, image, telemetry] = items as [ObservedExchange, ObservedExchange, ObservedExchange, ObservedExchange, SkippedExchange];
    expect(page).toMatchObject({ ref: { recording: 3, entry: 0 }, method: 'GET', status: 200, mediaType: 'text/html', startedDateTime: '2025-03-11T09:14:02.118Z' });
    expect(page.body.kind).toBe('text'); // labelled br, stored decoded: left as text
    expect(page.headers.map(([name]) => name)).toEqual(['cache-control', 'content-encoding', 'content-type', 'date', 'set-cookie', 'strict-transport-security']);
    expect(list).toMatchObject({ url: 'https://erp.example.no/api/v1/customers?page=1&pageSize=2&sort=name', mediaType: 'application/json' });
    expect(list.body.kind === 'text' && parseJsonBody(list.body.text).ok).toBe(true);
    expect(created).toMatchObject({ method: 'POST', status: 201 });
    expect(image).toMatchObject({ mediaType: 'image/png', body: { kind: 'binary', bytes: 68 } });
    expect(telemetry).toEqual({
      ref: { recording: 3, entry: 4 },
      method: 'POST',
      url: 'https://telemetry.example.net/collect',
      reason: 'no response (status 0: the request failed or was blocked): net::ERR_BLOCKED_BY_CLIENT',
    });
  });

  it('reads a recording written by HarRecorder, cut bodies and failures included', async () => {
    const body = Buffer.from('{"id":1,"name":"Fjord Bygg AS"}');
    const base: Exchange = {
      startedAt: new Date('2025-03-11T09:14:02.118Z'),
      time: 42,
      request: { method: 'GET', url: 'https://api.example/v1/customers/1', headers: [['Accept', 'application/json']] },
      response: { status: 200, statusText: 'OK', httpVersion: '1.1', headers: [['Content-Type', 'application/json; charset=utf-8']], body, bodySize: body.length, truncated: false },
      timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 40, receive: 2 },
    };
    const recorder = new HarRecorder({ redactor: createRedactor() });
    recorder.add(base);
    recorder.add({ ...base, response: { ...base.response!, body: body.subarray(0, 10), bodySize: 5_000_000, truncated: true } });
    const { response: _dropped, ...failed } = base;
    recorder.add({ ...failed, failure: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]);
    recorder.add({ ...base, response: { ...base.response!, headers: [['Content-Type', 'image/png']], body: png, bodySize: png.length } });
    const path = join(dir, 'recon.har');
    await recorder.write(path);

    const items = await readAll(path);
    expect(items[0]).toMatchObject({ method: 'GET', status: 200, mediaType: 'application/json', body: { kind: 'text', text: body.toString() }, startedDateTime: '2025-03-11T09:14:02.118Z' });
    expect(items[1]).toMatchObject({ body: { kind: 'omitted', reason: CUT_BY_RECORDER } });
    expect(items[2]).toMatchObject({ ref: { entry: 2 }, reason: 'no response (status 0: the request failed or was blocked): ECONNREFUSED' });
    expect(items[3]).toMatchObject({ mediaType: 'image/png', body: { kind: 'binary', bytes: 8 } });
  });

  it('finds log.entries with keys in any order, escaped key names and brackets inside strings', async () => {
    const items = await readAll(fixture('unusual-order.har'));
    expect(items).toEqual([
      { ref: { recording: 0, entry: 0 }, method: 'GET', url: 'https://api.example/v1/a', status: 200, headers: [], mediaType: 'application/json', body: { kind: 'text', text: '{"ok":true}' } },
      { ref: { recording: 0, entry: 1 }, method: 'POST', url: 'https://api.example/v1/b', status: 201, headers: [['location', '/v1/b/1']], mediaType: undefined, body: { kind: 'empty' } },
    ]);
  });

  it('keeps escaped quotes, backslashes and multi-byte UTF-8 intact', async () => {
    const items = exchanges(await readAll(fixture('escaped-strings.har')));
    expect(items.map((e) => e.url)).toEqual(['https://api.example/q?s="quoted"', 'https://api.example/ends-with-backslash\\', 'https://api.example/unicode']);
    expect(items.map((e) => e.body)).toEqual([
      { kind: 'text', text: '{"path":"C:\\\\temp\\\\","quote":"\\"","brace":"}]"}' },
      { kind: 'text', text: '\\\\\\' },
      { kind: 'text', text: 'Tromsø 😀 æøå «»' },
    ]);
  });
});

describe('readRecording: chunk boundaries anywhere', () => {
  const files = ['unusual-order.har', 'escaped-strings.har', 'bodies.har', 'truncated.har'].map(fixture).concat(CHROMIUM_HAR);
  it.each(files)('%s reads the same with chunks of 1 (small files), 2, 3, 5, 7, 64 and 4096 bytes', async (file) => {
    const want = await readAll(file);
    expect(want.length).toBeGreaterThan(1);
    // One-byte reads of the larger fixtures only cost time: 3, 5 and 7 split them everywhere too.
    const sizes = (await readFile(file)).length < 4096 ? [1, 2, 3, 5, 7, 64, 4096] : [3, 5, 7, 64, 4096];
    for (const chunkSize of sizes) expect(await readAll(file, { chunkSize })).toEqual(want);
  });

  it('agrees with JSON.parse on random strings of quotes, backslashes, brackets and UTF-8', async () => {
    const alphabet = ['a', 'a', 'a', '"', '\\', 'ø', '😀', '{', '}', '[', ']', ',', ':', ' '];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 15; round++) {
      const texts = Array.from({ length: 4 }, () => {
        const run = random(3) === 0 ? 'a'.repeat(200 + random(300)) : '';
        return Array.from({ length: random(400) }, () => alphabet[random(alphabet.length)]).join('') + run + (random(2) ? '\\' : '');
      });
      const path = await temp(`random-${round}.har`, harText(texts.map((text, i) => jsonEntry(i, text)), random(2) ? 2 : undefined));
      const chunkSize = 1 + random(40);
      const items = exchanges(await readAll(path, { chunkSize }));
      expect(items.map((e) => (e.body.kind === 'text' ? e.body.text : e.body.kind))).toEqual(texts.map((t) => (t === '' ? 'empty' : t)));
    }
  });

  it('reads pretty-printed multi-byte text split at every offset', async () => {
    const text = 'ø😀«"\\'.repeat(50);
    const path = await temp('multibyte.har', harText([jsonEntry(0, text), jsonEntry(1, '\\')], 2));
    for (const chunkSize of [1, 2, 3, 4, 5, 6, 11, 13]) {
      const items = exchanges(await readAll(path, { chunkSize }));
      expect(items.map((e) => e.body)).toEqual([{ kind: 'text', text }, { kind: 'text', text: '\\' }]);
    }
  });
});

describe('readRecording: bodies', () => {
  let items: Item[];
  beforeAll(async () => {
    items = await readAll(fixture('bodies.har'));
  });
  const json = '{"id":1,"name":"Fjord Bygg AS","city":"Tromsø"}';
  const cases: [string, { entry: number; want: Record<string, unknown> }][] = [
    ['plain JSON text, method upper-cased', { entry: 0, want: { method: 'GET', mediaType: 'application/json', body: { kind: 'text', text: json } } }],
    ['base64 JSON', { entry: 1, want: { body: { kind: 'text', text: json } } }],
    ['gzip bytes stored as base64', { entry: 2, want: { body: { kind: 'text', text: json } } }],
    ['labelled gzip but stored decoded', { entry: 3, want: { body: { kind: 'text', text: json } } }],
    ['brotli bytes stored as base64', { entry: 4, want: { body: { kind: 'text', text: json } } }],
    ['deflate bytes stored as base64', { entry: 5, want: { body: { kind: 'text', text: json } } }],
    ['binary media type', { entry: 6, want: { mediaType: 'image/png', body: { kind: 'binary', bytes: 8 } } }],
    ['bytes that are not UTF-8', { entry: 7, want: { mediaType: 'text/plain', body: { kind: 'binary', bytes: 6 } } }],
    ['empty text', { entry: 8, want: { mediaType: undefined, body: { kind: 'empty' } } }],
    ['204 without text', { entry: 9, want: { status: 204, body: { kind: 'empty' } } }],
    ['text left out by the tool', { entry: 10, want: { body: { kind: 'omitted', reason: 'the recording holds no body text (the tool that wrote it left it out)' } } }],
    ['cut by recon', { entry: 11, want: { body: { kind: 'omitted', reason: CUT_BY_RECORDER } } }],
    ['status 0 with recon _error', { entry: 12, want: { method: 'POST', reason: 'no response (status 0: the request failed or was blocked): ECONNREFUSED' } }],
    ['no request method', { entry: 13, want: { url: 'https://api.example/v1/x', reason: 'the entry has no request method or URL' } }],
    ['not an object', { entry: 14, want: { reason: 'the entry is not a JSON object' } }],
    ['HEAD without text', { entry: 15, want: { method: 'HEAD', body: { kind: 'empty' } } }],
    ['media type from content.mimeType; NUL makes it binary', { entry: 16, want: { mediaType: 'text/plain', body: { kind: 'binary', bytes: 3 } } }],
    ['status out of range', { entry: 17, want: { reason: 'the response status is not an HTTP status code (100-599)' } }],
  ];
  it.each(cases)('%s', (_name, { entry, want }) => {
    expect(items[entry]).toMatchObject({ ref: { recording: 0, entry }, ...want });
  });

  it('caps decompression and reports bytes that look gzipped but are not', () => {
    const common = { headers: [] as [string, string][], status: 200, method: 'GET', mediaType: 'application/json', truncated: false };
    const bomb = gzipSync(Buffer.alloc(1_000_000, 0x20)).toString('base64');
    expect(decodeBody({ ...common, content: { text: bomb, encoding: 'base64' } }, 1000)).toEqual({ kind: 'omitted', reason: 'the body is larger than the 1000-byte limit (maxBodyBytes)' });
    const broken = Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]).toString('base64');
    expect(decodeBody({ ...common, content: { text: broken, encoding: 'base64' } }, 1000)).toEqual({ kind: 'omitted', reason: 'the body looks gzip-compressed but does not decompress' });
    expect(decodeBody({ ...common, content: { text: '%%% not base64 %%%', encoding: 'base64' } }, 1000)).toMatchObject({ kind: 'omitted' });
    expect(decodeBody({ ...common, content: { text: 'x'.repeat(2000) } }, 1000)).toMatchObject({ kind: 'omitted' });
    expect(decodeBody({ ...common, content: { text: 5 } }, 1000)).toMatchObject({ kind: 'omitted' });
    expect(decodeBody({ ...common, content: { text: 'a', encoding: { toString: 1 } } }, 1000)).toMatchObject({ kind: 'omitted' });
    // A .gz download is the content itself, not a transfer coding.
    const gz = gzipSync('hello').toString('base64');
    expect(decodeBody({ ...common, mediaType: 'application/gzip', content: { text: gz, encoding: 'base64' } }, 1000)).toMatchObject({ kind: 'binary' });
  });

  it('reads a 5 MB body', async () => {
    const text = JSON.stringify({ data: Array.from({ length: 60_000 }, (_, i) => ({ id: i, name: `name "${i}"` })) });
    expect(text.length).toBeGreaterThan(2_000_000);
    const big = text + ' '.repeat(Math.max(0, 5_000_000 - text.length));
    const path = await temp('five-mb.har', harText([jsonEntry(0, big), jsonEntry(1)]));
    const items = exchanges(await readAll(path));
    expect(items).toHaveLength(2);
    expect(items[0]!.body).toEqual({ kind: 'text', text: big });
    const parsed = parseJsonBody((items[0]!.body as { text: string }).text);
    expect(parsed.ok && (parsed.value as { data: unknown[] }).data.length).toBe(60_000);
  });

  it('reads a body nested 100,000 levels deep as text; parsing it reports the depth', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const path = await temp('deep-body.har', harText([jsonEntry(0, deep)]));
    const [item] = exchanges(await readAll(path));
    expect(item!.body).toEqual({ kind: 'text', text: deep });
    expect(parseJsonBody(deep)).toMatchObject({ ok: false, reason: 'nested deeper than 1000 levels', line: 1, column: 1001 });
  });
});

describe('readRecording: truncated and malformed recordings', () => {
  it('yields every complete entry, then the cut one as skipped', async () => {
    const items = await readAll(fixture('truncated.har'));
    expect(exchanges(items).map((e) => e.ref.entry)).toEqual([0, 1]);
    expect(items[2]).toEqual({ ref: { recording: 0, entry: 2 }, reason: 'the recording ends in the middle of entry 2 (truncated file?)' });
    expect(items).toHaveLength(3);
  });

  it('reports a file cut between entries', async () => {
    const text = harText([jsonEntry(0), jsonEntry(1), jsonEntry(2)]);
    const path = await temp('cut-between.har', text.slice(0, text.indexOf('{"startedDateTime"', text.indexOf('items/1'))));
    const items = await readAll(path);
    expect(exchanges(items)).toHaveLength(2);
    expect(skips(items)).toEqual([{ ref: { recording: 0, entry: 2 }, reason: expect.stringMatching(/ends after entry 1.*truncated/) }]);
  });

  it('reports a file cut right after the start of the entry list', async () => {
    const items = await readAll(await temp('cut-start.har', '{"log": {"version": "1.2", "entries": [\n  '));
    expect(items).toEqual([{ ref: { recording: 0, entry: 0 }, reason: expect.stringMatching(/ends at the start of its entry list/) }]);
  });

  it('reads scalar entries as skips and tolerates a trailing comma', async () => {
    const good = JSON.stringify(jsonEntry(3));
    const items = await readAll(await temp('scalars.har', `{"log":{"entries":[1, "x", null, ${good},]}}`));
    expect(items.map((i) => ('reason' in i ? i.reason : i.status))).toEqual([...Array(3).fill('the entry is not a JSON object'), 200]);
  });

  it('skips an entry that is not valid JSON, with its line, and reads on', async () => {
    const text = `{"log":{"entries":[\n${JSON.stringify(jsonEntry(0))},\n{"request": tru},\n${JSON.stringify(jsonEntry(2))}]}}`;
    const items = await readAll(await temp('bad-entry.har', text));
    expect(items.map((i) => i.ref.entry)).toEqual([0, 1, 2]);
    expect(items[1]).toMatchObject({ reason: expect.stringMatching(/^the entry is not valid JSON \(line 3 column 1[0-9]/) });
    expect(items[2]).toMatchObject({ status: 200 });
  });

  it('stops with a skip, not an error, when brackets stop matching inside an entry', async () => {
    const text = `{"log":{"entries":[${JSON.stringify(jsonEntry(0))},{"request":[}},${JSON.stringify(jsonEntry(2))}]}}`;
    const items = await readAll(await temp('broken.har', text));
    expect(items).toHaveLength(2);
    expect(items[1]).toMatchObject({ ref: { entry: 1 }, reason: expect.stringMatching(/^the recording is malformed at line 1 column \d+ .*; entries from here on were not read$/) });
  });

  it('skips an entry over maxEntryBytes and reads on', async () => {
    const path = await temp('oversize.har', harText([jsonEntry(0), jsonEntry(1, 'x'.repeat(10_000)), jsonEntry(2)]));
    for (const chunkSize of [64, 1 << 20]) {
      const items = await readAll(path, { maxEntryBytes: 2000, chunkSize });
      expect(items.map((i) => ('reason' in i ? i.reason : i.status))).toEqual([200, 'the entry is larger than the 2000-byte limit (maxEntryBytes)', 200]);
    }
  });

  it('survives hostile entries: __proto__ keys, odd header values, 100,000-deep custom fields', async () => {
    const hostile = `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"request":{"method":"GET","url":"https://x/"},"response":{"status":200,"headers":[{"name":"X-A","value":{"toString":1}},{"name":"X-B","value":7},null,{"name":5}],"content":{"mimeType":"text/plain","text":"ok"}},"_deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const items = await readAll(await temp('hostile.har', `{"log":{"entries":[${hostile}]}}`));
    expect(items).toEqual([{ ref: { recording: 0, entry: 0 }, method: 'GET', url: 'https://x/', status: 200, headers: [['x-a', ''], ['x-b', '7']], mediaType: 'text/plain', body: { kind: 'text', text: 'ok' } }]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('readRecording: files that are not readable HAR', () => {
  const cases: [string, { given: string | Buffer | null; want: Record<string, unknown>; message?: RegExp }][] = [
    ['empty', { given: '', want: { code: 'RECON_HAR_INVALID', problem: 'empty', location: { line: 1, column: 1 } } }],
    ['only whitespace', { given: ' \n\t\n', want: { problem: 'empty' } }],
    ['HTML', { given: null, want: { problem: 'syntax', location: { line: 1, column: 1 } }, message: /not-json\.har:1:1: not JSON: the file looks like HTML or XML/ }],
    ['a bare word', { given: '\n  hello', want: { problem: 'syntax', location: { line: 2, column: 3 } }, message: /starts with "h"/ }],
    ['JSON but not HAR', { given: '{"openapi":"3.0.3","paths":{}}', want: { problem: 'not-har', location: { pointer: '/log' } }, message: /not a HAR file: no "log" object/ }],
    ['a top-level array', { given: '[{"log":{}}]', want: { problem: 'not-har' } }],
    ['log is not an object', { given: '{"log":[]}', want: { problem: 'not-har', location: { pointer: '/log' } } }],
    ['entries is not an array', { given: '{"log":{"entries":{}}}', want: { problem: 'not-har', location: { pointer: '/log/entries' } } }],
    ['log without entries', { given: '{"log":{"version":"1.2","pages":[{"entries":[]}]}}', want: { problem: 'not-har', location: { pointer: '/log/entries' } } }],
    ['a syntax error before the entries', { given: '{\n  "log": {\n    "version" "1.2"', want: { problem: 'syntax', location: { line: 3, column: 15 } }, message: /expected ":"/ }],
    ['truncated before the entries', { given: '{"log": {"version": "1.2", "creator": {"name"', want: { problem: 'syntax' }, message: /ends in the middle of the JSON/ }],
  ];
  it.each(cases)('%s', async (name, { given, want, message }) => {
    const path = given === null ? fixture('not-json.har') : await temp(`${name.replace(/\W+/g, '-')}.har`, given);
    const error = await readAll(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'HarReadError', exitCode: 2, ...want });
    expect((error as Error).message).toContain(path);
    if (message !== undefined) expect((error as Error).message).toMatch(message);
  });

  it('the not-HAR fixture and a missing file and a directory', async () => {
    await expect(readAll(fixture('not-har.json'))).rejects.toMatchObject({ code: 'RECON_HAR_INVALID', problem: 'not-har' });
    await expect(readAll(join(dir, 'nope.har'))).rejects.toMatchObject({ code: 'RECON_HAR_NOT_FOUND', exitCode: 2, message: expect.stringMatching(/nope\.har: no such file/) });
    await expect(readAll(dir)).rejects.toMatchObject({ code: 'RECON_HAR_NOT_FOUND', message: expect.stringMatching(/is a directory/) });
    await expect(readAll(CHROMIUM_HAR, { maxEntryBytes: 0 })).rejects.toMatchObject({ code: 'RECON_DRIFT_BAD_OPTION', exitCode: 2 });
  });

  it('gives up on a large non-HAR file after its first chunk', async () => {
    const path = await temp('array.json', '[' + '{"a":1},'.repeat(400_000) + '{}]');
    const reads: number[] = [];
    await expect(readAll(path, { chunkSize: 64 * 1024, onProgress: (bytes) => reads.push(bytes) })).rejects.toMatchObject({ problem: 'not-har' });
    expect(reads).toEqual([64 * 1024]);
  });

  it('reads UTF-16 and UTF-8 files with a byte order mark', async () => {
    const text = harText([jsonEntry(0, '"Tromsø"')]);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    for (const [name, bytes] of [['le', le], ['be', be], ['utf8', utf8]] as const) {
      const path = await temp(`bom-${name}.har`, bytes);
      for (const chunkSize of [1, 3, 1 << 20]) {
        expect(exchanges(await readAll(path, { chunkSize })).map((e) => e.body)).toEqual([{ kind: 'text', text: '"Tromsø"' }]);
      }
    }
  });
});

describe('readRecording: streaming', () => {
  it('yields the first of 2,000 entries long before the file is read, and reads them all', async () => {
    const path = join(dir, 'many.har');
    const entries = Array.from({ length: 2000 }, (_, i) => jsonEntry(i, JSON.stringify({ id: i, text: 'x'.repeat(900) })));
    await writeFile(path, harText(entries, 2));
    const fileBytes = (await readFile(path)).length;
    let bytesRead = 0;
    let readAtFirst = -1;
    let count = 0;
    for await (const item of readRecording(path, 0, { chunkSize: 16 * 1024, onProgress: (bytes) => (bytesRead = bytes) })) {
      if (count === 0) readAtFirst = bytesRead;
      expect(item.ref.entry).toBe(count);
      count++;
    }
    expect(count).toBe(2000);
    expect(fileBytes).toBeGreaterThan(2_000_000);
    expect(readAtFirst).toBeLessThanOrEqual(32 * 1024);
    expect(bytesRead).toBe(fileBytes);
  });

  it('stops when the signal is aborted', async () => {
    const path = await temp('abort.har', harText(Array.from({ length: 50 }, (_, i) => jsonEntry(i))));
    const controller = new AbortController();
    let count = 0;
    const run = async (): Promise<void> => {
      for await (const _item of readRecording(path, 0, { signal: controller.signal, chunkSize: 256 })) {
        count++;
        if (count === 3) controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(count).toBe(3);
  });
});

describe('parseJsonBody', () => {
  const cases: [string, { given: string; want: Record<string, unknown> }][] = [
    ['an object', { given: '{"id": 1, "tags": ["a"]}', want: { ok: true, value: { id: 1, tags: ['a'] } } }],
    ['a byte order mark', { given: '\ufeff[1]', want: { ok: true, value: [1] } }],
    ['an HTML page behind a JSON type', { given: '\n<!DOCTYPE html><html><body>502</body></html>', want: { ok: false, reason: 'not JSON: the body is an HTML page', line: 2, column: 1 } }],
    ['XML', { given: '<?xml version="1.0"?><a/>', want: { ok: false, reason: 'not JSON: the body is XML' } }],
    ['blank', { given: ' \n ', want: { ok: false, reason: 'not JSON: the body is blank' } }],
    ['truncated', { given: '{"items": [1, 2, ', want: { ok: false, reason: 'truncated JSON (the body ends at byte 17, inside an unfinished array)' } }],
    ['truncated in a string', { given: '{"name": "Tromsø', want: { ok: false, reason: 'truncated JSON (the body ends at byte 17, inside a string)' } }],
    ['invalid', { given: '{\n  "a": 1,\n  "b": tru\n}', want: { ok: false, reason: expect.stringMatching(/^invalid JSON at line 3 column 11: /), line: 3, column: 11 } }],
    ['exactly 1000 deep', { given: '['.repeat(1000) + ']'.repeat(1000), want: { ok: true } }],
    ['1001 deep', { given: '['.repeat(1001) + ']'.repeat(1001), want: { ok: false, reason: 'nested deeper than 1000 levels' } }],
    ['brackets inside strings do not count', { given: `["${'['.repeat(5000)}\\"${'{'.repeat(5000)}"]`, want: { ok: true } }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(parseJsonBody(given)).toMatchObject(want);
  });

  it('handles 100,000 levels of nesting both ways, without a stack overflow', () => {
    expect(parseJsonBody('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000))).toMatchObject({ ok: false, reason: 'nested deeper than 1000 levels' });
    const unlimited = parseJsonBody('['.repeat(100_000) + ']'.repeat(100_000), { maxDepth: Infinity });
    expect(unlimited.ok).toBe(true);
  });

  it('does not pollute Object.prototype with __proto__ or constructor keys', () => {
    const result = parseJsonBody('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "a": [{"__proto__": {"x": 1}}]}');
    expect(result.ok).toBe(true);
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (typeof value === 'object' && value !== null) for (const [key, child] of Object.entries(value)) (walk(child), key);
    };
    walk(result.ok ? result.value : undefined);
    const value = (result as { value: Record<string, unknown> }).value;
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor', 'a']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('isJsonMediaType', () => {
  it.each([
    ['application/json', true],
    ['application/problem+json', true],
    ['application/vnd.api+json; charset=utf-8', true],
    ['text/json', true],
    ['text/html', false],
    ['application/jsonp', false],
    [undefined, false],
  ] as const)('%s → %s', (given, want) => {
    expect(isJsonMediaType(given)).toBe(want);
  });
});

describe('findRecordings', () => {
  it('lists .har files recursively, sorted, following file links only', async () => {
    const root = join(dir, 'found');
    await mkdir(join(root, 'b', 'deeper'), { recursive: true });
    await mkdir(join(root, 'a'), { recursive: true });
    for (const file of ['z.har', 'a/one.HAR', 'b/deeper/two.har', 'b/notes.txt', 'b/x.har.bak']) await writeFile(join(root, file), '{}');
    await symlink(join(root, 'z.har'), join(root, 'b', 'link.har'));
    await symlink(root, join(root, 'b', 'loop'));
    expect(await findRecordings(root)).toEqual([join(root, 'a', 'one.HAR'), join(root, 'b', 'deeper', 'two.har'), join(root, 'b', 'link.har'), join(root, 'z.har')]);
  });

  it('fails clearly for a missing directory, a file, or a directory without recordings', async () => {
    await expect(findRecordings(join(dir, 'missing'))).rejects.toMatchObject({ code: 'RECON_HAR_NOT_FOUND', exitCode: 2, message: expect.stringMatching(/no such directory/) });
    await expect(findRecordings(CHROMIUM_HAR)).rejects.toMatchObject({ message: expect.stringMatching(/is not a directory/) });
    await mkdir(join(dir, 'none'), { recursive: true });
    await expect(findRecordings(join(dir, 'none'))).rejects.toMatchObject({ message: expect.stringMatching(/holds no \.har file/) });
  });
});
