/**
 * Check an outgoing body against the operation's documented request schema (the overlaid
 * document's), and say what is wrong in one line the runner can put on a dead message.
 */
import type { ErrorObject } from 'ajv';
import type { ApiSpec, OperationModel } from '../../spec/index.js';
import { operationLabel } from '../../spec/index.js';
import { ConnectorInputError } from './errors.js';

/** Errors named in the line; the rest are counted. */
const MAX_NAMED = 3;

/**
 * Throws `ConnectorInputError` (RECON_CONNECTOR_INVALID_MESSAGE) when the body does not fit.
 * @example checkBody(spec, operation, { customerId: 'x' }, '42') // throws "record 42: … /customerId must be integer"
 */
export function checkBody(spec: ApiSpec, operation: OperationModel, body: unknown, id: string): void {
  const requestBody = operation.requestBody;
  if (!requestBody) return;
  const name = operation.operationId ?? operationLabel(operation);
  if (body === undefined) {
    if (requestBody.required) throw invalid(id, `${name} requires a body and the connector's request has none`);
    return;
  }
  // A JSON media type with a schema; other media types (forms, files) are not checked here.
  const media = requestBody.content.find((m) => /^application\/([\w.+-]*\+)?json\b/i.test(m.mediaType) && m.schema) ?? requestBody.content.find((m) => /json/i.test(m.mediaType) && m.schema);
  if (!media?.schema) return;
  const validate = spec.validator(media.schema);
  if (validate(body)) return;
  throw invalid(id, `the body does not match ${name}'s request schema: ${describeErrors(validate.errors ?? [])}`);
}

/** `/lines/0/quantity must be >= 1; / must have required property 'dueDate'` */
export function describeErrors(errors: readonly ErrorObject[]): string {
  const lines = [...new Set(errors.map(describeError))];
  const named = lines.slice(0, MAX_NAMED).join('; ');
  return lines.length > MAX_NAMED ? `${named} (and ${lines.length - MAX_NAMED} more)` : named;
}

function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const at = error.instancePath === '' ? '/' : error.instancePath;
  if (error.keyword === 'additionalProperties') return `${at} has the undocumented property '${String(params.additionalProperty)}'`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) return `${at} must be one of: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${at} ${error.message ?? `fails ${error.keyword}`}`;
}

function invalid(id: string, message: string): ConnectorInputError {
  return new ConnectorInputError('RECON_CONNECTOR_INVALID_MESSAGE', `record ${id}: ${message}`, id);
}
