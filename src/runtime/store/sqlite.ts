/**
 * The Store on one SQLite file (better-sqlite3, WAL). better-sqlite3 is synchronous — a
 * statement on a local file takes microseconds, far less than the promise machinery an async
 * driver would add — so each method does its work at once and resolves; the interface is async
 * for the PostgreSQL store. Every SQLite failure leaves as a StoreUnavailableError naming the file.
 */
import type Database from 'better-sqlite3';
import { DelegatingStore, type Awaitable } from './delegating-store.js';
import { StoreUnavailableError } from './errors.js';
import { SqliteAuditLog } from './sqlite-audit.js';
import { normaliseSqliteOptions, openSqliteDatabase, type NormalisedSqliteOptions, type SqliteStoreOptions } from './sqlite-connection.js';
import { storeErrorFrom } from './sqlite-errors.js';
import { SqliteQueue } from './sqlite-queue.js';
import { SqliteState } from './sqlite-state.js';
import { SqliteWorkers } from './sqlite-workers.js';

/**
 * @example
 * const store = SqliteStore.open('.recon/recon.db', { durability: 'full' });
 * await store.enqueue('push-invoices', [{ id: 'INV-1', payload: { amount: 10 }, idempotencyKey: 'push-invoices:INV-1' }], Date.now());
 * await store.close();
 */
export class SqliteStore extends DelegatingStore {
  readonly engine = 'sqlite' as const;
  private db: Database.Database | undefined;
  protected readonly queue: SqliteQueue;
  protected readonly log: SqliteAuditLog;
  protected readonly state: SqliteState;
  protected readonly workerRows: SqliteWorkers;

  private constructor(
    /** The database file. */
    readonly file: string,
    db: Database.Database,
    private readonly options: NormalisedSqliteOptions,
  ) {
    super();
    this.db = db;
    this.queue = new SqliteQueue(db);
    this.log = new SqliteAuditLog(db);
    this.state = new SqliteState(db);
    this.workerRows = new SqliteWorkers(db, () => options.now());
  }

  /** Open (creating and migrating as needed) the store in `file`. */
  static open(file: string, options: SqliteStoreOptions = {}): SqliteStore {
    const normalised = normaliseSqliteOptions(options);
    const db = openSqliteDatabase(file, normalised);
    return new SqliteStore(file, db, normalised);
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

  protected async run<T>(work: () => Awaitable<T>): Promise<T> {
    if (this.db === undefined) throw new StoreUnavailableError('RECON_STORE_CLOSED', this.file, `${this.file}: the store is closed`);
    try {
      return await work();
    } catch (error) {
      throw storeErrorFrom(error, this.file, this.options.busyTimeoutMs);
    }
  }
}
