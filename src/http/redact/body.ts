/**
 * Bodies: what kind of content a body is, and its redaction by kind.
 *
 * - JSON (any media type containing `json`): field and path redaction plus text scrubbing
 *   (json-body.ts); text that is not JSON after all is scrubbed as text.
 * - Form-encoded: the same by field name.
 * - Other text: secrets, JWTs and national ids.
 * - Binary (a binary media type, or bytes that are not UTF-8, e.g. a Latin-1 legacy response):
 *   the bytes are kept, length included, except that any secret, JWT or national id written in
 *   them as ASCII/UTF-8 is overwritten with `*`s. Compressed or encrypted data cannot be searched
 *   and is kept as is. The HAR carries binary bodies base64-encoded.
 */
import { isUtf8 } from 'node:buffer';
import { redactJsonText } from './json-body.js';
import type { RedactionCounts } from './kinds.js';
import type { RedactionContext } from './options.js';
import { redactParams } from './params.js';

export type BodyKind = 'json' | 'form' | 'text' | 'binary';

export interface BodyRedaction {
  kind: BodyKind;
  /** Size of the body before redaction, in bytes. */
  originalBytes: number;
  /** JSON pointers where a number or boolean was replaced by `0`/`false` (the first 20). */
  zeroed: string[];
  zeroedCount: number;
}

const TEXT_MEDIA = /^text\/|xml|javascript|ecmascript|yaml|csv|html|graphql|x-www-form-urlencoded|^multipart\//;

/** Media type without parameters, lower-cased: `Application/JSON; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string {
  if (contentType === undefined) return '';
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * How a body is treated. Text needs a textual (or missing) media type and valid UTF-8; a body
 * cut at the size cap may end inside a UTF-8 sequence.
 */
export function bodyKind(contentType: string | undefined, body: Buffer | string, truncated = false): BodyKind {
  const media = mediaType(contentType);
  const textual = media === '' || media.includes('json') || TEXT_MEDIA.test(media);
  if (!textual) return 'binary';
  if (typeof body !== 'string' && !isUtf8Text(body, truncated, media === '')) return 'binary';
  if (media.includes('json')) return 'json';
  if (media === 'application/x-www-form-urlencoded') return 'form';
  return 'text';
}

function isUtf8Text(bytes: Buffer, truncated: boolean, sniffing: boolean): boolean {
  // Without a media type, a NUL byte says binary even when the bytes decode.
  if (sniffing && bytes.includes(0)) return false;
  if (isUtf8(bytes)) return true;
  if (!truncated) return false;
  // Drop an incomplete sequence at the cut: up to 3 bytes after the last lead byte.
  for (let k = 1; k <= 3 && k <= bytes.length; k++) {
    const byte = bytes[bytes.length - k]!;
    if (byte >= 0xc0) return isUtf8(bytes.subarray(0, bytes.length - k));
    if (byte < 0x80) return false;
  }
  return false;
}

/**
 * A word a credential field name can end with (isCredentialField's suffixes, `token` covering
 * every `…Token`), then the key's closing quote. Over-matching only sends a body the slow way.
 */
const CREDENTIAL_KEY_HINT = /(?:passw(?:or)?d|secret|api[-_]?key|private[-_]?key|assertion|code[-_]?verifier|token)[-_]*"/i;

/**
 * Most JSON bodies (a page of customers) hold nothing to redact. Without configured paths,
 * escapes (a key written as `"p\u0061ssword"`), credential-looking keys or anything the
 * scrubber finds, the body is returned as is: three native scans instead of the field-by-field
 * one, which is what recording costs on a fast vendor (bench/RESULTS.md, probe overhead).
 */
function nothingToFind(text: string, ctx: RedactionContext): boolean {
  return ctx.paths.empty && !text.includes('\\u') && !CREDENTIAL_KEY_HINT.test(text) && !ctx.scrubber.finds(text);
}

export function redactBody(
  body: Buffer | string,
  contentType: string | undefined,
  truncated: boolean,
  ctx: RedactionContext,
  counts: RedactionCounts,
): { body: Buffer | string; note: BodyRedaction } {
  const kind = bodyKind(contentType, body, truncated);
  const originalBytes = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  const note: BodyRedaction = { kind, originalBytes, zeroed: [], zeroedCount: 0 };
  if (kind === 'binary') return { body: ctx.scrubber.scrubBytes(body as Buffer, counts), note };

  const text = typeof body === 'string' ? body : body.toString('utf8');
  let redacted: string;
  if (kind === 'json' && !truncated && nothingToFind(text, ctx)) {
    redacted = text;
  } else if (kind === 'json') {
    const result = redactJsonText(text, ctx, counts, truncated);
    redacted = result.text;
    note.zeroed = result.zeroed;
    note.zeroedCount = result.zeroedCount;
  } else if (kind === 'form') {
    const isCredential = (name: string): boolean => ctx.isCredentialField(name) || ctx.paths.next(ctx.paths.root, name).accepting;
    redacted = redactParams(text, ctx, counts, isCredential, 'field');
  } else {
    redacted = ctx.scrub(text, counts, { truncated });
  }
  // Unchanged text keeps the original (never written to): no second copy of every clean body.
  if (redacted === text) return { body, note };
  return { body: typeof body === 'string' ? redacted : Buffer.from(redacted, 'utf8'), note };
}
