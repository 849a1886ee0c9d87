/**
 * The durable queue on PostgreSQL. Every method is one statement (so one implicit transaction),
 * and each is safe to run again after a lost reply: enqueue skips what it already has, and a
 * state change only applies to a message still in the state it expects.
 *
 * Leasing is `SELECT … FOR UPDATE SKIP LOCKED` inside the UPDATE that takes the lease: two
 * workers leasing at once each lock different rows and never wait for one another, and a row
 * changed by a commit between the snapshot and the lock is re-checked (EvalPlanQual) before it
 * is taken, so one message goes to one owner. The state machine, reasons and ordering are
 * SqliteQueue's, line for line.
 */
import { StoreInputError } from './errors.js';
import { onStoreClock, storeNow, type TimeMode } from './pg-clock.js';
import type { PgRunner } from './pg-connection.js';
import { messageFromRow, type MessageRow } from './message-row.js';
import { newMessageRows, requireFailState, requireLeaseArgs, requireName } from './queue-input.js';
import { queueStats, type StateCountRow } from './queue-stats.js';
import type { EnqueueResult, MessageState, QueuedMessage, QueueStats } from './types.js';

type NewMessage = { id: string; payload: unknown; idempotencyKey: string };

/** A row as messageFromRow reads it (outcome_unknown as 0/1, like SQLite's). */
const COLUMNS = (m: string) =>
  `${m}.seq, ${m}.connector, ${m}.id, ${m}.payload, ${m}.state, ${m}.attempts, ${m}.not_before, ${m}.enqueued_at, ${m}.updated_at, ` +
  `${m}.lease_until, ${m}.lease_owner, ${m}.reason, ${m}.vendor_id, ${m}.idempotency_key, ${m}.outcome_unknown::int AS outcome_unknown`;
const CLEAR_LEASE = 'lease_owner = NULL, lease_until = NULL';
/** $1 connector, $2 id, $3 owner. */
const HELD_BY = "m.connector = $1 AND m.id = $2 AND m.state = 'leased' AND m.lease_owner = $3";

/**
 * @example
 * const queue = new PgQueue(runner, '"recon"', 'database');
 * await queue.enqueue('push-invoices', [{ id: 'INV-1', payload: {…}, idempotencyKey: 'k1' }], Date.now()); // { added: 1, duplicates: 0 }
 * const [message] = await queue.lease('push-invoices', 'worker-1', 10, 30_000, Date.now());
 */
export class PgQueue {
  private readonly table: string;

  constructor(
    private readonly runner: PgRunner,
    schema: string,
    private readonly time: TimeMode,
  ) {
    this.table = `${schema}.recon_messages`;
  }

  /** One INSERT for the batch: all of it or none, and duplicates (in the batch or stored) skipped. */
  async enqueue(connector: string, messages: NewMessage[], now: number): Promise<EnqueueResult> {
    requireName(connector, 'connector');
    const batch = newMessageRows(messages);
    const ids = batch.map((message) => message.id);
    const payloads = batch.map((message) => message.payload);
    const keys = batch.map((message) => message.idempotencyKey);
    if (ids.length === 0) return { added: 0, duplicates: 0 };
    const { rowCount } = await this.runner.query(
      `WITH t AS (SELECT ${storeNow(this.time, '$5')} AS d)
       INSERT INTO ${this.table} (connector, id, payload, state, attempts, not_before, enqueued_at, updated_at, idempotency_key, outcome_unknown)
       SELECT $1, b.id, b.payload, 'queued', 0, t.d, t.d, t.d, b.key, false
       FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS b (id, payload, key, ord), t
       ORDER BY b.ord
       ON CONFLICT (connector, id) DO NOTHING`,
      [connector, ids, payloads, keys, ms(now)],
    );
    const added = rowCount ?? 0;
    return { added, duplicates: ids.length - added };
  }

