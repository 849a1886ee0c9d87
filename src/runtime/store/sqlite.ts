/**
 * The Store on one SQLite file (better-sqlite3, WAL). better-sqlite3 is synchronous — a
 * statement on a local file takes microseconds, far less than the promise machinery an async
 * driver would add — so each method does its work at once and resolves; the interface is async
 * for the PostgreSQL store. Every SQLite failure leaves as a StoreUnavailableError naming the file.
 */
import type Database from 'better-sqlite3';
import { StoreUnavailableError } from './errors.js';
import { SqliteAuditLog } from './sqlite-audit.js';
import { normaliseSqliteOptions, openSqliteDatabase, type NormalisedSqliteOptions, type SqliteStoreOptions } from './sqlite-connection.js';
import { storeErrorFrom } from './sqlite-errors.js';
import { SqliteQueue } from './sqlite-queue.js';
import { SqliteState } from './sqlite-state.js';
import { SqliteWorkers, WORKER_STALE_AFTER_MS } from './sqlite-workers.js';
import type { AuditQuery, AuditRecord, AuditVerification, EnqueueResult, MessageState, QueuedMessage, QueueStats, StateEntry, Store, WorkerBeat, WorkerInfo } from './types.js';

/**
 * @example
 * const store = SqliteStore.open('.recon/recon.db', { durability: 'full' });
 * await store.enqueue('push-invoices', [{ id: 'INV-1', payload: { amount: 10 }, idempotencyKey: 'push-invoices:INV-1' }], Date.now());
 * await store.close();
 */
export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  private db: Database.Database | undefined;
  private readonly queue: SqliteQueue;
  private readonly log: SqliteAuditLog;
  private readonly state: SqliteState;
  private readonly workerRows: SqliteWorkers;

  private constructor(
    /** The database file. */
    readonly file: string,
    db: Database.Database,
    private readonly options: NormalisedSqliteOptions,
  ) {
    this.db = db;
    this.queue = new SqliteQueue(db);
    this.log = new SqliteAuditLog(db);
    this.state = new SqliteState(db);
    this.workerRows = new SqliteWorkers(db);
  }

  /** Open (creating and migrating as needed) the store in `file`. */
  static open(file: string, options: SqliteStoreOptions = {}): SqliteStore {
    const normalised = normaliseSqliteOptions(options);
    const db = openSqliteDatabase(file, normalised);
    return new SqliteStore(file, db, normalised);
  }

  enqueue(connector: string, messages: { id: string; payload: unknown; idempotencyKey: string }[], now: number): Promise<EnqueueResult> {
    return this.run(() => this.queue.enqueue(connector, messages, now));
  }
  lease(connector: string, owner: string, max: number, leaseMs: number, now: number): Promise<QueuedMessage[]> {
    return this.run(() => this.queue.lease(connector, owner, max, leaseMs, now));
  }
  /** Does nothing when `owner` no longer holds the lease (the contract returns void). */
  markOutcomeUnknown(connector: string, id: string, owner: string, unknown: boolean): Promise<void> {
    return this.run(() => void this.queue.markOutcomeUnknown(connector, id, owner, unknown));
  }
  complete(connector: string, id: string, owner: string, result: { vendorId?: string }, now: number): Promise<boolean> {
    return this.run(() => this.queue.complete(connector, id, owner, result, now));
  }
  retry(connector: string, id: string, owner: string, notBefore: number, reason: string, now: number): Promise<boolean> {
    return this.run(() => this.queue.retry(connector, id, owner, notBefore, reason, now));
  }
  fail(connector: string, id: string, owner: string, state: 'dead' | 'parked', reason: string, now: number): Promise<boolean> {
    return this.run(() => this.queue.fail(connector, id, owner, state, reason, now));
  }
  requeue(connector: string, which: string[] | 'dead' | 'parked', now: number): Promise<number> {
    return this.run(() => this.queue.requeue(connector, which, now));
  }
  cancel(connector: string, id: string, now: number): Promise<boolean> {
    return this.run(() => this.queue.cancel(connector, id, now));
  }
  get(connector: string, id: string): Promise<QueuedMessage | undefined> {
    return this.run(() => this.queue.get(connector, id));
  }
  list(connector: string, options?: { state?: MessageState; limit?: number }): Promise<QueuedMessage[]> {
    return this.run(() => this.queue.list(connector, options));
  }
  stats(connector?: string): Promise<QueueStats[]> {
    return this.run(() => this.queue.stats(connector));
  }

  audit(record: AuditRecord): Promise<AuditRecord> {
    return this.run(() => this.log.append(record));
  }
  queryAudit(query: AuditQuery): Promise<AuditRecord[]> {
    return this.run(() => this.log.query(query));
  }
  verifyAudit(): Promise<AuditVerification> {
    return this.run(() => this.log.verify());
  }
  pruneAudit(before: string): Promise<number> {
    return this.run(() => this.log.prune(before));
  }

  getState(key: string): Promise<unknown | undefined> {
    return this.run(() => this.state.get(key));
  }
  setState(key: string, value: unknown, now: number): Promise<void> {
    return this.run(() => this.state.set(key, value, now));
  }
  listState(prefix: string): Promise<StateEntry[]> {
    return this.run(() => this.state.list(prefix));
  }
  deleteState(key: string): Promise<void> {
    return this.run(() => this.state.delete(key));
  }
  /** One IMMEDIATE transaction: other processes on the file wait (up to the busy timeout) while `update` runs. */
  transactState<R>(key: string, update: (current: unknown | undefined, now: number) => { value: unknown; result: R }, now: number): Promise<R> {
    return this.run(() => this.state.transact(key, update, now));
  }

  /** On SQLite the caller's clock is the store's clock: every process on the file shares the machine's. */
  heartbeat(beat: WorkerBeat, leaseMs: number, now: number): Promise<{ extended: number; leaseUntil: number }> {
    return this.run(() => this.workerRows.heartbeat(beat, leaseMs, now));
  }
  /** Ages are measured with the `now` clock the store was opened with (SqliteStoreOptions). */
  workers(connector?: string, options: { staleAfterMs?: number } = {}): Promise<WorkerInfo[]> {
    return this.run(() => this.workerRows.list(connector, options.staleAfterMs ?? WORKER_STALE_AFTER_MS, this.options.now()));
  }
  removeWorker(owner: string): Promise<void> {
    return this.run(() => this.workerRows.removeWorker(owner));
  }

  /**
   * Idempotent. Refreshes the planner's statistics (SQLite advises `PRAGMA optimize` before
   * closing: without them a filter on status may scan a year of audit log instead of a day) and
   * checkpoints the WAL into the main file so the -wal file does not linger.
   */
  async close(): Promise<void> {
    const db = this.db;
    if (db === undefined) return;
    this.db = undefined;
    try {
      db.pragma('optimize');
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or full: harmless, the statistics wait for the next close and the WAL is replayed on open.
    }
    db.close();
  }

  private async run<T>(work: () => T): Promise<T> {
    if (this.db === undefined) throw new StoreUnavailableError('RECON_STORE_CLOSED', this.file, `${this.file}: the store is closed`);
    try {
      return work();
    } catch (error) {
      throw storeErrorFrom(error, this.file, this.options.busyTimeoutMs);
    }
  }
}
