/**
 * What a worker of the shared throttle observed and has not written to the store yet: lower
 * limits, allowances, a pause — kept in its own clock until the next round trip carries them.
 */
import type { SharedObservations, SharedPolicy } from './shared-bucket.js';

/** What was observed and not yet written, in this worker's clock (the store's update wants durations from its "now"). */
export interface PendingObservations {
  policies?: SharedPolicy[];
  allowances?: Record<string, { remaining: number; until: number }>;
  /** Local time every worker should pause until. */
  pause?: number;
}

/**
 * Local deadlines as durations from `asked`. The store's "now" is no earlier than the moment the
 * worker asked, so a pause measured from it ends no earlier than this worker meant: safe even
 * when the store's clock and this machine's disagree.
 *
 * @example
 * relativeTo({ pause: 5000 }, 2000); // { pauseMs: 3000 }
 */
export function relativeTo(p: PendingObservations, asked: number): SharedObservations {
  const out: SharedObservations = {};
  if (p.policies) out.policies = p.policies;
  if (p.pause !== undefined && p.pause > asked) out.pauseMs = p.pause - asked;
  if (p.allowances) out.allowances = Object.fromEntries(Object.entries(p.allowances).map(([k, a]) => [k, { remaining: a.remaining, resetMs: Math.max(0, a.until - asked) }]));
  return out;
}

/**
 * Two sets of pending observations as one (a failed round trip's, and what came since).
 *
 * @example
 * mergeObservations({ pause: 5000 }, { pause: 3000, policies: [p] }); // { policies: [p], pause: 5000 }
 */
export function mergeObservations(older: PendingObservations, newer: PendingObservations): PendingObservations {
  const merged: PendingObservations = {};
  const policies = [...(older.policies ?? []), ...(newer.policies ?? [])];
  if (policies.length > 0) merged.policies = policies;
  if (older.allowances || newer.allowances) merged.allowances = { ...older.allowances, ...newer.allowances };
  const pause = Math.max(older.pause ?? 0, newer.pause ?? 0);
  if (pause > 0) merged.pause = pause;
  return merged;
}
