/**
 * Reads a HAR file written by recon, a browser (Chromium, Firefox, Safari), a proxy (mitmproxy,
 * Charles, Fiddler) or Postman.
 *
 * Real-world HARs bend the spec (missing `cookies`, `headersSize`, `cache`; `null` where a string
 * belongs; extra fields without the `_`), so reading is lenient: it insists only on what the
 * later stages use (each entry's request method and URL, response status, header and query
 * lists of name/value strings) and fills in the rest with the spec's "unknown" values. Use
 * `strict: true` (or `validateHar`) to hold a file to the letter of HAR 1.2.
 */
import { readFile, stat } from 'node:fs/promises';
import { HarReadError } from './errors.js';
import { jsonErrorOffset, lineAndColumn } from '../../text/index.js';
import type { Har, HarContent, HarEntry, HarNameValue, HarRequest, HarResponse, HarTimings } from './types.js';
import { validateHar } from './validate.js';

export interface ReadHarOptions {
  /** Largest file read, in bytes. Default 256 MiB (a JavaScript string holds at most ~512 MiB). */
  maxBytes?: number;
  /** Require strict HAR 1.2 conformance (`validateHar`) instead of lenient reading. Default false. */
  strict?: boolean;
}

export const READ_HAR_DEFAULTS = { maxBytes: 256 * 1024 * 1024, strict: false } as const;

/**
 * @example
 * const har = await readHar('fixtures/acme/2025-01-02.har');
 * for (const entry of har.log.entries) console.log(entry.request.method, entry.request.url);
 */
