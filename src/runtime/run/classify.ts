/**
 * What one attempt's exchange means for its message — plain data, decided here only
 * (CONVENTIONS.md habit 6): the runner acts on it, the audit log records it.
 *
 *   - 2xx: done (unless the body says it failed: some vendors answer 200 with an error).
 *   - 408, 425, 429, 503 and the policy's other retry statuses: retry. 408 (RFC 9110 §15.5.9),
 *     425 (RFC 8470 §5.2), 429 (RFC 6585 §4) and 503 (RFC 9110 §15.6.4) say the request was not
 *     processed, so a retry is safe whatever the idempotency strategy.
 *   - 500, 502, 504: retry, but the vendor (or the server behind its gateway) may have acted on
 *     the request before it failed: `mayHaveApplied`, as for an unknown outcome.
 *   - any other 4xx: dead, with the vendor's answer as the reason.
 *   - no connection (refused, DNS, connect timeout, TLS handshake): retry; nothing was sent.
 *   - a timeout or a connection lost once the request may have been sent: unknown outcome.
 *   - a 2xx whose body broke off (timeout or connection lost mid-body): unknown outcome too — the
 *     vendor acted, but what it answered (the new record's id) never arrived whole.
 */
import { TIMEOUT_CODE, isTlsFailureCode, type Exchange } from '../../http/index.js';
import { parseRateLimitHeaders } from '../../limits/index.js';
import type { RetryPolicy } from '../connector/types.js';

export type AttemptOutcome =
  | { kind: 'done'; status: number }
  | {
      kind: 'retry';
      reason: string;
      errorClass: string;
      status?: number;
      /** From Retry-After (RFC 9110 §10.2.3), in ms. */
      retryAfterMs?: number;
      /** The vendor may have acted on the request (500, 502, 504): treat like an unknown outcome. */
      mayHaveApplied: boolean;
    }
  | { kind: 'dead'; reason: string; errorClass: string; status?: number }
  | { kind: 'unknown'; reason: string; errorClass: string };

/** Failures that happen before a byte of the request leaves: the vendor cannot have seen it. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
/**
 * No connection could be made at all (refused, DNS, connect timeout, TLS handshake): the vendor
 * is unreachable, as opposed to slow or dropping answers.
 * @example isUnreachable({ failure: { code: 'ECONNREFUSED', message: '' } } as Exchange) // true
 */
export function isUnreachable(exchange: Pick<Exchange, 'response' | 'failure'>): boolean {
  const code = exchange.failure?.code;
  return exchange.response === undefined && code !== undefined && (NOT_SENT_CODES.has(code) || isTlsFailureCode(code));
}

/** Statuses that say the request was not processed (see the header). */
const NOT_PROCESSED_STATUSES = new Set([408, 425, 429, 503]);
/** Longest vendor answer kept as a reason. */
const REASON_CHARS = 500;

/**
 * @example
 * classifyAttempt(exchange, policy, new Date());
 * // { kind: 'dead', reason: '400 Bad Request: The invoice is not valid. (dueDate: is required)', errorClass: 'http-400', status: 400 }
 */
export function classifyAttempt(exchange: Exchange, policy: Pick<RetryPolicy, 'retryStatuses'>, now: Date): AttemptOutcome {
  const response = exchange.response;
  if (response === undefined) {
    const failure = exchange.failure ?? { code: 'ERR_UNKNOWN', message: 'no response' };
    const reason = `${failure.code}: ${failure.message}`;
    if (failure.code === 'ERR_INVALID_URL') return { kind: 'dead', reason, errorClass: failure.code };
    if (NOT_SENT_CODES.has(failure.code) || isTlsFailureCode(failure.code)) {
      return { kind: 'retry', reason, errorClass: failure.code, mayHaveApplied: false };
    }
    // RECON_TIMEOUT, ECONNRESET, "other side closed"…: the request may have reached the vendor.
    return { kind: 'unknown', reason: failure.code === TIMEOUT_CODE ? `timed out: ${failure.message}` : `connection lost: ${reason}`, errorClass: failure.code };
  }
  const status = response.status;
  const body = response.body.toString('utf8');
  if (status >= 200 && status < 300 && exchange.failure !== undefined) {
    // The vendor acted (2xx), but its answer broke off mid-body (deadline, connection lost): what
    // it said — the new record's id above all — is unknown. Unknown, so that `header` re-sends
    // with the same key (the vendor replays its answer) and `lookup` looks the record up.
    const { code, message } = exchange.failure;
    return { kind: 'unknown', errorClass: code, reason: `the vendor answered ${status}, but the body was cut off (${code === TIMEOUT_CODE ? `timed out: ${message}` : `${code}: ${message}`})` };
  }
  if (status >= 200 && status < 300) {
    const error = errorInSuccessBody(body);
    if (error === undefined) return { kind: 'done', status };
    return { kind: 'dead', status, errorClass: 'error-in-2xx-body', reason: `${status} with an error in the body: ${error}` };
  }
  const reason = vendorAnswer(status, response.statusText, body);
  const errorClass = `http-${status}`;
  if (status >= 500 || policy.retryStatuses.includes(status)) {
    const retryAfter = parseRateLimitHeaders(response.headers, now).retryAfterSeconds;
    return {
      kind: 'retry',
      reason,
      errorClass,
      status,
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter * 1000 }),
      mayHaveApplied: !NOT_PROCESSED_STATUSES.has(status),
    };
  }
  return { kind: 'dead', reason, errorClass, status };
}

/**
 * `400 Bad Request: The invoice is not valid. (dueDate: is required)` — from RFC 9457 problem
 * details, an OAuth-style `{error, error_description}`, a `{message}`, or the text with HTML tags
 * removed, cut to a few hundred characters.
 */
export function vendorAnswer(status: number, statusText: string, body: string): string {
  const head = `${status}${statusText ? ` ${statusText}` : ''}`;
  const said = describeBody(body);
  const text = said === '' ? head : `${head}: ${said}`;
  return text.length > REASON_CHARS ? `${text.slice(0, REASON_CHARS - 1)}…` : text;
}

function describeBody(body: string): string {
  const json = parseJson(body);
  if (isObject(json)) {
    const parts: string[] = [];
    const main = firstString(json, ['detail', 'error_description', 'message', 'title', 'error']);
    if (main !== undefined) parts.push(main);
    const errors = Array.isArray(json.errors) ? json.errors : Array.isArray(json.invalidParams) ? json.invalidParams : [];
    const details = errors
      .filter(isObject)
      .map((e) => [firstString(e, ['field', 'name', 'path', 'pointer']), firstString(e, ['message', 'reason', 'detail'])].filter((s) => s !== undefined).join(': '))
      .filter((s) => s !== '');
    if (details.length > 0) parts.push(`(${details.join('; ')})`);
    if (parts.length > 0) return parts.join(' ');
  }
  return body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
}

/** An error a vendor reports with a 2xx: `{"error": …}`, `{"success": false}`, `{"status": "error"}`. */
function errorInSuccessBody(body: string): string | undefined {
  const json = parseJson(body);
  if (!isObject(json)) return undefined;
  const error = json.error;
  const failed = json.success === false || json.ok === false || (typeof json.status === 'string' && /^(error|fail(ed|ure)?)$/i.test(json.status));
  if (!failed && (error === undefined || error === null || error === false || error === '')) return undefined;
  const text = describeBody(body);
  return text.length > REASON_CHARS ? `${text.slice(0, REASON_CHARS - 1)}…` : text;
}

function parseJson(text: string): unknown {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstString(object: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = object[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}
