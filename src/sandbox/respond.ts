/** What a handler returns, and how it goes on the wire. */
import type { ServerResponse } from 'node:http';

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless `text` is set. */
  json?: unknown;
  /** A body sent verbatim (CSV, HTML, truncated JSON). */
  text?: string;
  contentType?: string;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const PROBLEM_TYPE = 'application/problem+json';

export function json(status: number, body: unknown, headers?: Record<string, string>): ApiResponse {
  return headers === undefined ? { status, json: body } : { status, json: body, headers };
}

export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, the documented error body of every /api/v1 operation. */
export function problem(status: number, title: string, detail: string, errors?: FieldError[]): ApiResponse {
  const body: Record<string, unknown> = {
    type: `https://developer.acme-erp.example/problems/${slugTitle(title)}`,
    title,
    status,
    detail,
  };
  if (errors !== undefined) body['errors'] = errors;
  return { status, json: body, contentType: PROBLEM_TYPE };
}

export function writeResponse(res: ServerResponse, response: ApiResponse, extraHeaders: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const body = response.text ?? JSON.stringify(response.json ?? null);
  const contentType = response.contentType ?? JSON_TYPE;
  res.statusCode = response.status;
  for (const [name, value] of Object.entries({ ...extraHeaders, ...response.headers })) res.setHeader(name, value);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

function slugTitle(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