  /**
   * Due queued messages and expired leases, oldest first, each half walked in queue order and
   * stopped at `max` (the partial indexes make that a short walk), locked SKIP LOCKED.
   */
  async lease(connector: string, owner: string, max: number, leaseMs: number, now: number): Promise<QueuedMessage[]> {
    requireLeaseArgs(owner, max);
    if (max === 0) return [];
    const { rows } = await this.runner.query<MessageRow & { d: number }>(
      `WITH t AS (SELECT ${storeNow(this.time, '$5')} AS d),
       queued AS (SELECT q.seq, q.enqueued_at FROM ${this.table} q
         WHERE q.connector = $1 AND q.state = 'queued' AND q.not_before <= (SELECT d FROM t)
         ORDER BY q.enqueued_at, q.seq LIMIT $3 FOR UPDATE SKIP LOCKED),
       expired AS (SELECT q.seq, q.enqueued_at FROM ${this.table} q
         WHERE q.connector = $1 AND q.state = 'leased' AND q.lease_until <= (SELECT d FROM t)
         ORDER BY q.enqueued_at, q.seq LIMIT $3 FOR UPDATE SKIP LOCKED),
       picked AS (SELECT seq FROM (SELECT * FROM queued UNION ALL SELECT * FROM expired) due ORDER BY enqueued_at, seq LIMIT $3)
       UPDATE ${this.table} m SET state = 'leased', lease_owner = $2, lease_until = t.d + $4::bigint, attempts = m.attempts + 1, updated_at = t.d
       FROM t WHERE m.seq IN (SELECT seq FROM picked)
       RETURNING ${COLUMNS('m')}, t.d`,
      [connector, owner, max, ms(leaseMs), ms(now)],
    );
    rows.sort((a, b) => a.enqueued_at - b.enqueued_at || a.seq - b.seq);
    // The lease's end in the caller's frame: as long after its now as it is after the database's.
    return rows.map((row) => ({ ...messageFromRow(row), leaseUntil: now + (row.lease_until! - row.d) }));
  }

  async markOutcomeUnknown(connector: string, id: string, owner: string, unknown: boolean): Promise<boolean> {
    return (await this.change(`UPDATE ${this.table} m SET outcome_unknown = $4 WHERE ${HELD_BY}`, [connector, id, owner, unknown])) === 1;
  }

  /** False also when a retry finds its own earlier commit already applied (the message is done either way). */
  async complete(connector: string, id: string, owner: string, result: { vendorId?: string }, now: number): Promise<boolean> {
    // Done means the outcome is known: the flag that asked for a lookup has served its purpose.
    const sql = `WITH t AS (SELECT ${storeNow(this.time, '$5')} AS d)
      UPDATE ${this.table} m SET state = 'done', vendor_id = $4, reason = NULL, outcome_unknown = false, ${CLEAR_LEASE}, updated_at = t.d FROM t WHERE ${HELD_BY}`;
    return (await this.change(sql, [connector, id, owner, result.vendorId ?? null, ms(now)])) === 1;
  }

  async retry(connector: string, id: string, owner: string, notBefore: number, reason: string, now: number): Promise<boolean> {
    const sql = `WITH t AS (SELECT ${storeNow(this.time, '$6')} AS d)
      UPDATE ${this.table} m SET state = 'queued', not_before = ${onStoreClock('t.d', '$4', '$6')}, reason = $5, ${CLEAR_LEASE}, updated_at = t.d FROM t WHERE ${HELD_BY}`;
    return (await this.change(sql, [connector, id, owner, ms(notBefore), reason, ms(now)])) === 1;
  }

  async fail(connector: string, id: string, owner: string, state: 'dead' | 'parked', reason: string, now: number): Promise<boolean> {
    requireFailState(state);
    const sql = `WITH t AS (SELECT ${storeNow(this.time, '$6')} AS d)
      UPDATE ${this.table} m SET state = $4, reason = $5, ${CLEAR_LEASE}, updated_at = t.d FROM t WHERE ${HELD_BY}`;
    return (await this.change(sql, [connector, id, owner, state, reason, ms(now)])) === 1;
  }

