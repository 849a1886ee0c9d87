/**
 * Folding per-state counts into the contract's QueueStats, the same on both engines: each runs
 * its own `GROUP BY connector, state` and hands the rows here.
 */
import { MESSAGE_STATES, type MessageState, type QueueStats } from './types.js';

/** One `GROUP BY connector, state` row: how many messages, and the oldest one's enqueue time. */
export interface StateCountRow {
  connector: string;
  state: MessageState;
  n: number;
  oldest: number;
}

/**
 * One entry per connector (`connector`, when given, even with no rows), every state counted (0
 * when absent), sorted by name in code-point order whatever the database's collation.
 *
 * @example
 * queueStats([{ connector: 'push', state: 'queued', n: 2, oldest: 1000 }], undefined);
 * // [{ connector: 'push', counts: { queued: 2, leased: 0, done: 0, dead: 0, parked: 0 }, oldestPending: 1000 }]
 */
export function queueStats(rows: Iterable<StateCountRow>, connector: string | undefined): QueueStats[] {
  const byConnector = new Map<string, QueueStats>();
  const entry = (name: string): QueueStats => {
    let stats = byConnector.get(name);
    if (stats === undefined) {
      stats = { connector: name, counts: Object.fromEntries(MESSAGE_STATES.map((state) => [state, 0])) as Record<MessageState, number> };
      byConnector.set(name, stats);
    }
    return stats;
  };
  if (connector !== undefined) entry(connector);
  for (const row of rows) {
    const stats = entry(row.connector);
    stats.counts[row.state] = row.n;
    // Pending: anything not finished one way or the other (queued, leased, parked).
    if (row.state !== 'done' && row.state !== 'dead') stats.oldestPending = Math.min(stats.oldestPending ?? row.oldest, row.oldest);
  }
  return [...byConnector.values()].sort((a, b) => (a.connector < b.connector ? -1 : a.connector > b.connector ? 1 : 0));
}
