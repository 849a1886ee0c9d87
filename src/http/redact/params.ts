/**
 * `name=value&…` lists: URL query strings and fragments, and form-encoded bodies
 * (`application/x-www-form-urlencoded`, WHATWG URL §5). Only pairs that change are rewritten;
 * the rest keep their original encoding.
 */
import { marker, type RedactionCounts, type RedactionKind } from './kinds.js';
import type { RedactionContext } from './options.js';

export function redactParams(
  raw: string,
  ctx: RedactionContext,
  counts: RedactionCounts,
  isCredential: (name: string) => boolean,
  kind: Extract<RedactionKind, 'query' | 'field'>,
): string {
  if (raw === '') return raw;
  return raw
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      const rawValue = eq === -1 ? undefined : pair.slice(eq + 1);
      const name = decodeParam(rawName);
      const outName = scrubEncoded(rawName, name, ctx, counts);
      if (rawValue === undefined) return outName;
      if (rawValue !== '' && isCredential(name)) {
        ctx.learn(decodeParam(rawValue));
        counts[kind]++;
        return `${outName}=${marker(kind)}`;
      }
      return `${outName}=${scrubEncoded(rawValue, decodeParam(rawValue), ctx, counts)}`;
    })
    .join('&');
}

/** Scrubs both the encoded and the decoded form; re-encodes only when the decoded one changed. */
function scrubEncoded(raw: string, decoded: string, ctx: RedactionContext, counts: RedactionCounts): string {
  const scrubbed = ctx.scrub(decoded, counts);
  if (scrubbed !== decoded) return encodeKeepingMarkers(scrubbed);
  return ctx.scrub(raw, counts);
}

/** `+` is a space in form encoding; a malformed escape leaves the text as it is. */
export function decodeParam(raw: string): string {
  const spaced = raw.includes('+') ? raw.replace(/\+/g, ' ') : raw;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Percent-encodes a value but leaves `<redacted:kind>` markers readable. */
export function encodeKeepingMarkers(text: string): string {
  return encodeURIComponent(text).replace(/%3Credacted%3A([a-z]+)%3E/g, '<redacted:$1>');
}
