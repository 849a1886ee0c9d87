/**
 * A recon_workers row as the contract's WorkerInfo, the same on both engines: what differs is
 * only whose clock measures the heartbeat's age (SQLite: the process's; PostgreSQL: the
 * database's, in the query).
 */
import type { WorkerBeat, WorkerInfo } from './types.js';

/** What `workers()` counts as alive when the caller does not say: a heartbeat within the last hour. */
export const WORKER_STALE_AFTER_MS = 3_600_000;

/** A worker's row with the count and latest end of the leases it holds. */
export interface WorkerRow {
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
 * workerFromRow(row, Date.now() - row.last_heartbeat); // { owner: 'h:1:x', heartbeatAgeMs: 1200, leases: 2, … }
 */
export function workerFromRow(row: WorkerRow, ageMs: number): WorkerInfo {
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
    // A beat stamped a moment ahead of the measuring clock is not from the future: it is now.
    heartbeatAgeMs: Math.max(0, ageMs),
    leases: row.leases,
  };
  if (row.lease_until !== null) info.leaseUntil = row.lease_until;
  return info;
}
