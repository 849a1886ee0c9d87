/**
 * Workers and their heartbeats on SQLite (`recon_workers`). A heartbeat is one IMMEDIATE
 * transaction: the worker's row and the lease extension of every message it holds commit
 * together, so `workers()` never shows a beat whose leases were not extended.
 */
import type Database from 'better-sqlite3';
import { StoreInputError } from './errors.js';
import { immediateTransactions, type Transact } from './sqlite-transaction.js';
import type { WorkerBeat, WorkerInfo } from './types.js';

/** What `workers()` counts as alive when the caller does not say: a heartbeat within the last hour. */
export const WORKER_STALE_AFTER_MS = 3_600_000;

interface WorkerRow {
  owner: string;
  connector: string;
  host: string;
  pid: number;
  started_at: number;
  state: WorkerBeat['state'];
  in_flight: number;
  mode: WorkerBeat['mode'];
  last_heartbeat: number;
  leases: number;
  lease_until: number | null;
}

/**
 * @example
 * const workers = new SqliteWorkers(db);
 * workers.heartbeat({ owner: 'h:1:x', connector: 'push', host: 'h', pid: 1, startedAt: t, state: 'running', inFlight: 2, mode: 'worker' }, 30_000, Date.now());
 * workers.list(undefined, WORKER_STALE_AFTER_MS, Date.now()); // [{ owner: 'h:1:x', leases: 2, … }]
 */
export class SqliteWorkers {
  private readonly upsert: Database.Statement;
  private readonly extend: Database.Statement;
  private readonly remove: Database.Statement<[string]>;
  private readonly all: Database.Statement;
  private readonly one: Database.Statement;
  private readonly write: Transact;

  constructor(db: Database.Database) {
    this.write = immediateTransactions(db);
    this.upsert = db.prepare(`
      INSERT INTO recon_workers (owner, connector, host, pid, started_at, state, in_flight, mode, last_heartbeat)
      VALUES (@owner, @connector, @host, @pid, @startedAt, @state, @inFlight, @mode, @now)
      ON CONFLICT (owner) DO UPDATE SET connector = excluded.connector, host = excluded.host, pid = excluded.pid,
        started_at = excluded.started_at, state = excluded.state, in_flight = excluded.in_flight, mode = excluded.mode,
        last_heartbeat = excluded.last_heartbeat`);
    this.extend = db.prepare("UPDATE recon_messages SET lease_until = @until WHERE connector = @connector AND state = 'leased' AND lease_owner = @owner");
    this.remove = db.prepare('DELETE FROM recon_workers WHERE owner = ?');
    const select = `
      SELECT w.*,
        (SELECT COUNT(*) FROM recon_messages m WHERE m.connector = w.connector AND m.state = 'leased' AND m.lease_owner = w.owner) AS leases,
        (SELECT MAX(m.lease_until) FROM recon_messages m WHERE m.connector = w.connector AND m.state = 'leased' AND m.lease_owner = w.owner) AS lease_until
      FROM recon_workers w WHERE w.last_heartbeat >= @since`;
    this.all = db.prepare(`${select} ORDER BY w.connector, w.owner`);
    this.one = db.prepare(`${select} AND w.connector = @connector ORDER BY w.connector, w.owner`);
  }

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

  /** Workers whose last heartbeat is no older than `staleAfterMs` at `now` (the store's clock). */
  list(connector: string | undefined, staleAfterMs: number, now: number): WorkerInfo[] {
    if (!(staleAfterMs >= 0)) throw new StoreInputError('RECON_STORE_BAD_INPUT', `workers: staleAfterMs must be ≥ 0, not ${staleAfterMs}`);
    const since = Number.isFinite(staleAfterMs) ? now - staleAfterMs : Number.MIN_SAFE_INTEGER;
    const rows = (connector === undefined ? this.all.all({ since }) : this.one.all({ since, connector })) as WorkerRow[];
    return rows.map((row) => workerFromRow(row, now));
  }

  removeWorker(owner: string): void {
    this.remove.run(owner);
  }
}

function workerFromRow(row: WorkerRow, now: number): WorkerInfo {
  const info: WorkerInfo = {
    owner: row.owner,
    connector: row.connector,
    host: row.host,
    pid: row.pid,
    startedAt: row.started_at,
    state: row.state,
    inFlight: row.in_flight,
    mode: row.mode,
    lastHeartbeat: row.last_heartbeat,
    // A beat stamped a moment ahead of this process's clock is not from the future: it is now.
    heartbeatAgeMs: Math.max(0, now - row.last_heartbeat),
    leases: row.leases,
  };
  if (row.lease_until !== null) info.leaseUntil = row.lease_until;
  return info;
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
