/**
 * The Store methods that every engine answers the same way: hand the call to one of its parts
 * (queue, audit log, state, workers) inside the engine's `run`, which refuses a closed store
 * and turns driver failures into StoreUnavailableError / StoreInputError. An engine keeps only
 * what differs: its parts, how it opens and closes, and its `run`.
 */
import type { AuditQuery, AuditRecord, AuditVerification, EnqueueResult, MessageState, QueuedMessage, QueueStats, StateEntry, Store, WorkerBeat, WorkerInfo } from './types.js';

/** A part's answer: at once (better-sqlite3 is synchronous) or later (pg). */
export type Awaitable<T> = T | Promise<T>;

type NewMessage = { id: string; payload: unknown; idempotencyKey: string };
type StateUpdate<R> = (current: unknown | undefined, now: number) => { value: unknown; result: R };

/** A Store method as a part answers it: the same arguments, the answer at once or later (anything, where the Store's is void). */
type PartMethod<F> = F extends (...args: infer A) => Promise<infer R> ? (...args: A) => Awaitable<[R] extends [void] ? unknown : R> : never;

type QueueMethod = 'enqueue' | 'lease' | 'markOutcomeUnknown' | 'complete' | 'retry' | 'fail' | 'requeue' | 'cancel' | 'get' | 'list' | 'stats';

/** The durable queue (SqliteQueue, PgQueue): Store's queue methods under the same names. */
export type QueuePart = { [M in QueueMethod]: PartMethod<Store[M]> };

/** The hash-chained audit log (SqliteAuditLog, PgAuditLog). */
export interface AuditPart {
  append(record: AuditRecord): Awaitable<AuditRecord>;
  query(query: AuditQuery): Awaitable<AuditRecord[]>;
  verify(): Awaitable<AuditVerification>;
  prune(before: string): Awaitable<number>;
}

/** Named state (SqliteState, PgState). */
export interface StatePart {
  get(key: string): Awaitable<unknown>;
  set(key: string, value: unknown, now: number): Awaitable<void>;
  list(prefix: string): Awaitable<StateEntry[]>;
  delete(key: string): Awaitable<void>;
  transact<R>(key: string, update: StateUpdate<R>, now: number): Awaitable<R>;
}

/** Worker heartbeats (SqliteWorkers, PgWorkers), each listing them by its store's clock. */
export interface WorkersPart {
  heartbeat(beat: WorkerBeat, leaseMs: number, now: number): Awaitable<{ extended: number; leaseUntil: number }>;
  list(connector?: string, options?: { staleAfterMs?: number }): Awaitable<WorkerInfo[]>;
  remove(owner: string): Awaitable<void>;
}

/**
 * @example
 * class MemoryStore extends DelegatingStore {
 *   readonly engine = 'sqlite' as const;
 *   protected readonly queue = new MemoryQueue(); // … log, state, workerRows
 *   protected async run<T>(work: () => Awaitable<T>): Promise<T> { return work(); }
 *   async close(): Promise<void> {}
 * }
 */
export abstract class DelegatingStore implements Store {
  abstract readonly engine: Store['engine'];
  protected abstract readonly queue: QueuePart;
  protected abstract readonly log: AuditPart;
  protected abstract readonly state: StatePart;
  protected abstract readonly workerRows: WorkersPart;

  /** Runs `work` on the open store, its failures as the store's errors. */
  protected abstract run<T>(work: () => Awaitable<T>): Promise<T>;
  abstract close(): Promise<void>;

  enqueue(connector: string, messages: NewMessage[], now: number): Promise<EnqueueResult> {
    return this.run(() => this.queue.enqueue(connector, messages, now));
  }
  lease(connector: string, owner: string, max: number, leaseMs: number, now: number): Promise<QueuedMessage[]> {
    return this.run(() => this.queue.lease(connector, owner, max, leaseMs, now));
  }
  /** Does nothing when `owner` no longer holds the lease (the contract returns void). */
  markOutcomeUnknown(connector: string, id: string, owner: string, unknown: boolean): Promise<void> {
    return this.run(() => this.queue.markOutcomeUnknown(connector, id, owner, unknown)).then(() => undefined);
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
  /** Read, `update`, write back with no other writer in between (how each engine locks: its state part). */
  transactState<R>(key: string, update: StateUpdate<R>, now: number): Promise<R> {
    return this.run(() => this.state.transact(key, update, now));
  }

  heartbeat(beat: WorkerBeat, leaseMs: number, now: number): Promise<{ extended: number; leaseUntil: number }> {
    return this.run(() => this.workerRows.heartbeat(beat, leaseMs, now));
  }
  /** Heartbeat ages by the store's clock (each workers part says whose that is). */
  workers(connector?: string, options: { staleAfterMs?: number } = {}): Promise<WorkerInfo[]> {
    return this.run(() => this.workerRows.list(connector, options));
  }
  removeWorker(owner: string): Promise<void> {
    return this.run(() => this.workerRows.remove(owner));
  }
}
