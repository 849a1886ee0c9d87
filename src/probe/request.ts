/**
 * Turn an operation and its parameter values into a concrete request against a target.
 */
import type { OperationModel } from '../spec/index.js';
import type { HeaderList, OutgoingRequest } from '../http/types.js';

export interface RequestInput {
  operation: OperationModel;
  baseUrl: string;
  /** Values for path, query and header parameters, by name. */
  values: Record<string, unknown>;
  headers: Record<string, string>;
  body?: unknown;
}

/** RFC 6570-ish simple expansion for path segments; OpenAPI style `simple` (the default for path). */
function pathValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => encodeURIComponent(String(v))).join(',');
  return encodeURIComponent(String(value));
}

export function buildRequest(input: RequestInput): OutgoingRequest {
  const { operation, values } = input;
  const base = new URL(input.baseUrl);
  // An operation with servers of its own (a token endpoint outside the API's base path) keeps
  // the target's scheme and host but takes its own base path.
  const basePath = operation.servers?.[0] !== undefined ? operation.servers[0].basePath : base.pathname.replace(/\/+$/, '');
  const path = operation.path.replace(/\{([^{}]+)\}/g, (_, name: string) => pathValue(values[name]));
  const url = new URL(base.origin + basePath + path);
  const headers: HeaderList = [['accept', 'application/json, */*;q=0.5']];
  for (const parameter of operation.parameters) {
    if (!Object.prototype.hasOwnProperty.call(values, parameter.name)) continue;
    const value = values[parameter.name];
    if (value === undefined || value === null) continue;
    if (parameter.in === 'query') {
      // OpenAPI's default for query arrays is style form, explode true: repeat the name.
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(parameter.name, scalar(item));
    } else if (parameter.in === 'header') {
      headers.push([parameter.name, Array.isArray(value) ? value.map(scalar).join(',') : scalar(value)]);
    }
  }
  for (const [name, value] of Object.entries(input.headers)) headers.push([name, value]);
  const request: OutgoingRequest = { method: operation.method.toUpperCase(), url: url.href, headers };
  if (input.body !== undefined) {
    request.body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
    if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) headers.push(['content-type', 'application/json']);
  }
  return request;
}

function scalar(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
