/**
 * `defineConnector({...})`: the module form of a connector, for mapping a template cannot say.
 */
import { withDefaults, type ConnectorInput } from './defaults.js';
import type { ConnectorDefinition } from './types.js';

/**
 * Type-check a connector written in TypeScript or JavaScript and write its defaults out. The
 * module's default export is the connector; `recon run connectors/push.mjs` loads it (relative
 * paths are relative to the module). It is validated like a YAML one when loaded.
 *
 * A module may also export `map(record, { id, key })` returning the request's
 * `{ path, query, headers, body }` as plain values; it then replaces `request`.
 *
 * @example
 * import { defineConnector } from 'recon';
 * export default defineConnector({
 *   name: 'push-orders',
 *   config: '../recon.yaml',
 *   operation: 'createOrder',
 *   messageId: '/orderNo',
 *   rateLimit: { limit: 10, windowSeconds: 1 },
 *   idempotency: { strategy: 'header' },
 * });
 * export function map(record) {
 *   return { body: { customerId: Number(record.customer), items: record.items } };
 * }
 */
export function defineConnector(definition: ConnectorInput): ConnectorDefinition {
  return withDefaults(definition);
}

export type { ConnectorInput };