  /**
   * Re-driving a parked message is a person's decision about its unknown outcome, so the flag is
   * cleared; a dead message keeps it (a lookup first is still the safe next step).
   */
  async requeue(connector: string, which: string[] | 'dead' | 'parked', now: number): Promise<number> {
    const set = `SET state = 'queued', not_before = t.d, ${CLEAR_LEASE}, updated_at = t.d,
      outcome_unknown = CASE m.state WHEN 'parked' THEN false ELSE m.outcome_unknown END,
      reason = 'requeued; was ' || m.state || coalesce(': ' || m.reason, '')`;
    const clock = `WITH t AS (SELECT ${storeNow(this.time, '$3')} AS d)`;
    if (which === 'dead' || which === 'parked') {
      return this.change(`${clock} UPDATE ${this.table} m ${set} FROM t WHERE m.connector = $1 AND m.state = $2`, [connector, which, ms(now)]);
    }
    if (!Array.isArray(which)) throw new StoreInputError('RECON_STORE_BAD_INPUT', 'requeue: give message ids, "dead" or "parked"');
    return this.change(`${clock} UPDATE ${this.table} m ${set} FROM t WHERE m.connector = $1 AND m.id = ANY($2::text[]) AND m.state IN ('dead', 'parked')`, [connector, which, ms(now)]);
  }

  async cancel(connector: string, id: string, now: number): Promise<boolean> {
    const sql = `WITH t AS (SELECT ${storeNow(this.time, '$3')} AS d)
      UPDATE ${this.table} m SET state = 'dead', reason = 'cancelled', updated_at = t.d FROM t WHERE m.connector = $1 AND m.id = $2 AND m.state = 'queued'`;
    return (await this.change(sql, [connector, id, ms(now)])) === 1;
  }

  async get(connector: string, id: string): Promise<QueuedMessage | undefined> {
    const { rows } = await this.runner.query<MessageRow>(`SELECT ${COLUMNS('m')} FROM ${this.table} m WHERE m.connector = $1 AND m.id = $2`, [connector, id]);
    return rows[0] === undefined ? undefined : messageFromRow(rows[0]);
  }

  async list(connector: string, options: { state?: MessageState; limit?: number } = {}): Promise<QueuedMessage[]> {
    const params: unknown[] = [connector];
    let sql = `SELECT ${COLUMNS('m')} FROM ${this.table} m WHERE m.connector = $1`;
    if (options.state !== undefined) {
      params.push(options.state);
      sql += ` AND m.state = $${params.length}`;
    }
    sql += ' ORDER BY m.enqueued_at, m.seq';
    if (options.limit !== undefined) {
      params.push(options.limit);
      sql += ` LIMIT $${params.length}`;
    }
    const { rows } = await this.runner.query<MessageRow>(sql, params);
    return rows.map(messageFromRow);
  }

  /** One entry per connector (the one asked for, even when it has no messages), by name. */
  async stats(connector?: string): Promise<QueueStats[]> {
    const filter = connector === undefined ? '' : 'WHERE connector = $1';
    const { rows } = await this.runner.query<StateCountRow>(
      `SELECT connector, state, count(*) AS n, min(enqueued_at) AS oldest FROM ${this.table} ${filter} GROUP BY connector, state`,
      connector === undefined ? [] : [connector],
    );
    return queueStats(rows, connector);
  }

  private async change(sql: string, params: unknown[]): Promise<number> {
    return (await this.runner.query(sql, params)).rowCount ?? 0;
  }
}

/** Whole milliseconds: the columns are bigint. */
export function ms(value: number): number {
  if (!Number.isFinite(value)) throw new StoreInputError('RECON_STORE_BAD_INPUT', `a time or duration must be a finite number of milliseconds, not ${value}`);
  return Math.floor(value);
}
