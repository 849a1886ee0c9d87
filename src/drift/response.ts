/**
 * The parts of a response checked before its body: which documented response its status is,
 * which documented media type its Content-Type is, and its headers.
 */
import type { MediaTypeModel, OperationModel, ResponseModel } from '../spec/types.js';

/**
 * OpenAPI 3.1 §4.8.16.1: an exact code wins over a range (`4XX`), a range over `default`.
 * @example findResponse(operation, '404')
 */
export function findResponse(operation: OperationModel, status: string): ResponseModel | undefined {
  let range: ResponseModel | undefined;
  let fallback: ResponseModel | undefined;
  for (const response of operation.responses) {
    const documented = response.status.toUpperCase();
    if (documented === status) return response;
    if (documented === `${status[0]}XX`) range = response;
    else if (documented === 'DEFAULT') fallback = response;
  }
  return range ?? fallback;
}

/** `application/json; charset=utf-8` → `application/json`. */
export function bareMediaType(value: string): string {
  return value.split(';')[0]!.trim().toLowerCase();
}

/**
 * OpenAPI 3.1 §4.8.14: the most specific documented media-type key wins (`text/plain` over
 * `text/*` over `*\/*`).
 */
export function findMediaType(response: ResponseModel, mediaType: string | undefined): MediaTypeModel | undefined {
  if (mediaType === undefined) return undefined;
  let wildcardType: MediaTypeModel | undefined;
  let wildcardAll: MediaTypeModel | undefined;
  for (const content of response.content) {
    const documented = bareMediaType(content.mediaType);
    if (documented === mediaType) return content;
    if (documented === `${mediaType.split('/')[0]}/*`) wildcardType = content;
    else if (documented === '*/*') wildcardAll = content;
  }
  return wildcardType ?? wildcardAll;
}

/**
 * Headers every HTTP stack adds, which no vendor documents and no reviewer needs told about:
 * RFC 9110/9111 general headers, CORS, security and proxy headers. `Link`, `Retry-After` on a
 * 2xx and vendor `X-` headers are not here: they carry meaning an integration relies on.
 */
export const STANDARD_HEADERS = new Set([
  'accept-ranges', 'access-control-allow-credentials', 'access-control-allow-headers', 'access-control-allow-methods',
  'access-control-allow-origin', 'access-control-expose-headers', 'access-control-max-age', 'age', 'allow', 'alt-svc',
  'cache-control', 'cf-cache-status', 'cf-ray', 'connection', 'content-disposition', 'content-encoding', 'content-language',
  'content-length', 'content-location', 'content-security-policy', 'content-type', 'cross-origin-opener-policy',
  'cross-origin-resource-policy', 'date', 'etag', 'expect-ct', 'expires', 'keep-alive', 'last-modified', 'location', 'nel',
  'permissions-policy', 'pragma', 'proxy-connection', 'referrer-policy', 'report-to', 'retry-after', 'server', 'server-timing',
  'set-cookie', 'strict-transport-security', 'timing-allow-origin', 'trailer', 'transfer-encoding', 'upgrade', 'vary', 'via',
  'www-authenticate', 'x-cache', 'x-content-type-options', 'x-frame-options', 'x-powered-by', 'x-xss-protection',
]);

/** `x-acme-release` → `X-Acme-Release`, as people write header names. */
export function headerDisplayName(lowerCased: string): string {
  return lowerCased.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}
