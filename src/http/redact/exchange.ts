/**
 * One exchange, redacted: a deep copy in which nothing of the input is shared or changed.
 *
 * Credentials in the request's headers and URL are learned first, so that a token sent in the
 * Authorization header is also scrubbed where the vendor echoes it in the same exchange's body.
 */
import { headerValue } from '../headers.js';
import type { Exchange, HeaderList, OutgoingRequest, ReceivedResponse } from '../types.js';
import { redactBody, type BodyRedaction } from './body.js';
import { headerCredentials, redactHeaderValue } from './headers.js';
import { emptyCounts, type RedactionCounts } from './kinds.js';
import type { RedactionContext } from './options.js';
import { redactUrl, urlCredentials } from './url.js';

/** What was redacted in one exchange: recorded in the HAR entry (`_recon.redactions`). */
export interface RedactionReport {
  counts: RedactionCounts;
  request?: BodyRedaction;
  response?: BodyRedaction;
}

export interface RedactedExchange {
  exchange: Exchange;
  report: RedactionReport;
}

export function redactExchange(e: Exchange, ctx: RedactionContext): RedactedExchange {
  for (const [name, value] of e.request.headers) {
    if (value !== '' && ctx.isCredentialHeader(name)) for (const credential of headerCredentials(name, value)) ctx.learn(credential);
  }
  for (const credential of urlCredentials(e.request.url, ctx)) ctx.learn(credential);

  const counts = emptyCounts();
  const report: RedactionReport = { counts };
  const request: OutgoingRequest = {
    method: e.request.method,
    url: redactUrl(e.request.url, ctx, counts),
    headers: redactHeaders(e.request.headers, ctx, counts),
  };
  if (e.request.body !== undefined) {
    const { body, note } = redactBody(e.request.body, headerValue(e.request.headers, 'content-type'), false, ctx, counts);
    request.body = body;
    report.request = note;
  }

  const out: Exchange = { startedAt: new Date(e.startedAt.getTime()), time: e.time, request, timings: { ...e.timings } };
  if (e.response !== undefined) {
    const { response, note } = redactResponse(e.response, ctx, counts);
    out.response = response;
    report.response = note;
  }
  if (e.failure !== undefined) out.failure = { code: e.failure.code, message: ctx.scrub(e.failure.message, counts) };
  if (e.operation !== undefined) out.operation = { ...e.operation };
  if (e.purpose !== undefined) out.purpose = ctx.scrub(e.purpose, counts);
  return { exchange: out, report };
}

function redactResponse(
  r: ReceivedResponse,
  ctx: RedactionContext,
  counts: RedactionCounts,
): { response: ReceivedResponse; note: BodyRedaction } {
  const headers = redactHeaders(r.headers, ctx, counts);
  const { body, note } = redactBody(r.body, headerValue(r.headers, 'content-type'), r.truncated, ctx, counts);
  const response: ReceivedResponse = {
    status: r.status,
    statusText: ctx.scrub(r.statusText, counts),
    httpVersion: r.httpVersion,
    headers,
    body: body as Buffer,
    bodySize: r.bodySize,
    truncated: r.truncated,
  };
  return { response, note };
}

export function redactHeaders(headers: HeaderList, ctx: RedactionContext, counts: RedactionCounts): HeaderList {
  return headers.map(([name, value]) => [name, redactHeaderValue(name, value, ctx, counts)]);
}



export { headerValue };
