/**
 * The store behind the connector runtime: one interface for the durable queue, the idempotency
 * ledger, the audit log and shared throttle state (DESIGN.md "Store"). SQLite is the embedded
 * implementation (`.recon/recon.db`), PostgreSQL the one many workers share; both pass the same
 * contract suite (test/helpers/store-contract.ts). The runner never talks to a database directly.
 */

export type MessageState = 'queued' | 'leased' | 'done' | 'dead' | 'parked';
export const MESSAGE_STATES: readonly MessageState[] = ['queued', 'leased', 'done', 'dead', 'parked'];

/** One unit of work: an input record a connector turns into one vendor call. */
export interface QueuedMessage {
  connector: string;
  /** Stable id from the input (`invoiceNumber`…): enqueue is idempotent on (connector, id). */
  id: string;
  /** The input record, as JSON. */
  payload: unknown;
  state: MessageState;
  /** Attempts made so far (sent or at least started). */
  attempts: number;
  /** Epoch ms: not delivered before (backoff, Retry-After). */
  notBefore: number;
  /** Epoch ms the message was first enqueued. */
  enqueuedAt: number;
  /** Epoch ms of the last state change. */
  updatedAt: number;
  /** Until when the current lease holds (leased only). */
  leaseUntil?: number;
  /** Who holds the lease (leased only). */
  leaseOwner?: string;
  /** Why it is dead, parked or waiting for a retry, in words (the vendor's answer, the schema error…). */
  reason?: string;
  /** The vendor's id for what was created (done only). */
  vendorId?: string;
  /** The idempotency key sent with every attempt of this message: derived from (connector, id). */
  idempotencyKey: string;
  /**
   * True once an attempt may have reached the vendor without a known outcome (timeout, connection
   * lost after the request was sent): the next attempt must look up first (strategy `lookup`) or
   * the message must be parked (strategy `none`).
   */
  outcomeUnknown: boolean;
}

export interface EnqueueResult {
  /** Newly queued. */
  added: number;
  /** Already known (same connector and id): left as they were. */
  duplicates: number;
}

/** One attempt, as the audit log keeps it (redacted and size-capped before it gets here). */
export interface AuditRecord {
  /** Assigned by the store, increasing from 1. */
  seq?: number;
  /** ISO date-time the request was sent. */
  at: string;
  connector: string;
  messageId: string;
  attempt: number;
  operation: string;
  method: string;
  url: string;
  requestHeaders: [string, string][];
  requestBody?: string;
  status?: number;
  responseHeaders?: [string, string][];
  responseBody?: string;
  durationMs: number;
  idempotencyKey: string;
  /** done | retry | dead | parked | lookup-found | lookup-missing | invalid */
  outcome: string;
  /** Transport failure code or error class (`ECONNRESET`, `RECON_TIMEOUT`, `http-503`). */
  errorClass?: string;
  /** Hex SHA-256 of the previous record (`''` for the first) — set by the store. */
  prevHash?: string;
  /** Hex SHA-256 over prevHash + the record's canonical JSON (all fields but seq/hash) — set by the store. */
  hash?: string;
}

export interface AuditQuery {
  connector?: string;
  messageId?: string;
  operation?: string;
  status?: number;
  /** ISO date or date-time, inclusive. */
  since?: string;
  /** ISO date or date-time, exclusive. */
  until?: string;
  limit?: number;
}

export interface AuditVerification {
  ok: boolean;
  records: number;
  /** The first record whose hash or link does not match, with why. */
  brokenAt?: { seq: number; reason: string };
}

export interface QueueStats {
  connector: string;
  counts: Record<MessageState, number>;
  /** Epoch ms of the oldest message not done/dead. */
  oldestPending?: number;
}

/** What a delivering process tells the store on each heartbeat (`recon run`, `recon run --worker`). */
export interface WorkerBeat {
  /** The lease owner id it leases with (`host:pid:random`). */
  owner: string;
  connector: string;
  host: string;
  pid: number;
  /** Epoch ms the process started delivering (its own clock; shown, never compared). */
  startedAt: number;
  /** running: leasing; stopping: finishing the calls in flight after Ctrl-C / SIGTERM. */
  state: 'running' | 'stopping';
  /** Messages it is sending right now. */
  inFlight: number;
  /** `recon run --worker` (stays up when the queue is empty) or a one-off `recon run`. */
  mode: 'worker' | 'run';
}

/** A worker as the store knows it. */
export interface WorkerInfo extends WorkerBeat {
  /** Epoch ms of the last heartbeat, on the store's clock (the database's for PostgreSQL). */
  lastHeartbeat: number;
  /** Milliseconds since the last heartbeat, measured by the store's clock (never the worker's). */
  heartbeatAgeMs: number;
  /** Messages of its connector it holds leased now. */
  leases: number;
  /** Epoch ms, store's clock, when the last of its leases runs out (none: undefined). */
  leaseUntil?: number;
}

