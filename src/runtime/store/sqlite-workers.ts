/**
 * Workers and their heartbeats on SQLite (`recon_workers`). A heartbeat is one IMMEDIATE
 * transaction: the worker's row and the lease extension of every message it holds commit
 * together, so `workers()` never shows a beat whose leases were not extended.
 */
import type Database from 'better-sqlite3';
import { StoreInputError } from './errors.js';
import { immediateTransactions, type Transact } from './sqlite-transaction.js';
import type { WorkerBeat, WorkerInfo } from './types.js';
import { WORKER_STALE_AFTER_MS, workerFromRow, type WorkerRow } from './worker-row.js';

/**
 * @example
 * const workers = new SqliteWorkers(db, Date.now);
 * workers.heartbeat({ owner: 'h:1:x', connector: 'push', host: 'h', pid: 1, startedAt: t, state: 'running', inFlight: 2, mode: 'worker' }, 30_000, Date.now());
 * workers.list(); // [{ owner: 'h:1:x', leases: 2, … }]
 */
export class SqliteWorkers {
  private readonly upsert: Database.Statement;
  private readonly extend: Database.Statement;
  private readonly forget: Database.Statement<[string]>;
  private readonly all: Database.Statement;
  private readonly one: Database.Statement;
  private readonly write: Transact;

  constructor(
    db: Database.Database,
    private readonly clock: () => number,
  ) {
    this.write = immediateTransactions(db);
    this.upsert = db.prepare(`
      INSERT INTO recon_workers (owner, connector, host, pid, started_at, state, in_flight, mode, last_heartbeat)
      VALUES (@owner, @connector, @host, @pid, @startedAt, @state, @inFlight, @mode, @now)
      ON CONFLICT (owner) DO UPDATE SET connector = excluded.connector, host = excluded.host, pid = excluded.pid,
        started_at = excluded.started_at, state = excluded.state, in_flight = excluded.in_flight, mode = excluded.mode,
        last_heartbeat = excluded.last_heartbeat`);
    this.extend = db.prepare("UPDATE recon_messages SET lease_until = @until WHERE connector = @connector AND state = 'leased' AND lease_owner = @owner");
    this.forget = db.prepare('DELETE FROM recon_workers WHERE owner = ?');
    const select = `
      SELECT w.*,
        (SELECT COUNT(*) FROM recon_messages m WHERE m.connector = w.connector AND m.state = 'leased' AND m.lease_owner = w.owner) AS leases,
        (SELECT MAX(m.lease_until) FROM recon_messages m WHERE m.connector = w.connector AND m.state = 'leased' AND m.lease_owner = w.owner) AS lease_until
      FROM recon_workers w WHERE w.last_heartbeat >= @since`;
    this.all = db.prepare(`${select} ORDER BY w.connector, w.owner`);
    this.one = db.prepare(`${select} AND w.connector = @connector ORDER BY w.connector, w.owner`);
  }

  /** On SQLite the caller's clock is the store's clock: every process on the file shares the machine's. */
  heartbeat(beat: WorkerBeat, leaseMs: number, now: number): { extended: number; leaseUntil: number } {
    validateBeat(beat);
    if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new StoreInputError('RECON_STORE_BAD_INPUT', `heartbeat: leaseMs must be a positive number, not ${leaseMs}`);
    const until = now + leaseMs;
    return this.write(() => {
      this.upsert.run({ owner: beat.owner, connector: beat.connector, host: beat.host, pid: beat.pid, startedAt: beat.startedAt, state: beat.state, inFlight: beat.inFlight, mode: beat.mode, now });
      const extended = this.extend.run({ connector: beat.connector, owner: beat.owner, until }).changes;
      return { extended, leaseUntil: until };
    });
  }

  /** Workers whose last heartbeat is no older than `staleAfterMs`, measured with the store's `now` clock (SqliteStoreOptions). */
  list(connector?: string, options: { staleAfterMs?: number } = {}): WorkerInfo[] {
    const staleAfterMs = options.staleAfterMs ?? WORKER_STALE_AFTER_MS;
    const now = this.clock();
    if (!(staleAfterMs >= 0)) throw new StoreInputError('RECON_STORE_BAD_INPUT', `workers: staleAfterMs must be ≥ 0, not ${staleAfterMs}`);
    const since = Number.isFinite(staleAfterMs) ? now - staleAfterMs : Number.MIN_SAFE_INTEGER;
    const rows = (connector === undefined ? this.all.all({ since }) : this.one.all({ since, connector })) as WorkerRow[];
    return rows.map((row) => workerFromRow(row, now - row.last_heartbeat));
  }

  remove(owner: string): void {
    this.forget.run(owner);
  }
}

function validateBeat(beat: WorkerBeat): void {
  for (const field of ['owner', 'connector', 'host'] as const) {
    if (typeof beat[field] !== 'string' || beat[field] === '') throw new StoreInputError('RECON_STORE_BAD_INPUT', `heartbeat: ${field} must be a non-empty string`);
  }
  if (beat.state !== 'running' && beat.state !== 'stopping') throw new StoreInputError('RECON_STORE_BAD_INPUT', `heartbeat: state must be running or stopping, not ${String(beat.state)}`);
  if (beat.mode !== 'worker' && beat.mode !== 'run') throw new StoreInputError('RECON_STORE_BAD_INPUT', `heartbeat: mode must be worker or run, not ${String(beat.mode)}`);
  for (const field of ['pid', 'startedAt', 'inFlight'] as const) {
    if (!Number.isFinite(beat[field])) throw new StoreInputError('RECON_STORE_BAD_INPUT', `heartbeat: ${field} must be a number`);
  }
}
