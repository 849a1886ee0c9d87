/**
 * Header values. Credential headers lose their value but keep what a reviewer needs: the
 * Authorization scheme (RFC 9110 §11.4: `Bearer <redacted:header>`), cookie names and Set-Cookie
 * attributes (RFC 6265 §4.1). URL-valued headers get URL redaction; the rest are scrubbed as text.
 */
import { marker, type RedactionCounts } from './kinds.js';
import type { RedactionContext } from './options.js';
import { redactUrl } from './url.js';

/** RFC 9110 §5.6.2 token: an auth scheme followed by credentials. */
const AUTH_SCHEME = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)([ \t]+)(\S[\s\S]*)$/;
const URL_HEADERS = new Set(['location', 'content-location', 'referer']);

export function redactHeaderValue(name: string, value: string, ctx: RedactionContext, counts: RedactionCounts): string {
  const lower = name.toLowerCase();
  if (value === '') return value;
  if (lower === 'cookie') return redactCookiePairs(value, ctx, counts);
  if (lower === 'set-cookie') return redactSetCookie(value, ctx, counts);
  if (ctx.isCredentialHeader(lower)) {
    for (const credential of headerCredentials(name, value)) ctx.learn(credential);
    counts.header++;
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      const scheme = AUTH_SCHEME.exec(value);
      if (scheme) return `${scheme[1]} ${marker('header')}`;
    }
    return marker('header');
  }
  if (URL_HEADERS.has(lower)) return redactUrl(value, ctx, counts);
  return ctx.scrub(value, counts);
}

/**
 * The credential values a header carries, learned before the rest of the exchange is redacted:
 * the credentials after an auth scheme, and for Basic the password inside them too.
 */
export function headerCredentials(name: string, value: string): string[] {
  const lower = name.toLowerCase();
  if (lower === 'cookie' || lower === 'set-cookie') return [];
  if (lower !== 'authorization' && lower !== 'proxy-authorization') return [value];
  const scheme = AUTH_SCHEME.exec(value);
  if (!scheme) return [value];
  const credentials = scheme[3]!.trim();
  if (scheme[1]!.toLowerCase() !== 'basic') return [credentials];
  // RFC 7617 §2: base64 of `user-id ":" password`.
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? [credentials] : [credentials, decoded.slice(colon + 1)];
}

/** `Cookie: a=1; b=2` → `a=<redacted:header>; b=<redacted:header>`. */
function redactCookiePairs(value: string, ctx: RedactionContext, counts: RedactionCounts): string {
  return value
    .split(';')
    .map((pair) => {
      const eq = pair.indexOf('=');
      counts.header++;
      return eq === -1 ? (pair.startsWith(' ') ? ' ' : '') + marker('header') : `${ctx.scrub(pair.slice(0, eq), counts)}=${marker('header')}`;
    })
    .join(';');
}

/** `Set-Cookie: sid=abc; Path=/; HttpOnly` → `sid=<redacted:header>; Path=/; HttpOnly`. */
function redactSetCookie(value: string, ctx: RedactionContext, counts: RedactionCounts): string {
  const semicolon = value.indexOf(';');
  const pair = semicolon === -1 ? value : value.slice(0, semicolon);
  const attributes = semicolon === -1 ? '' : value.slice(semicolon);
  return redactCookiePairs(pair, ctx, counts) + ctx.scrub(attributes, counts);
}
