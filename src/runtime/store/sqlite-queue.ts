/**
 * The durable queue on SQLite. Every write is one IMMEDIATE transaction: it takes the file's
 * write lock before it reads, so two processes on one file are serialised by SQLite itself
 * (waiting up to the busy timeout) and never act on the same stale read — which is what makes
 * `lease` hand each message to one owner only.
 */
import type Database from 'better-sqlite3';
import { StoreInputError } from './errors.js';
import { messageFromRow, type MessageRow } from './message-row.js';
import { newMessageRows, requireFailState, requireLeaseArgs, requireName } from './queue-input.js';
import { queueStats, type StateCountRow } from './queue-stats.js';
import { immediateTransactions, type Transact } from './sqlite-transaction.js';
import type { EnqueueResult, MessageState, QueuedMessage, QueueStats } from './types.js';

type NewMessage = { id: string; payload: unknown; idempotencyKey: string };

const CLEAR_LEASE = 'lease_owner = NULL, lease_until = NULL';
const HELD_BY = "connector = @connector AND id = @id AND state = 'leased' AND lease_owner = @owner";

/**
 * @example
 * const queue = new SqliteQueue(db);
 * queue.enqueue('push-invoices', [{ id: 'INV-1', payload: {…}, idempotencyKey: 'k1' }], Date.now()); // { added: 1, duplicates: 0 }
 * const [message] = queue.lease('push-invoices', 'worker-1', 10, 30_000, Date.now());
 * queue.complete('push-invoices', message.id, 'worker-1', { vendorId: '42' }, Date.now()); // true
 */
export class SqliteQueue {
  private readonly insert: Database.Statement;
  private readonly due: Database.Statement;
  private readonly take: Database.Statement;
  private readonly one: Database.Statement;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly write: Transact;

  constructor(private readonly db: Database.Database) {
    this.write = immediateTransactions(db);
    this.insert = db.prepare(`
      INSERT INTO recon_messages (connector, id, payload, state, attempts, not_before, enqueued_at, updated_at, idempotency_key, outcome_unknown)
      VALUES (@connector, @id, @payload, 'queued', 0, @now, @now, @now, @idempotencyKey, 0)
      ON CONFLICT (connector, id) DO NOTHING`);
    // Each half is walked in queue order and stops at @max, so a long queue costs no more than a short one.
    this.due = db.prepare(`
      SELECT seq FROM (
        SELECT * FROM (SELECT seq, enqueued_at FROM recon_messages
          WHERE connector = @connector AND state = 'queued' AND not_before <= @now ORDER BY enqueued_at, seq LIMIT @max)
        UNION ALL
        SELECT * FROM (SELECT seq, enqueued_at FROM recon_messages
          WHERE connector = @connector AND state = 'leased' AND lease_until <= @now ORDER BY enqueued_at, seq LIMIT @max)
      ) ORDER BY enqueued_at, seq LIMIT @max`);
    this.take = db.prepare(`
      UPDATE recon_messages SET state = 'leased', lease_owner = @owner, lease_until = @until, attempts = attempts + 1, updated_at = @now
      WHERE seq = @seq RETURNING *`);
    this.one = db.prepare('SELECT * FROM recon_messages WHERE connector = ? AND id = ?');
  }

  enqueue(connector: string, messages: NewMessage[], now: number): EnqueueResult {
    requireName(connector, 'connector');
    // Serialise (and so validate) everything before the transaction: a bad payload fails the batch before any write.
    const rows = newMessageRows(messages).map((message) => ({ connector, ...message, now }));
    return this.write(() => {
      let added = 0;
      for (const row of rows) added += this.insert.run(row).changes;
      return { added, duplicates: rows.length - added };
    });
  }

  lease(connector: string, owner: string, max: number, leaseMs: number, now: number): QueuedMessage[] {
    requireLeaseArgs(owner, max);
    if (max === 0) return [];
    return this.write(() => {
      const picked = this.due.all({ connector, now, max }) as { seq: number }[];
      return picked.map(({ seq }) => messageFromRow(this.take.get({ seq, owner, until: now + leaseMs, now }) as MessageRow));
    });
  }

  markOutcomeUnknown(connector: string, id: string, owner: string, unknown: boolean): boolean {
    return this.change(`UPDATE recon_messages SET outcome_unknown = @unknown WHERE ${HELD_BY}`, { connector, id, owner, unknown: unknown ? 1 : 0 }) === 1;
  }