export async function readHar(path: string, options: ReadHarOptions = {}): Promise<Har> {
  const { maxBytes, strict } = { ...READ_HAR_DEFAULTS, ...options };
  const text = await readText(path, maxBytes);
  if (text.trim() === '') throw new HarReadError('empty', 'the file is empty', { source: path, line: 1, column: 1 });

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    if (error instanceof RangeError) throw new HarReadError('syntax', 'the JSON is nested too deeply to read', { source: path }, { cause: error });
    const offset = jsonErrorOffset(text);
    const { line, column } = lineAndColumn(text, offset);
    const what = offset >= text.length ? 'the file ends in the middle of the JSON (truncated?)' : `invalid JSON: ${firstLine(error)}`;
    throw new HarReadError('syntax', what, { source: path, line, column }, { cause: error });
  }

  const log = isObject(data) ? data['log'] : undefined;
  if (!isObject(log) || !Array.isArray(log['entries'])) {
    const pointer = !isObject(data) ? '' : !isObject(log) ? '/log' : '/log/entries';
    const hint = 'export HAR from the browser DevTools Network panel ("Save all as HAR") or from the proxy';
    throw new HarReadError('not-har', `not a HAR file: ${pointer === '' ? 'no "log" object' : `${pointer} is missing or has the wrong type`}`, { source: path, pointer }, { hint });
  }

  if (strict) {
    const result = validateHar(data);
    const first = result.errors[0];
    if (first !== undefined) {
      const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more)` : '';
      throw new HarReadError('structure', `not valid HAR 1.2: ${first.message}${more}`, { source: path, pointer: first.pointer });
    }
    return data as unknown as Har;
  }
  return normaliseHar(log, path);
}

async function readText(path: string, maxBytes: number): Promise<string> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new HarReadError('unreadable', 'is a directory, not a HAR file', { source: path });
    if (info.size > maxBytes) {
      throw new HarReadError('too-large', `the file is ${info.size} bytes, more than the ${maxBytes}-byte limit`, { source: path }, { hint: 'split the recording, or raise the limit' });
    }
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof HarReadError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new HarReadError('unreadable', why, { source: path }, { cause: error });
  }
  // Windows tools (Fiddler) may write a byte order mark, or UTF-16.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    const text = bytes.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    throw new HarReadError('too-large', `the file is too large to read as text (${bytes.length} bytes)`, { source: path }, { cause: error });
  }
}

function firstLine(error: unknown): string {
  return String((error as Error).message).split('\n')[0]!;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lenient reading: check what later stages rely on, fill in what tools leave out. */
function normaliseHar(log: Record<string, unknown>, source: string): Har {
  const fail = (pointer: string, message: string): never => {
    throw new HarReadError('structure', message, { source, pointer });
  };
  const entries = (log['entries'] as unknown[]).map((raw, index): HarEntry => {
    const at = `/log/entries/${index}`;
    if (!isObject(raw)) return fail(at, 'an entry must be an object');
    const request = raw['request'];
    const response = raw['response'];
    if (!isObject(request)) return fail(`${at}/request`, 'the entry has no request object');
    if (typeof request['method'] !== 'string') fail(`${at}/request/method`, 'the request method must be a string');
    if (typeof request['url'] !== 'string') fail(`${at}/request/url`, 'the request URL must be a string');
    if (!isObject(response)) return fail(`${at}/response`, 'the entry has no response object');
    if (typeof response['status'] !== 'number') fail(`${at}/response/status`, 'the response status must be a number');

    const entry = { ...raw } as HarEntry;
    entry.startedDateTime = typeof raw['startedDateTime'] === 'string' ? raw['startedDateTime'] : '';
    entry.time = typeof raw['time'] === 'number' ? raw['time'] : -1;
    entry.request = {
      ...request,
      httpVersion: stringOr(request['httpVersion'], ''),
      cookies: Array.isArray(request['cookies']) ? request['cookies'] : [],
      headers: nameValues(request['headers'], `${at}/request/headers`, fail),
      queryString: nameValues(request['queryString'], `${at}/request/queryString`, fail),
      headersSize: numberOr(request['headersSize'], -1),
      bodySize: numberOr(request['bodySize'], -1),
    } as HarRequest;
    const content = isObject(response['content']) ? response['content'] : {};
    entry.response = {
      ...response,
      statusText: stringOr(response['statusText'], ''),
      httpVersion: stringOr(response['httpVersion'], ''),
      cookies: Array.isArray(response['cookies']) ? response['cookies'] : [],
      headers: nameValues(response['headers'], `${at}/response/headers`, fail),
      content: { ...content, size: numberOr(content['size'], -1), mimeType: stringOr(content['mimeType'], '') } as HarContent,
      redirectURL: stringOr(response['redirectURL'], ''),
      headersSize: numberOr(response['headersSize'], -1),
      bodySize: numberOr(response['bodySize'], -1),
    } as HarResponse;
    if (content['text'] !== undefined && content['text'] !== null && typeof content['text'] !== 'string') {
      fail(`${at}/response/content/text`, 'the response content text must be a string');
    }
    entry.cache = isObject(raw['cache']) ? raw['cache'] : {};
    const timings = isObject(raw['timings']) ? raw['timings'] : {};
    entry.timings = { ...timings, send: numberOr(timings['send'], 0), wait: numberOr(timings['wait'], 0), receive: numberOr(timings['receive'], 0) } as HarTimings;
    return entry;
  });
  const creator = isObject(log['creator']) ? log['creator'] : {};
  return {
    log: {
      ...log,
      version: stringOr(log['version'], ''),
      creator: { ...creator, name: stringOr(creator['name'], ''), version: stringOr(creator['version'], '') },
      entries,
    },
  } as Har;
}

function nameValues(value: unknown, pointer: string, fail: (pointer: string, message: string) => never): HarNameValue[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return fail(pointer, 'must be a list of {name, value}');
  value.forEach((item, i) => {
    if (!isObject(item) || typeof item['name'] !== 'string') fail(`${pointer}/${i}`, 'must be {name, value} with a string name');
    // Some tools write numbers or null as values: read them as text.
    if (typeof item['value'] !== 'string') (item as Record<string, unknown>)['value'] = item['value'] == null ? '' : String(item['value']);
  });
  return value as HarNameValue[];
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
