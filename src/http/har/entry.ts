/**
 * One redacted exchange as a HAR 1.2 entry.
 */
import { bodyKind, headerValue, mediaType, type RedactionReport } from '../redact/index.js';
import type { Exchange, HeaderList, ReceivedResponse } from '../types.js';
import { requestCookies, responseCookies } from './cookies.js';
import type { HarContent, HarEntry, HarNameValue, HarPostData, HarReconFields, HarResponse, HarTimings } from './types.js';

/**
 * @param e an exchange that has been redacted already (`Redactor.redactExchange`): nothing here
 *   redacts.
 * @param report what redaction did: its counts and zeroed pointers go into `_recon`, and its
 *   original body sizes into `bodySize` and the truncation note (without it the redacted sizes
 *   are used).
 */
export function exchangeToEntry(e: Exchange, report?: RedactionReport): HarEntry {
  const httpVersion = harHttpVersion(e.response?.httpVersion);
  const request: HarEntry['request'] = {
    method: e.request.method,
    url: e.request.url,
    httpVersion,
    cookies: requestCookies(e.request.headers),
    headers: nameValues(e.request.headers),
    queryString: queryString(e.request.url),
    headersSize: -1,
    bodySize: 0,
  };
  if (e.request.body !== undefined) {
    request.postData = postData(e.request.body, headerValue(e.request.headers, 'content-type'));
    request.bodySize = report?.request?.originalBytes ?? byteLength(e.request.body);
  }

  const entry: HarEntry = {
    startedDateTime: e.startedAt.toISOString(),
    time: Math.max(0, e.time),
    request,
    response: e.response !== undefined ? response(e.response, e.startedAt, report) : failedResponse(e),
    cache: {},
    timings: harTimings(e),
  };
  const recon = reconFields(e, report);
  if (recon !== undefined) entry._recon = recon;
  const zeroed = (report?.request?.zeroedCount ?? 0) + (report?.response?.zeroedCount ?? 0);
  if (zeroed > 0) entry.comment = `redaction wrote 0 or false for ${zeroed} JSON number(s)/boolean(s), listed in _recon.zeroed`;
  return entry;
}

function response(r: ReceivedResponse, startedAt: Date, report: RedactionReport | undefined): HarResponse {
  const contentType = headerValue(r.headers, 'content-type');
  const content: HarContent = { size: r.bodySize, mimeType: contentType ?? 'x-unknown' };
  if (r.body.length > 0) {
    if (bodyKind(contentType, r.body, r.truncated) === 'binary') {
      content.text = r.body.toString('base64');
      content.encoding = 'base64';
    } else {
      content.text = r.body.toString('utf8');
    }
  }
  if (r.truncated) content.comment = `truncated at ${report?.response?.originalBytes ?? r.body.length} of ${r.bodySize} bytes`;
  return {
    status: r.status,
    statusText: r.statusText,
    httpVersion: harHttpVersion(r.httpVersion),
    cookies: responseCookies(r.headers, startedAt),
    headers: nameValues(r.headers),
    content,
    redirectURL: headerValue(r.headers, 'location') ?? '',
    headersSize: -1,
    bodySize: r.bodySize,
  };
}

/** No response: status 0 as browsers write it, and what failed in `_error`. */
function failedResponse(e: Exchange): HarResponse {
  const failure = e.failure ?? { code: 'RECON_NO_RESPONSE', message: 'no response was recorded' };
  return {
    status: 0,
    statusText: '',
    httpVersion: '',
    cookies: [],
    headers: [],
    content: { size: 0, mimeType: 'x-unknown' },
    redirectURL: '',
    headersSize: -1,
    bodySize: -1,
    _error: { code: failure.code, message: failure.message },
  };
}

function postData(body: Buffer | string, contentType: string | undefined): HarPostData {
  const data: HarPostData = { mimeType: contentType ?? '' };
  if (typeof body !== 'string' && bodyKind(contentType, body) === 'binary') {
    data.text = body.toString('base64');
    data._encoding = 'base64';
    return data;
  }
  data.text = typeof body === 'string' ? body : body.toString('utf8');
  if (mediaType(contentType) === 'application/x-www-form-urlencoded') {
    data.params = [...new URLSearchParams(data.text)].map(([name, value]) => ({ name, value }));
  }
  return data;
}

/**
 * HAR 1.2 timings: send, wait and receive are required and never negative; the rest are -1 when
 * they did not apply. When the wait was not measured it is what is left of the total.
 */
function harTimings(e: Exchange): HarTimings {
  const t = e.timings;
  const optional = (ms: number): number => (Number.isFinite(ms) && ms >= 0 ? ms : -1);
  const required = (ms: number): number => (Number.isFinite(ms) && ms >= 0 ? ms : 0);
  const [blocked, dns, connect, ssl] = [optional(t.blocked), optional(t.dns), optional(t.connect), optional(t.ssl)];
  const [send, receive] = [required(t.send), required(t.receive)];
  // HAR: ssl is inside connect, so it is not counted twice.
  const wait = t.wait >= 0 ? t.wait : Math.max(0, e.time - [blocked, dns, connect, send, receive].reduce((sum, ms) => sum + Math.max(ms, 0), 0));
  return { blocked, dns, connect, ssl, send, wait, receive };
}

function reconFields(e: Exchange, report: RedactionReport | undefined): HarReconFields | undefined {
  const recon: HarReconFields = {};
  if (e.operation !== undefined) recon.operation = { ...e.operation };
  if (e.purpose !== undefined) recon.purpose = e.purpose;
  if (e.response?.truncated) recon.truncated = true;
  if (report !== undefined) {
    const redactions = Object.fromEntries(Object.entries(report.counts).filter(([, count]) => count > 0));
    if (Object.keys(redactions).length > 0) recon.redactions = redactions;
    const zeroed: NonNullable<HarReconFields['zeroed']> = {};
    if (report.request !== undefined && report.request.zeroedCount > 0) zeroed.request = { pointers: report.request.zeroed, count: report.request.zeroedCount };
    if (report.response !== undefined && report.response.zeroedCount > 0) zeroed.response = { pointers: report.response.zeroed, count: report.response.zeroedCount };
    if (zeroed.request !== undefined || zeroed.response !== undefined) recon.zeroed = zeroed;
  }
  return Object.keys(recon).length > 0 ? recon : undefined;
}

/** `1.1` → `HTTP/1.1`; `2` → `HTTP/2`; already prefixed or named (`h2`) stays. */
function harHttpVersion(version: string | undefined): string {
  if (version === undefined || version === '') return 'HTTP/1.1';
  return /^\d/.test(version) ? `HTTP/${version}` : version;
}

function nameValues(headers: HeaderList): HarNameValue[] {
  return headers.map(([name, value]) => ({ name, value }));
}

/** The query string of the URL, decoded as forms are (WHATWG URL §5.1), fragment excluded. */
function queryString(url: string): HarNameValue[] {
  const question = url.indexOf('?');
  if (question === -1) return [];
  const hash = url.indexOf('#', question);
  const query = url.slice(question + 1, hash === -1 ? undefined : hash);
  return [...new URLSearchParams(query)].map(([name, value]) => ({ name, value }));
}

function byteLength(body: Buffer | string): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.length;
}
