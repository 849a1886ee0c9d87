/**
 * Connectors: how one input record becomes one vendor call, made safe to retry. Load a
 * definition (YAML or module), then build each record's call; the runner (src/runtime/run/)
 * sends it.
 *
 * @example
 * import { loadConnector, messageIdOf, buildCall } from './runtime/connector/index.js';
 *
 * const loaded = await loadConnector('connectors/push-invoices.yaml', { env: process.env });
 * const id = messageIdOf(loaded, record);
 * const call = buildCall(loaded, record, id, `${loaded.definition.name}:${id}`);
 * // { method: 'POST', url: 'http://127.0.0.1:4010/api/v1/invoices', headers: […], body: '{…}' }
 */
export type * from './types.js';
export { loadConnector, type LoadConnectorOptions } from './load.js';
export { defineConnector, type ConnectorInput } from './define.js';
export { CONNECTOR_DEFAULTS, withDefaults } from './defaults.js';
export { renderTemplate, parseTemplate, TemplateSyntaxError, type TemplateContext, type TemplatePart } from './template.js';
export { buildCall, buildLookup, type ConnectorCall } from './call.js';
export { findInLookup, messageIdOf, type LookupResult } from './lookup.js';
export { findOperation, closeOperations } from './operation.js';
export { CONNECTOR_SCHEMA_PATH } from './schema.js';
export { OVERLAY_FILE } from './resolve.js';
export { NONE_NEEDS_ACKNOWLEDGEMENT } from './checks.js';
export {
  ConnectorDefinitionError,
  ConnectorInputError,
  formatConnectorProblems,
  type ConnectorDefinitionErrorCode,
  type ConnectorInputErrorCode,
  type ConnectorProblem,
} from './errors.js';
export type { LoadedConnector, RecordMapper, MappedRequest, ResolvedRateLimit } from './loaded.js';
