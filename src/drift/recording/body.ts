/**
 * A recorded response body, decoded to what the vendor sent: base64 undone, compression undone
 * where the bytes really are compressed, text told apart from binary.
 *
 * HAR 1.2 ("content"): `text` is the body "HTTP decoded (decompressed & unchunked), then
 * trans-coded from its original character set into UTF-8", unless `encoding` says `base64`.
 * Browsers keep to that and store decoded text even when the response said
 * `Content-Encoding: gzip`; some proxies store the raw compressed bytes in base64. So the header
 * alone decides nothing: bytes are decompressed only when they really are compressed.
 */
import { isUtf8 } from 'node:buffer';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { ObservedBody } from '../types.js';
import { isArchiveMediaType, isBinaryMediaType } from './media-type.js';

export interface RecordedBody {
  /** `response.content`, as the file has it (anything). */
  content: unknown;
  /** Response headers, names lower-cased. */
  headers: [string, string][];
  status: number;
  /** Upper-cased. */
  method: string;
  mediaType: string | undefined;
  /** recon's `_recon.truncated`: the recorder cut the body at its size cap. */
  truncated: boolean;
}

export const CUT_BY_RECORDER = 'the recorder cut this body at its size cap';

/**
 * @example
 * decodeBody({ content: { size: 2, mimeType: 'application/json', text: '{}' }, headers: [], status: 200,
 *   method: 'GET', mediaType: 'application/json', truncated: false }, 64 << 20); // { kind: 'text', text: '{}' }
 */
export function decodeBody(body: RecordedBody, maxBodyBytes: number): ObservedBody {
  if (body.truncated) return { kind: 'omitted', reason: CUT_BY_RECORDER };
  const content = typeof body.content === 'object' && body.content !== null ? (body.content as Record<string, unknown>) : {};
  const text = content['text'];
  if (text === undefined || text === null) {
    return hasNoContent(body, content['size']) ? { kind: 'empty' } : { kind: 'omitted', reason: 'the recording holds no body text (the tool that wrote it left it out)' };
  }
  if (typeof text !== 'string') return { kind: 'omitted', reason: 'the recorded body (content.text) is not a string' };
  if (text === '') return { kind: 'empty' };

  const encoding = content['encoding'];
  if (encoding === 'base64') return decodeBytes(text, body, maxBodyBytes);
  if (encoding !== undefined && encoding !== null && encoding !== '' && !(typeof encoding === 'string' && /^utf-?8$/i.test(encoding))) {
    return { kind: 'omitted', reason: 'the body is stored in an encoding recon does not read (content.encoding is not base64)' };
  }
  // Stored as text: already decoded, by the spec's definition.
  if (text.length > maxBodyBytes / 3 && Buffer.byteLength(text) > maxBodyBytes) return tooLarge(maxBodyBytes);
  if (isBinaryMediaType(body.mediaType) || text.includes('\0')) return { kind: 'binary', bytes: Buffer.byteLength(text) };
  return { kind: 'text', text };
}

/**
 * RFC 9110 §9.3.2 (HEAD), §15.3.5 (204), §15.4.5 (304) and §15.2 (1xx): these responses have no
 * content; nor has one whose recorded size is 0.
 */
function hasNoContent(body: RecordedBody, size: unknown): boolean {
  return size === 0 || body.status === 204 || body.status === 304 || body.status < 200 || body.method === 'HEAD';
}

const BASE64 = /^[A-Za-z0-9+/\-_\s]*={0,2}\s*$/;

function decodeBytes(text: string, body: RecordedBody, maxBodyBytes: number): ObservedBody {
  if (!BASE64.test(text)) return { kind: 'omitted', reason: 'the body is marked base64 but is not valid base64' };
  if (text.length * 0.75 > maxBodyBytes + 3) return tooLarge(maxBodyBytes);
  let bytes: Buffer = Buffer.from(text, 'base64');
  if (bytes.length === 0) return { kind: 'empty' };

  const decompressed = decompress(bytes, body, maxBodyBytes);
  if ('reason' in decompressed) return { kind: 'omitted', reason: decompressed.reason };
  bytes = decompressed.bytes;
  if (bytes.length === 0) return { kind: 'empty' };
  if (isBinaryMediaType(body.mediaType) || !looksLikeText(bytes)) return { kind: 'binary', bytes: bytes.length };
  return { kind: 'text', text: bytes.toString('utf8') };
}

function looksLikeText(bytes: Buffer): boolean {
  return !bytes.includes(0) && isUtf8(bytes);
}

type Decompressed = { bytes: Buffer } | { reason: string };

/**
 * gzip is recognised by its magic bytes (RFC 1952 §2.3.1: 1f 8b) whatever the header says.
 * deflate and br have no reliable magic, so they are tried only when Content-Encoding names them
 * and the bytes are not already readable text; when they do not decompress, the bytes stay as
 * they are (the tool stored them decoded).
 */
function decompress(bytes: Buffer, body: RecordedBody, max: number): Decompressed {
  if (isArchiveMediaType(body.mediaType)) return { bytes };
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const result = attempt(() => gunzipSync(bytes, { maxOutputLength: max }), max);
    return result ?? { reason: 'the body looks gzip-compressed but does not decompress' };
  }
  if (looksLikeText(bytes)) return { bytes };
  // RFC 9110 §8.4: codings are listed in the order applied; the last is undone first.
  const codings = body.headers
    .filter(([name]) => name === 'content-encoding')
    .flatMap(([, value]) => value.split(','))
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  const last = codings[codings.length - 1];
  // RFC 9110 §8.4.1.2: "deflate" is the zlib format, but some servers send raw deflate.
  const tries =
    last === 'br'
      ? [() => brotliDecompressSync(bytes, { maxOutputLength: max })]
      : last === 'deflate'
        ? [() => inflateSync(bytes, { maxOutputLength: max }), () => inflateRawSync(bytes, { maxOutputLength: max })]
        : [];
  for (const run of tries) {
    const result = attempt(run, max);
    if (result !== undefined) return result;
  }
  return { bytes };
}

/** The decompressed bytes; a reason when they exceed the cap; undefined when it fails. */
function attempt(run: () => Buffer, max: number): Decompressed | undefined {
  try {
    return { bytes: run() };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return tooLargeReason(max);
    return undefined;
  }
}

function tooLarge(max: number): ObservedBody {
  return { kind: 'omitted', reason: tooLargeReason(max).reason };
}

function tooLargeReason(max: number): { reason: string } {
  return { reason: `the body is larger than the ${formatBytes(max)} limit (maxBodyBytes)` };
}

/** `67108864` → `64 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes}-byte`;
}
