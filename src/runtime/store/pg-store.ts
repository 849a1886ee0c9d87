/**
 * The Store on PostgreSQL: for many workers on many machines sharing one queue, one audit log
 * and one rate limit. Same contract as the SQLite store (test/helpers/store-contract.ts); what
 * differs is underneath: row locks with SKIP LOCKED instead of a file lock, the database's
 * clock instead of each worker's (pg-clock.ts), and retries with backoff across a database
 * restart (pg-connection.ts) — every method is safe to run again after a lost reply.
 */
import { StoreInputError } from './errors.js';
import { PgAuditLog } from './pg-audit.js';
import { closedError, normalisePostgresOptions, PgRunner, type NormalisedPostgresOptions, type PostgresStoreOptions } from './pg-connection.js';
import { pgStoreError } from './pg-errors.js';
import { parsePgLocation, type PgLocation } from './pg-location.js';
import { PgQueue } from './pg-queue.js';
import { migratePg } from './pg-schema.js';
import { PgState } from './pg-state.js';
import { PgWorkers } from './pg-workers.js';
import type { AuditQuery, AuditRecord, AuditVerification, EnqueueResult, MessageState, QueuedMessage, QueueStats, StateEntry, Store, WorkerBeat, WorkerInfo } from './types.js';

/**
 * @example
 * const store = await PostgresStore.open('postgres://recon@db.internal/ops?schema=recon');
 * await store.enqueue('push-invoices', [{ id: 'INV-1', payload: { amount: 10 }, idempotencyKey: 'push-invoices:INV-1' }], Date.now());
 * const leased = await store.lease('push-invoices', 'host-a:4242:k3', 10, 30_000, Date.now());
 * await store.close();
 */
export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  private readonly queue: PgQueue;
  private readonly log: PgAuditLog;
  private readonly state: PgState;
  private readonly workerRows: PgWorkers;

  private constructor(
    /** Where, with the password redacted. */
    readonly location: PgLocation,
    private readonly runner: PgRunner,
    readonly options: NormalisedPostgresOptions,
  ) {
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

  enqueue(connector: string, messages: { id: string; payload: unknown; idempotencyKey: string }[], now: number): Promise<EnqueueResult> {
    return this.run(() => this.queue.enqueue(connector, messages, now));
  }
  lease(connector: string, owner: string, max: number, leaseMs: number, now: number): Promise<QueuedMessage[]> {
    return this.run(() => this.queue.lease(connector, owner, max, leaseMs, now));
  }
  /** Does nothing when `owner` no longer holds the lease (the contract returns void). */
  markOutcomeUnknown(connector: string, id: string, owner: string, unknown: boolean): Promise<void> {
    return this.run(async () => void (await this.queue.markOutcomeUnknown(connector, id, owner, unknown)));
  }
  /** False also when a retry finds its own earlier commit already applied (the message is done either way). */
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
    if (typeof prefix !== 'string') return Promise.reject(new StoreInputError('RECON_STORE_BAD_INPUT', 'listState: the prefix must be a string'));
    return this.run(() => this.state.list(prefix));
  }
  deleteState(key: string): Promise<void> {
    return this.run(() => this.state.delete(key));
  }
  /** The row locked with SELECT … FOR UPDATE while `update` runs; on database time `update` gets the database's clock. */
  transactState<R>(key: string, update: (current: unknown | undefined, now: number) => { value: unknown; result: R }, now: number): Promise<R> {
    return this.run(() => this.state.transact(key, update, now));
  }

  heartbeat(beat: WorkerBeat, leaseMs: number, now: number): Promise<{ extended: number; leaseUntil: number }> {
    return this.run(() => this.workerRows.heartbeat(beat, leaseMs, now));
  }
  /** Heartbeat ages by the database's clock (on caller time: the `now` option's). */
  workers(connector?: string, options: { staleAfterMs?: number } = {}): Promise<WorkerInfo[]> {
    return this.run(() => this.workerRows.list(connector, options));
  }
  removeWorker(owner: string): Promise<void> {
    return this.run(() => this.workerRows.remove(owner));
  }

  /** Idempotent: waits for the statements in flight, then closes every connection. */
  async close(): Promise<void> {
    await this.runner.close();
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.runner.isClosed) throw closedError(this.location);
    try {
      return await work();
    } catch (error) {
      throw pgStoreError(error, this.location);
    }
  }
}
