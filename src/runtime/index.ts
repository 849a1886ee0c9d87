/**
 * The connector runtime: connectors (definition, templates, lookups), the input reader, the
 * store (queue, idempotency ledger, audit log) and the runner that delivers a connector's queue.
 * This is the face `src/index.ts` and the CLI use.
 *
 * @example
 * import { loadConnector, openStore, readInput, runConnector, storeBesideConfig } from './runtime/index.js';
 * const loaded = await loadConnector('connectors/push-invoices.yaml');
 * const store = await openStore(storeBesideConfig(loaded.config.file));
 * const summary = await runConnector({ loaded, store, input: readInput('invoices.ndjson') });
 * await store.close();
 */
export * from './run/index.js';
export {
  loadConnector,
  defineConnector,
  buildCall,
  buildLookup,
  findInLookup,
  messageIdOf,
  CONNECTOR_DEFAULTS,
  ConnectorDefinitionError,
  ConnectorInputError,
  type LoadedConnector,
  type ConnectorDefinition,
  type ConnectorInput,
  type IdempotencyStrategy,
  type RetryPolicy,
  type PullDefinition,
} from './connector/index.js';
export { openStore, storeFile, storeSchemaStatus, migrateStore, DEFAULT_STORE_LOCATION, StoreUnavailableError, StoreInputError, MESSAGE_STATES } from './store/index.js';
export type { Store, QueuedMessage, MessageState, AuditRecord, AuditQuery, AuditVerification, QueueStats, EnqueueResult, WorkerBeat, WorkerInfo, StateEntry } from './store/index.js';
export { readInput, InputError, type InputFormat } from './input/index.js';
export { runPull, pullEvery, pullLine, pullStateKey, PullError, type PullSummary, type PullState, type PullOptions } from './pull/index.js';
