/**
 * Media types compared as a client negotiates them: case-insensitive, parameters dropped
 * (RFC 9110 §8.3.1: `application/json; charset=utf-8` is `application/json`).
 */

/** @example mediaTypeKey('Application/JSON; charset=utf-8') // 'application/json' */
export function mediaTypeKey(mediaType: string): string {
  return mediaType.split(';')[0]!.trim().toLowerCase();
}
