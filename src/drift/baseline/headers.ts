/**
 * Which response headers a shape may keep the value of, and how header names are shown.
 */

/** Credentials and session state: the name is kept, the value never reaches the shape file. */
const SECRET = /(?:cookie|authori[sz]ation|auth|token|secret|key|session|signature|credential|password)/i;
/** Values that change per response or per second; constant in a small recording only by chance. */
const VOLATILE = /^(?:date|expires|last-modified|etag|content-length|age|retry-after|server-timing|x-response-time|via|cf-ray|x-amz-.*|x-cache.*)$|request-?id|trace|correlation|span|remaining|reset|timing|nonce|elapsed|duration/i;

/** Whether a header's value belongs in the shape (and so can show a `header-changed`). */
export function headerValueIsKept(name: string): boolean {
  return !SECRET.test(name) && !VOLATILE.test(name);
}

/** `x-acme-release` → `X-Acme-Release`, the spelling people write. */
export function displayHeaderName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}
