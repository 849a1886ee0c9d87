/**
 * One parsed HAR entry → the exchange drift checks, or the reason it cannot be checked.
 *
 * Lenient like `readHar`: only what drift uses must be there (request method and URL, response
 * status); the rest is read when present and well-formed. Skip reasons are worded to be counted
 * together across entries (the report groups by reason), so they name no entry-specific values.
 */
import type { ExchangeRef, ObservedExchange, SkippedExchange } from '../types.js';
import { decodeBody } from './body.js';
import { responseMediaType } from './media-type.js';

/**
 * @example
 * entryToExchange(JSON.parse(text), { recording: 0, entry: 3 }, { maxBodyBytes: 64 << 20 });
 */
export function entryToExchange(raw: unknown, ref: ExchangeRef, options: { maxBodyBytes: number }): ObservedExchange | SkippedExchange {
  if (!isObject(raw)) return { ref, reason: 'the entry is not a JSON object' };
  const request = raw['request'];
  const response = raw['response'];
  const method = isObject(request) && typeof request['method'] === 'string' && request['method'] !== '' ? request['method'].toUpperCase() : undefined;
  const url = isObject(request) && typeof request['url'] === 'string' && request['url'] !== '' ? request['url'] : undefined;
  const skip = (reason: string): SkippedExchange => ({ ref, ...(method === undefined ? {} : { method }), ...(url === undefined ? {} : { url }), reason });

  if (method === undefined || url === undefined) return skip('the entry has no request method or URL');
  if (!isObject(response)) return skip('the entry has no response');
  const status = response['status'];
  if (typeof status !== 'number') return skip('the response has no status');
  if (status === 0) return skip(noResponseReason(response['_error']));
  // RFC 9110 §15: three digits, 100–599 in use.
  if (!Number.isInteger(status) || status < 100 || status > 599) return skip('the response status is not an HTTP status code (100-599)');

  const headers = headerList(response['headers']);
  const content = response['content'];
  const mediaType = responseMediaType(headers, isObject(content) ? content['mimeType'] : undefined);
  const recon = raw['_recon'];
  const truncated = isObject(recon) && recon['truncated'] === true;
  const body = decodeBody({ content, headers, status, method, mediaType, truncated }, options.maxBodyBytes);

  const exchange: ObservedExchange = { ref, method, url, status, headers, mediaType, body };
  if (typeof raw['startedDateTime'] === 'string') exchange.startedDateTime = raw['startedDateTime'];
  return exchange;
}

/**
 * Status 0 is how browsers (and recon) write a request that got no response: blocked, cancelled,
 * failed to connect. The error code is kept (stable: `net::ERR_BLOCKED_BY_CLIENT`,
 * `ECONNREFUSED`), its free-text message is not.
 */
function noResponseReason(error: unknown): string {
  const code = isObject(error) && typeof error['code'] === 'string' ? error['code'] : typeof error === 'string' ? error : '';
  const shown = /^[\w:.\- ]{1,80}$/.test(code) ? `: ${code}` : '';
  return `no response (status 0: the request failed or was blocked)${shown}`;
}

/** Response headers with lower-cased names, in order; malformed items are left out. */
function headerList(value: unknown): [string, string][] {
  if (!Array.isArray(value)) return [];
  const headers: [string, string][] = [];
  for (const item of value) {
    if (!isObject(item) || typeof item['name'] !== 'string') continue;
    const v = item['value'];
    // Some tools write numbers or null as header values: read them as text, as readHar does.
    // (Not String(object): a parsed `{"toString": 1}` would throw.)
    headers.push([item['name'].toLowerCase(), typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '']);
  }
  return headers;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
