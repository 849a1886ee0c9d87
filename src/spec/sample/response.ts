/**
 * A documented response of an operation, sampled: status, media type, headers and body, and a
 * concrete URL to have asked for it at. What `recon drift` should find nothing wrong with.
 */
import type { ApiSpec } from '../api-spec.js';
import type { MediaTypeModel, NodeRef, OperationModel, ResponseModel } from '../types.js';
import type { SampleOptions } from './options.js';
import { deriveSeed } from './random.js';
import type { SampleProblem } from './sampler.js';
import { sampleSchema, type SampleResult } from './value.js';

export interface SampleResponseOptions extends SampleOptions {
  /** The documented status to sample (`200`, `'2XX'`, `'default'`); default: the first 2xx
   * with a JSON schema, else `2XX`, else `default`. */
  status?: number | string;
  /** Grow the outermost arrays (a list response's items) until the body is at least this many
   * bytes of JSON. Bodies without an array stay as they are. */
  minBodyBytes?: number;
}

export interface SampledResponse {
  status: number;
  /** As documented, e.g. `application/json; charset=utf-8`. */
  mediaType: string;
  /** Every documented header (required or not), sampled from its schema. */
  headers: [name: string, value: string][];
  body: unknown;
  /** The documented response it came from. */
  response: ResponseModel;
  problems: SampleProblem[];
}

export type JsonResponseSelection =
  | { ok: true; status: number; response: ResponseModel; media: MediaTypeModel & { schema: NonNullable<MediaTypeModel['schema']> } }
  | { ok: false; reason: string };

const JSON_MEDIA = /^(?:application\/(?:[\w.-]+\+)?json|text\/json)$/i;

/** `application/json`, `application/problem+json`, `text/json`, with or without parameters. */
export function isJsonMediaType(mediaType: string): boolean {
  return JSON_MEDIA.test(mediaType.split(';')[0]!.trim());
}

/**
 * The response and JSON media type to sample, or why there is none.
 * @example selectJsonResponse(operation) // { ok: true, status: 200, response, media }
 */
export function selectJsonResponse(operation: OperationModel, status?: number | string): JsonResponseSelection {
  const withJson = (response: ResponseModel): JsonResponseSelection | undefined => {
    const media = response.content.find((m) => isJsonMediaType(m.mediaType) && m.schema !== undefined);
    if (media === undefined) return undefined;
    const code = /^\d{3}$/.test(response.status) ? Number(response.status) : /^[1-5]XX$/i.test(response.status) ? Number(response.status[0]) * 100 : 200;
    return { ok: true, status: code, response, media: media as MediaTypeModel & { schema: NonNullable<MediaTypeModel['schema']> } };
  };
  if (status !== undefined) {
    const wanted = String(status);
    const response = operation.responses.find((r) => r.status.toUpperCase() === wanted.toUpperCase());
    if (response === undefined) return { ok: false, reason: `no documented ${wanted} response` };
    return withJson(response) ?? { ok: false, reason: `the ${wanted} response has no JSON schema` };
  }
  // Explicit codes first (200 before 201), then the range, then `default` (Tripletex documents
  // every success as `default`).
  const ranked = [
    ...operation.responses.filter((r) => /^2\d\d$/.test(r.status)).sort((a, b) => a.status.localeCompare(b.status)),
    ...operation.responses.filter((r) => r.status.toUpperCase() === '2XX'),
    ...operation.responses.filter((r) => r.status === 'default'),
  ];
  if (ranked.length === 0) return { ok: false, reason: 'no 2xx or default response' };
  for (const response of ranked) {
    const selection = withJson(response);
    if (selection !== undefined) return selection;
  }
  return { ok: false, reason: 'no JSON response schema' };
}

/**
 * A sampled response of `operation`, or undefined when it documents no JSON success response.
 * @example
 * const sampled = sampleResponse(spec, spec.operations[0]!, { seed: 3, minBodyBytes: 10_000 });
 */
export function sampleResponse(spec: ApiSpec, operation: OperationModel, options: SampleResponseOptions = {}): SampledResponse | undefined {
  const selection = selectJsonResponse(operation, options.status);
  if (!selection.ok) return undefined;
  const seed = options.seed ?? 1;
  const headers: [string, string][] = [];
  const problems: SampleProblem[] = [];
  for (const header of selection.response.headers) {
    if (header.name.toLowerCase() === 'content-type') continue; // the media type says it
    if (header.schema === undefined) {
      headers.push([header.name, 'x']);
      continue;
    }
    const sampled = sampleSchema(spec, header.schema, { ...options, seed: deriveSeed(seed, `header:${header.name}`) });
    headers.push([header.name, headerText(sampled.value)]);
    problems.push(...sampled.problems);
  }
  const body = sampleBody(spec, selection.media.schema, options);
  problems.push(...body.problems);
  return { status: selection.status, mediaType: selection.media.mediaType, headers, body: body.value, response: selection.response, problems };
}

/**
 * Sample; while the JSON is shorter than `minBodyBytes`, sample again with as many list items
 * as the bytes per item of the last try say are needed (plus 5%). A body without a list is
 * kept as it is.
 */
function sampleBody(spec: ApiSpec, at: NodeRef, options: SampleResponseOptions): SampleResult {
  let result = sampleSchema(spec, at, options);
  const wanted = options.minBodyBytes;
  if (wanted === undefined) return result;
  for (let round = 0; round < 4; round++) {
    const bytes = Buffer.byteLength(JSON.stringify(result.value) ?? '');
    if (bytes >= wanted || result.listItems === 0) break;
    const items = Math.min(MAX_LIST_ITEMS, Math.ceil(result.listItems * (wanted / bytes) * 1.05) + 1);
    if (items <= result.listItems) break;
    result = sampleSchema(spec, at, { ...options, listItems: items });
  }
  return result;
}

/** A list long enough for a 100 MB body of small items; more is a mistake in the caller. */
const MAX_LIST_ITEMS = 100_000;

/** RFC 9110 §5.5: a field value is text; lists are comma-separated (§5.6.1). */
function headerText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(headerText).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * A concrete URL for `operation` under its first server, path parameters filled with values
 * sampled from their schemas (URL-encoded). Server variables take their documented defaults;
 * a relative server URL is resolved against the document's URL, or `https://api.example.invalid`.
 * @example sampleRequestUrl(spec, operation, 3) // 'https://tripletex.no/v2/employee/48213'
 */
export function sampleRequestUrl(spec: ApiSpec, operation: OperationModel, seed = 1): string {
  const server = operation.servers?.[0] ?? spec.servers[0] ?? { url: '/' };
  const base = absolute(withVariableDefaults(spec, server.url), spec.source.uri).replace(/\/+$/, '');
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === name);
    const value =
      parameter?.schema !== undefined
        ? sampleSchema(spec, parameter.schema, { seed: deriveSeed(seed, `path:${name}`), maxDepth: 1 }).value
        : (parameter?.exampleValues[0] ?? name);
    return encodeURIComponent(typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
  });
  return base + (path.startsWith('/') ? path : `/${path}`);
}

function withVariableDefaults(spec: ApiSpec, url: string): string {
  const servers = spec.document.servers;
  const raw = Array.isArray(servers) ? (servers as { url?: unknown; variables?: Record<string, { default?: unknown }> }[]).find((s) => s.url === url) : undefined;
  return url.replace(/\{([^}]+)\}/g, (_, name: string) => String(raw?.variables?.[name]?.default ?? name));
}

function absolute(url: string, documentUri: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  if (/^https?:/i.test(documentUri)) return new URL(url, documentUri).href;
  return new URL(url, 'https://api.example.invalid/').href;
}