  complete(connector: string, id: string, owner: string, result: { vendorId?: string }, now: number): boolean {
    // Done means the outcome is known: the flag that asked for a lookup has served its purpose.
    const sql = `UPDATE recon_messages SET state = 'done', vendor_id = @vendorId, reason = NULL, outcome_unknown = 0, ${CLEAR_LEASE}, updated_at = @now WHERE ${HELD_BY}`;
    return this.change(sql, { connector, id, owner, vendorId: result.vendorId ?? null, now }) === 1;
  }

  retry(connector: string, id: string, owner: string, notBefore: number, reason: string, now: number): boolean {
    const sql = `UPDATE recon_messages SET state = 'queued', not_before = @notBefore, reason = @reason, ${CLEAR_LEASE}, updated_at = @now WHERE ${HELD_BY}`;
    return this.change(sql, { connector, id, owner, notBefore, reason, now }) === 1;
  }

  fail(connector: string, id: string, owner: string, state: 'dead' | 'parked', reason: string, now: number): boolean {
    requireFailState(state);
    const sql = `UPDATE recon_messages SET state = @state, reason = @reason, ${CLEAR_LEASE}, updated_at = @now WHERE ${HELD_BY}`;
    return this.change(sql, { connector, id, owner, state, reason, now }) === 1;
  }

  /**
   * Re-driving a parked message is a person's decision about its unknown outcome, so the flag is
   * cleared; a dead message keeps it (a lookup first is still the safe next step).
   */
  requeue(connector: string, which: string[] | 'dead' | 'parked', now: number): number {
    const set = `SET state = 'queued', not_before = @now, ${CLEAR_LEASE}, updated_at = @now,
      outcome_unknown = CASE state WHEN 'parked' THEN 0 ELSE outcome_unknown END,
      reason = 'requeued; was ' || state || coalesce(': ' || reason, '')`;
    if (which === 'dead' || which === 'parked') {
      return this.change(`UPDATE recon_messages ${set} WHERE connector = @connector AND state = @which`, { connector, which, now });
    }
    if (!Array.isArray(which)) throw new StoreInputError('RECON_STORE_BAD_INPUT', 'requeue: give message ids, "dead" or "parked"');
    const one = this.statement(`UPDATE recon_messages ${set} WHERE connector = @connector AND id = @id AND state IN ('dead', 'parked')`);
    return this.write(() => which.reduce((count, id) => count + one.run({ connector, id, now }).changes, 0));
  }

  cancel(connector: string, id: string, now: number): boolean {
    const sql = "UPDATE recon_messages SET state = 'dead', reason = 'cancelled', updated_at = @now WHERE connector = @connector AND id = @id AND state = 'queued'";
    return this.change(sql, { connector, id, now }) === 1;
  }

  get(connector: string, id: string): QueuedMessage | undefined {
    const row = this.one.get(connector, id) as MessageRow | undefined;
    return row === undefined ? undefined : messageFromRow(row);
  }

  list(connector: string, options: { state?: MessageState; limit?: number } = {}): QueuedMessage[] {
    const params: Record<string, unknown> = { connector };
    let sql = 'SELECT * FROM recon_messages WHERE connector = @connector';
    if (options.state !== undefined) {
      sql += ' AND state = @state';
      params.state = options.state;
    }
    sql += ' ORDER BY enqueued_at, seq';
    if (options.limit !== undefined) {
      sql += ' LIMIT @limit';
      params.limit = options.limit;
    }
    const rows = this.statement(sql).all(params) as MessageRow[];
    return rows.map(messageFromRow);
  }

  /** One entry per connector (the one asked for, even when it has no messages), by name. */
  stats(connector?: string): QueueStats[] {
    const filter = connector === undefined ? '' : 'WHERE connector = @connector';
    const sql = `SELECT connector, state, COUNT(*) AS n, MIN(enqueued_at) AS oldest FROM recon_messages ${filter} GROUP BY connector, state`;
    const rows = this.statement(sql).all(connector === undefined ? {} : { connector }) as StateCountRow[];
    return queueStats(rows, connector);
  }

  private change(sql: string, params: Record<string, unknown>): number {
    const statement = this.statement(sql);
    return this.write(() => statement.run(params).changes);
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}
