/**
 * What the schema cannot say about a connector: templates that do not parse, strategy `none`
 * chosen without saying so, `lookup` without its lookup, no rate limit from anywhere.
 */
import type { KeyPath } from '../../config/index.js';
import type { ConnectorProblem } from './errors.js';
import type { DefinitionSource } from './schema.js';
import { parseTemplate } from './template.js';
import type { ConnectorDefinition, RequestTemplate } from './types.js';

/** Why `none` must be chosen in so many words: the message a user sees when it was not. */
export const NONE_NEEDS_ACKNOWLEDGEMENT =
  "strategy 'none' gives no idempotency guarantee: when a call's outcome is unknown (a timeout, or the connection lost after the request was sent) recon cannot tell whether the vendor created the record, so such a message is parked for a person instead of retried. Add 'acknowledgeNoIdempotency: true' under idempotency to accept that, or use 'header' or 'lookup'";

/** Problems in a definition that already passed the schema (empty when there are none). */
export function checkDefinition(definition: ConnectorDefinition, source: DefinitionSource): ConnectorProblem[] {
  const problems: ConnectorProblem[] = [];
  const { idempotency } = definition;
  if (idempotency.strategy === 'none' && idempotency.acknowledgeNoIdempotency !== true) {
    problems.push(source.problem(['idempotency', 'strategy'], NONE_NEEDS_ACKNOWLEDGEMENT));
  }
  if (idempotency.strategy === 'lookup' && !idempotency.lookup) {
    problems.push(source.problem(['idempotency'], "strategy 'lookup' needs 'lookup': the operation to search with, where the candidates are (items) and which field matches (match)"));
  }
  if (definition.integrationSpec === undefined && definition.rateLimit === undefined) {
    problems.push(source.problem([], "no rate limit: name the review's 'integrationSpec' (its measured limit is used) or give 'rateLimit: { limit, windowSeconds }'"));
  }
  problems.push(...checkRequestTemplates(definition.request, ['request'], source));
  const pagination = definition.pull?.pagination;
  if (pagination?.style === 'cursor' && pagination.cursorPointer === undefined) {
    problems.push(source.problem(['pagination'], "style 'cursor' needs 'cursorPointer': where the next cursor is in the response body, e.g. /nextCursor"));
  }
  if (idempotency.lookup) {
    problems.push(...checkRequestTemplates(idempotency.lookup.request ?? {}, ['idempotency', 'lookup', 'request'], source));
    problems.push(...checkTemplates(idempotency.lookup.match.equals, ['idempotency', 'lookup', 'match', 'equals'], source));
  }
  return problems;
}

function checkRequestTemplates(request: RequestTemplate, at: KeyPath, source: DefinitionSource): ConnectorProblem[] {
  return (['path', 'query', 'headers', 'body'] as const).flatMap((part) => (request[part] === undefined ? [] : checkTemplates(request[part], [...at, part], source)));
}

/** Every string in `value` parsed as a template; a problem per one that does not parse. */
function checkTemplates(value: unknown, at: KeyPath, source: DefinitionSource): ConnectorProblem[] {
  if (typeof value === 'string') {
    try {
      parseTemplate(value);
      return [];
    } catch (error) {
      return [source.problem(at, (error as Error).message)];
    }
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => checkTemplates(item, [...at, index], source));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([name, item]) => checkTemplates(item, [...at, name], source));
  return [];
}
