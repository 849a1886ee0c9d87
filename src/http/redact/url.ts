/**
 * URLs: credentials in the userinfo (RFC 3986 §3.2.1 deprecates `user:password@`, vendors still
 * document it), credential query parameters, and secrets, JWTs and national ids anywhere else,
 * fragment included (OAuth implicit flow puts `access_token` there). The URL is edited as text,
 * not re-serialised, so what is not redacted stays exactly as sent.
 */
import { marker, type RedactionCounts } from './kinds.js';
import type { RedactionContext } from './options.js';
import { decodeParam, redactParams } from './params.js';

const SCHEME_AND_AUTHORITY = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)/;

export function redactUrl(url: string, ctx: RedactionContext, counts: RedactionCounts): string {
  const hash = url.indexOf('#');
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? undefined : url.slice(hash + 1);
  const question = beforeHash.indexOf('?');
  const base = question === -1 ? beforeHash : beforeHash.slice(0, question);
  const query = question === -1 ? undefined : beforeHash.slice(question + 1);

  let out = redactBase(base, ctx, counts);
  const isCredential = (name: string): boolean => ctx.isCredentialQueryParam(name);
  if (query !== undefined) out += '?' + redactParams(query, ctx, counts, isCredential, 'query');
  if (fragment !== undefined) {
    out += '#' + (fragment.includes('=') ? redactParams(fragment, ctx, counts, isCredential, 'query') : ctx.scrub(fragment, counts));
  }
  return out;
}

/** Credential values in a URL, to be learned before anything else in the exchange is redacted. */
export function urlCredentials(url: string, ctx: RedactionContext): string[] {
  const found: string[] = [];
  const authority = SCHEME_AND_AUTHORITY.exec(url)?.[2] ?? '';
  const at = authority.lastIndexOf('@');
  if (at !== -1 && authority.slice(0, at).includes(':')) found.push(decodeParam(authority.slice(authority.indexOf(':') + 1, at)));
  const question = url.indexOf('?');
  if (question !== -1) {
    for (const [name, value] of new URLSearchParams(url.slice(question + 1).split('#')[0])) {
      if (value !== '' && ctx.isCredentialQueryParam(name)) found.push(value);
    }
  }
  return found;
}

function redactBase(base: string, ctx: RedactionContext, counts: RedactionCounts): string {
  const match = SCHEME_AND_AUTHORITY.exec(base);
  if (match === null) return ctx.scrub(base, counts);
  const [prefix, scheme, authority] = match as unknown as [string, string, string];
  const path = base.slice(prefix.length);
  const at = authority.lastIndexOf('@');
  let outAuthority = authority;
  if (at !== -1) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    let outUserinfo: string;
    if (colon === -1 || colon === userinfo.length - 1) {
      outUserinfo = ctx.scrub(userinfo, counts);
    } else {
      ctx.learn(decodeParam(userinfo.slice(colon + 1)));
      counts.secret++;
      outUserinfo = `${ctx.scrub(userinfo.slice(0, colon), counts)}:${marker('secret')}`;
    }
    outAuthority = `${outUserinfo}@${ctx.scrub(authority.slice(at + 1), counts)}`;
  }
  return scheme + outAuthority + ctx.scrub(path, counts);
}
