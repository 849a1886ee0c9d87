/**
 * Turn one record into the vendor call the connector describes: path parameters into the
 * operation's path template, query, headers and a JSON body, the idempotency header added, and
 * the body checked against the documented request schema before anything is sent.
 */
import type { OperationModel } from '../../spec/index.js';
import { checkBody } from './body-check.js';
import { ConnectorInputError } from './errors.js';
import type { LoadedConnector, MappedRequest } from './loaded.js';
import { renderTemplate } from './template.js';
import type { RequestTemplate } from './types.js';

export interface ConnectorCall {
  /** Upper case: `POST`. */
  method: string;
  /** Absolute: the target's base URL, the filled-in path, the query. */
  url: string;
  /** Target headers, the template's, then the idempotency header. Auth is the sender's job. */
  headers: [string, string][];
  /** The JSON text sent, when there is a body. */
  body?: string;
  /** The body as a value (what was validated). */
  bodyValue?: unknown;
}

/**
 * The create call for one record. Throws `ConnectorInputError` (dead-letter it) when a template
 * points at a field the record lacks or the body does not fit the request schema.
 *
 * @example
 * buildCall(loaded, { invoiceNo: 'A-1', customer: 10001 }, 'A-1', 'recon-push-invoices-A-1')
 * // { method: 'POST', url: 'http://127.0.0.1:4010/api/v1/invoices',
 * //   headers: [['content-type', 'application/json'], ['Idempotency-Key', 'recon-push-invoices-A-1']], body: '{…}' }
 */
export function buildCall(loaded: LoadedConnector, record: unknown, id: string, key: string): ConnectorCall {
  const { definition } = loaded;
  const parts = loaded.map ? mapped(loaded, record, id, key) : render(definition.request, record, id, key, 'request');
  const call = assemble(loaded, loaded.operation, parts, id);
  if (definition.idempotency.strategy === 'header') setHeader(call.headers, definition.idempotency.header ?? 'Idempotency-Key', key);
  if (definition.validate) checkBody(loaded.spec, loaded.operation, call.bodyValue, id);
  return call;
}

/**
 * The lookup call (strategy `lookup`) that asks the vendor whether this record was created before.
 * @example buildLookup(loaded, record, 'A-1', key).url // …/invoices?externalRef=A-1
 */
export function buildLookup(loaded: LoadedConnector, record: unknown, id: string, key: string): ConnectorCall {
  const lookup = loaded.definition.idempotency.lookup;
  if (!lookup || !loaded.lookupOperation) throw new TypeError(`connector ${loaded.definition.name} has no lookup (its strategy is ${loaded.definition.idempotency.strategy})`);
  return assemble(loaded, loaded.lookupOperation, render(lookup.request, record, id, key, 'idempotency.lookup.request'), id);
}

function render(template: RequestTemplate, record: unknown, id: string, key: string, at: string): MappedRequest {
  const one = (part: keyof RequestTemplate) => renderTemplate(template[part], { record, id, key, at: `${at}.${part}` });
  const out: MappedRequest = {};
  if (template.path) out.path = one('path') as MappedRequest['path'];
  if (template.query) out.query = one('query') as MappedRequest['query'];
  if (template.headers) out.headers = one('headers') as MappedRequest['headers'];
  if (template.body !== undefined) out.body = one('body');
  return out;
}

function mapped(loaded: LoadedConnector, record: unknown, id: string, key: string): MappedRequest {
  let result: unknown;
  try {
    result = loaded.map!(record, { id, key });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConnectorInputError('RECON_CONNECTOR_INVALID_MESSAGE', `record ${id}: the connector's map() failed: ${reason}`, id, { cause: error });
  }
  if (result === null || typeof result !== 'object') {
    throw new ConnectorInputError('RECON_CONNECTOR_INVALID_MESSAGE', `record ${id}: the connector's map() returned ${result === null ? 'null' : typeof result}, not { path, query, headers, body }`, id);
  }
  return result as MappedRequest;
}

function assemble(loaded: LoadedConnector, operation: OperationModel, parts: MappedRequest, id: string): ConnectorCall {
  const path = fillPath(operation.path, parts.path ?? {}, id);
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parts.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== null && item !== undefined) query.append(name, text(item));
  }
  const search = query.size > 0 ? `?${query.toString()}` : '';
  const headers: [string, string][] = [];
  for (const [name, value] of Object.entries(loaded.target.headers)) setHeader(headers, name, value);
  for (const [name, value] of Object.entries(parts.headers ?? {})) setHeader(headers, name, text(value));
  const call: ConnectorCall = { method: operation.method.toUpperCase(), url: `${loaded.target.baseUrl.replace(/\/+$/, '')}${path}${search}`, headers };
  if (parts.body !== undefined) {
    call.bodyValue = parts.body;
    call.body = JSON.stringify(parts.body);
    if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) headers.unshift(['content-type', 'application/json']);
  }
  return call;
}

/** `/invoices/{invoiceId}` → `/invoices/A%2F1`: each value percent-encoded as one segment (RFC 3986 §3.3). */
function fillPath(template: string, values: Record<string, unknown>, id: string): string {
  return template.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined || value === null || value === '') {
      throw new ConnectorInputError('RECON_CONNECTOR_INVALID_MESSAGE', `record ${id}: the path parameter '${name}' of ${template} has no value`, id);
    }
    return encodeURIComponent(text(value));
  });
}

/** Replace a header case-insensitively (HTTP field names are, RFC 9110 §5.1), keeping the new spelling. */
function setHeader(headers: [string, string][], name: string, value: string): void {
  const lower = name.toLowerCase();
  const index = headers.findIndex(([existing]) => existing.toLowerCase() === lower);
  if (index >= 0) headers.splice(index, 1);
  headers.push([name, value]);
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
