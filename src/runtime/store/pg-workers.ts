/**
 * Workers on PostgreSQL (`recon_workers`): each heartbeat records the worker and extends its
 * leases in one statement, both stamped with the store's clock, so `recon queue status` can say
 * how long ago every worker on every machine was last heard from by one clock.
 */
import { storeNow, type TimeMode } from './pg-clock.js';
import type { PgRunner } from './pg-connection.js';
import { ms } from './pg-queue.js';
import { requireName } from './queue-input.js';
import type { WorkerBeat, WorkerInfo } from './types.js';
import { WORKER_STALE_AFTER_MS, workerFromRow, type WorkerRow } from './worker-row.js';

/** The row with its heartbeat's age, measured in the query by the store's clock. */
type AgedWorkerRow = WorkerRow & { age: number };

/**
 * @example
 * const workers = new PgWorkers(runner, '"recon"', 'database', Date.now);
 * await workers.heartbeat({ owner: 'h:1:x', connector: 'push-invoices', host: 'h', pid: 1, startedAt, state: 'running', inFlight: 2, mode: 'worker' }, 30_000, Date.now());
 */
export class PgWorkers {
  private readonly workers: string;
  private readonly messages: string;

  constructor(
    private readonly runner: PgRunner,
    schema: string,
    private readonly time: TimeMode,
    private readonly clock: () => number,
  ) {
    this.workers = `${schema}.recon_workers`;
    this.messages = `${schema}.recon_messages`;
  }

  async heartbeat(beat: WorkerBeat, leaseMs: number, now: number): Promise<{ extended: number; leaseUntil: number }> {
    requireName(beat.owner, 'owner');
    requireName(beat.connector, 'connector');
    const { rows } = await this.runner.query<{ extended: number; d: number }>(
      `WITH t AS (SELECT ${storeNow(this.time, '$10')} AS d),
       beat AS (
         INSERT INTO ${this.workers} (owner, connector, host, pid, started_at, state, in_flight, mode, last_heartbeat)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, t.d FROM t
         ON CONFLICT (owner) DO UPDATE SET connector = excluded.connector, host = excluded.host, pid = excluded.pid, started_at = excluded.started_at,
           state = excluded.state, in_flight = excluded.in_flight, mode = excluded.mode, last_heartbeat = excluded.last_heartbeat
         RETURNING 1),
       extended AS (
         UPDATE ${this.messages} m SET lease_until = t.d + $9::bigint FROM t
         WHERE m.connector = $2 AND m.state = 'leased' AND m.lease_owner = $1
         RETURNING 1)
       SELECT (SELECT count(*) FROM extended) AS extended, (SELECT count(*) FROM beat) AS beats, (SELECT d FROM t) AS d`,
      [beat.owner, beat.connector, String(beat.host), Math.trunc(beat.pid), ms(beat.startedAt), beat.state, Math.trunc(beat.inFlight), beat.mode, ms(leaseMs), ms(now)],
    );
    // now + leaseMs in the caller's frame: the same span after its now as after the database's.
    return { extended: rows[0]!.extended, leaseUntil: now + ms(leaseMs) };
  }

  /** Heartbeat ages by the database's clock (on caller time: the `now` option's). */
  async list(connector?: string, options: { staleAfterMs?: number } = {}): Promise<WorkerInfo[]> {
    const staleAfterMs = options.staleAfterMs ?? WORKER_STALE_AFTER_MS;
    const now = ms(this.clock());
    const { rows } = await this.runner.query<AgedWorkerRow>(
      `WITH t AS (SELECT ${storeNow(this.time, '$3')} AS d)
       SELECT w.*, t.d - w.last_heartbeat AS age, l.leases, l.lease_until
       FROM ${this.workers} w CROSS JOIN t
       LEFT JOIN LATERAL (
         SELECT count(*) AS leases, max(m.lease_until) AS lease_until FROM ${this.messages} m
         WHERE m.connector = w.connector AND m.state = 'leased' AND m.lease_owner = w.owner
       ) l ON true
       WHERE ($1::text IS NULL OR w.connector = $1) AND t.d - w.last_heartbeat <= $2::bigint
       ORDER BY w.connector COLLATE "C", w.owner COLLATE "C"`,
      [connector ?? null, ms(staleAfterMs), now],
    );
    return rows.map((row) => workerFromRow(row, row.age));
  }

  async remove(owner: string): Promise<void> {
    await this.runner.query(`DELETE FROM ${this.workers} WHERE owner = $1`, [owner]);
  }
}
