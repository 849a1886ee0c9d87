/**
 * Media types as drift needs them: which one a recorded response has, and whether it is JSON or
 * clearly binary.
 */
import { mediaType as bareMediaType } from '../../http/redact/index.js';

/** Names HAR tools write when they do not know the type (Chromium, recon: `x-unknown`). */
const UNKNOWN = new Set(['', 'x-unknown', 'unknown']);

/**
 * The response's media type, lower-cased, parameters stripped: the first Content-Type header,
 * else the HAR's `content.mimeType`; undefined when neither says.
 *
 * @example
 * responseMediaType([['content-type', 'Application/JSON; charset=utf-8']], 'text/plain'); // 'application/json'
 */
export function responseMediaType(headers: [string, string][], mimeType: unknown): string | undefined {
  const header = headers.find(([name]) => name === 'content-type');
  const fromHeader = header === undefined ? '' : bareMediaType(header[1]);
  if (!UNKNOWN.has(fromHeader)) return fromHeader;
  const fromContent = typeof mimeType === 'string' ? bareMediaType(mimeType) : '';
  return UNKNOWN.has(fromContent) ? undefined : fromContent;
}

/**
 * JSON media types: `application/json`, `text/json` and any `+json` structured syntax suffix
 * (RFC 6839 §3.1: `application/problem+json`, `application/vnd.api+json`). Parameters are ignored.
 *
 * @example
 * isJsonMediaType('application/problem+json'); // true
 * isJsonMediaType('text/html'); // false
 */
export function isJsonMediaType(mediaType: string | undefined): boolean {
  if (mediaType === undefined) return false;
  const bare = bareMediaType(mediaType);
  return bare === 'application/json' || bare === 'text/json' || bare === 'application/x-json' || bare.endsWith('+json');
}

const BINARY_TOP = new Set(['image', 'audio', 'video', 'font', 'model']);
const BINARY_APPLICATION =
  /^application\/(?:octet-stream|pdf|zip|gzip|x-gzip|x-bzip2|x-xz|zstd|x-tar|x-7z-compressed|vnd\.rar|x-rar-compressed|java-archive|wasm|x-protobuf|protobuf|x-msgpack|msgpack|cbor|vnd\.ms-excel|msword|vnd\.openxmlformats-officedocument\..*|vnd\.oasis\.opendocument\..*|x-shockwave-flash|x-font-.*|font-.*)$/;

/**
 * A media type whose content is never text: images, audio, video, fonts, PDF, archives,
 * `application/octet-stream`, Office documents. Structured suffixes `+json`/`+xml` are text
 * (`image/svg+xml` is XML).
 *
 * @example
 * isBinaryMediaType('image/png'); // true
 * isBinaryMediaType('image/svg+xml'); // false
 */
export function isBinaryMediaType(mediaType: string | undefined): boolean {
  if (mediaType === undefined) return false;
  if (mediaType.endsWith('+json') || mediaType.endsWith('+xml')) return false;
  const slash = mediaType.indexOf('/');
  if (BINARY_TOP.has(mediaType.slice(0, slash))) return true;
  return BINARY_APPLICATION.test(mediaType);
}

/** Media types whose payload is itself compressed: their bytes are the content, not an encoding. */
export function isArchiveMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && /^application\/(?:gzip|x-gzip|zip|x-bzip2|x-xz|zstd|x-brotli|x-tar|x-7z-compressed|vnd\.rar)$/.test(mediaType);
}
