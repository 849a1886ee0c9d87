/**
 * The store behind the connector runtime: durable queue, idempotency ledger and hash-chained
 * audit log behind one interface (types.ts), on SQLite (one machine) or PostgreSQL (many workers
 * on many machines). Callers open a store with `openStore` and never see the engine.
 *
 * @example
 * import { openStore } from './runtime/store/index.js';
 * const store = await openStore('sqlite:.recon/recon.db');
 * await store.enqueue('push-invoices', [{ id: 'INV-1', payload: invoice, idempotencyKey: 'push-invoices:INV-1' }], Date.now());
 * const leased = await store.lease('push-invoices', 'worker-1', 10, 30_000, Date.now());
 * await store.audit({ at: new Date().toISOString(), connector: 'push-invoices', messageId: 'INV-1', … });
 * (await store.verifyAudit()).ok; // true
 */
export type * from './types.js';
export { MESSAGE_STATES } from './types.js';
export { openStore, storeFile, storeSchemaStatus, migrateStore, redactUrl, DEFAULT_STORE_LOCATION, type OpenStoreOptions, type StoreSchemaStatus } from './open.js';
export { SqliteStore } from './sqlite.js';
export { SQLITE_STORE_DEFAULTS, type SqliteStoreOptions } from './sqlite-connection.js';
export { PostgresStore } from './pg-store.js';
export { POSTGRES_STORE_DEFAULTS, type PostgresStoreOptions } from './pg-connection.js';
export { parsePgLocation, isPostgresLocation, DEFAULT_PG_SCHEMA, type PgLocation } from './pg-location.js';
export { PG_MIGRATIONS, LATEST_PG_SCHEMA_VERSION, pgSchemaPlan, migratePg, type PgSchemaPlan } from './pg-schema.js';
export { StoreUnavailableError, StoreInputError, type StoreFailureCode, type StoreInputCode } from './errors.js';
export { canonicalJson, auditHash, auditContent } from './audit-hash.js';
export { verifyChain, type AuditRow, type ChainRow } from './verify-chain.js';
export { parseAuditTime } from './audit-time.js';
export { LATEST_SCHEMA_VERSION } from './schema.js';