/** One named state entry, as `listState` returns it. */
export interface StateEntry {
  key: string;
  value: unknown;
  /** Epoch ms of the last write (the `now` given, or the database's clock for PostgreSQL). */
  updatedAt: number;
}

export interface Store {
  /** Which engine: the runner shares the rate limit through the store only where many machines share it. */
  readonly engine: 'sqlite' | 'postgres';
  /** Idempotent on (connector, id). Atomic: all of the batch, or none. */
  enqueue(connector: string, messages: { id: string; payload: unknown; idempotencyKey: string }[], now: number): Promise<EnqueueResult>;
  /**
   * Up to `max` queued messages whose `notBefore` has passed, and leased messages whose lease ran
   * out (their holder died), leased to `owner` until `now + leaseMs`, attempts + 1. Oldest first.
   */
  lease(connector: string, owner: string, max: number, leaseMs: number, now: number): Promise<QueuedMessage[]>;
  /** Mark that the current attempt may have reached the vendor with no known outcome (see QueuedMessage.outcomeUnknown). */
  markOutcomeUnknown(connector: string, id: string, owner: string, unknown: boolean): Promise<void>;
  /** Done, with the vendor's id for it. Only the lease holder may; false when the lease was lost. */
  complete(connector: string, id: string, owner: string, result: { vendorId?: string }, now: number): Promise<boolean>;
  /** Back to queued (attempts kept), not before `notBefore`. False when the lease was lost. */
  retry(connector: string, id: string, owner: string, notBefore: number, reason: string, now: number): Promise<boolean>;
  /** Dead (never retried automatically) or parked (an unknown outcome a person must decide). */
  fail(connector: string, id: string, owner: string, state: 'dead' | 'parked', reason: string, now: number): Promise<boolean>;
  /** Re-drive dead/parked messages (the ids given, or every dead / parked one) back to queued. */
  requeue(connector: string, which: string[] | 'dead' | 'parked', now: number): Promise<number>;
  /** Cancel a queued message: dead with reason "cancelled". False when it is not queued. */
  cancel(connector: string, id: string, now: number): Promise<boolean>;
  get(connector: string, id: string): Promise<QueuedMessage | undefined>;
  list(connector: string, options?: { state?: MessageState; limit?: number }): Promise<QueuedMessage[]>;
  stats(connector?: string): Promise<QueueStats[]>;

  /** Appends, hash-chained (the store sets seq, prevHash and hash). */
  audit(record: AuditRecord): Promise<AuditRecord>;
  queryAudit(query: AuditQuery): Promise<AuditRecord[]>;
  verifyAudit(): Promise<AuditVerification>;
  /** Delete records before `before` (ISO), keeping a checkpoint so the rest still verifies. Returns how many. */
  pruneAudit(before: string): Promise<number>;

  /**
   * Small named state a connector keeps between runs (a pull's position: `pull:<connector>`),
   * as JSON. `undefined` when nothing was stored under `key`.
   */
  getState(key: string): Promise<unknown | undefined>;
  /** Replace the value under `key` (JSON-serialisable), durably, in one transaction. */
  setState(key: string, value: unknown, now: number): Promise<void>;
  /** Every entry whose key starts with `prefix` (`metrics:`, `worker:`), by key. */
  listState(prefix: string): Promise<StateEntry[]>;
  /** Remove `key` (nothing when absent). */
  deleteState(key: string): Promise<void>;
  /**
   * Read-modify-write of one state entry, atomically across processes and machines: the entry is
   * locked (SQLite: the write lock; PostgreSQL: `SELECT … FOR UPDATE`) while `update` runs, so two
   * workers never act on the same stale value. `update` must be pure and synchronous — the store
   * may run it again after a lost connection — and gets the current value (undefined when none)
   * and the time: `now` as given, or the database's clock for a PostgreSQL store on database time,
   * so that every worker's update sees one clock. Returns what `update` returned as `result`.
   *
   * @example
   * const granted = await store.transactState('throttle:acme', (s, now) => decidePermit(s, config, 1, now), Date.now());
   */
  transactState<R>(key: string, update: (current: unknown | undefined, now: number) => { value: unknown; result: R }, now: number): Promise<R>;

  /**
   * Record that `beat.owner` is alive, and extend every lease it holds on `beat.connector` to
   * `now + leaseMs` (store's clock). Returns how many leases were extended and, in the caller's
   * clock frame, until when they now hold. A worker that died stops beating; its leases run out.
   */
  heartbeat(beat: WorkerBeat, leaseMs: number, now: number): Promise<{ extended: number; leaseUntil: number }>;
  /** Workers that beat within `staleAfterMs` (default 1 hour), with their leases, by connector then owner. */
  workers(connector?: string, options?: { staleAfterMs?: number }): Promise<WorkerInfo[]>;
  /** A worker leaving cleanly (its leases were given back). */
  removeWorker(owner: string): Promise<void>;

  close(): Promise<void>;
}
