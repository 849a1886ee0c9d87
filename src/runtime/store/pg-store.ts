/**
 * The Store on PostgreSQL: for many workers on many machines sharing one queue, one audit log
 * and one rate limit. Same contract as the SQLite store (test/helpers/store-contract.ts); what
 * differs is underneath: row locks with SKIP LOCKED instead of a file lock, the database's
 * clock instead of each worker's (pg-clock.ts), and retries with backoff across a database
 * restart (pg-connection.ts) — every method is safe to run again after a lost reply.
 */
import { DelegatingStore, type Awaitable } from './delegating-store.js';
import { StoreInputError } from './errors.js';
import { PgAuditLog } from './pg-audit.js';
import { closedError, normalisePostgresOptions, PgRunner, type NormalisedPostgresOptions, type PostgresStoreOptions } from './pg-connection.js';
import { pgStoreError } from './pg-errors.js';
import { parsePgLocation, type PgLocation } from './pg-location.js';
import { PgQueue } from './pg-queue.js';
import { migratePg } from './pg-schema.js';
import { PgState } from './pg-state.js';
import { PgWorkers } from './pg-workers.js';

/**
 * @example
 * const store = await PostgresStore.open('postgres://recon@db.internal/ops?schema=recon');
 * await store.enqueue('push-invoices', [{ id: 'INV-1', payload: { amount: 10 }, idempotencyKey: 'push-invoices:INV-1' }], Date.now());
 * const leased = await store.lease('push-invoices', 'host-a:4242:k3', 10, 30_000, Date.now());
 * await store.close();
 */
export class PostgresStore extends DelegatingStore {
  readonly engine = 'postgres' as const;
  protected readonly queue: PgQueue;
  protected readonly log: PgAuditLog;
  protected readonly state: PgState;
  protected readonly workerRows: PgWorkers;

  private constructor(
    /** Where, with the password redacted. */
    readonly location: PgLocation,
    private readonly runner: PgRunner,
    readonly options: NormalisedPostgresOptions,
  ) {
    super();
    const s = location.quotedSchema;
    this.queue = new PgQueue(runner, s, options.time);
    this.log = new PgAuditLog(runner, s);
    this.state = new PgState(runner, s, options.time);
    this.workerRows = new PgWorkers(runner, s, options.time, options.now);
  }

  /**
   * Connect, and create or migrate the schema (under an advisory lock: many workers may start at
   * once). A server that refuses connections is waited for up to `openWaitMs`.
   */
  static async open(location: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const where = parsePgLocation(location);
    const normalised = normalisePostgresOptions(options);
    if (normalised.time !== 'database' && normalised.time !== 'caller') throw new StoreInputError('RECON_STORE_BAD_INPUT', `time must be "database" or "caller", not ${String(normalised.time)}`);
    const runner = new PgRunner(where, normalised);
    try {
      await runner.transaction((client) => migratePg(client, where), { opening: true });
    } catch (error) {
      await runner.close().catch(() => {});
      throw pgStoreError(error, where);
    }
    return new PostgresStore(where, runner, normalised);
  }

  /** Idempotent: waits for the statements in flight, then closes every connection. */
  async close(): Promise<void> {
    await this.runner.close();
  }

  protected async run<T>(work: () => Awaitable<T>): Promise<T> {
    if (this.runner.isClosed) throw closedError(this.location);
    try {
      return await work();
    } catch (error) {
      throw pgStoreError(error, this.location);
    }
  }
}
