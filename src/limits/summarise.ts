/**
 * From several readings (several dialects, several policies) to the quota that matters now.
 */
import type { RateLimitReading } from './types.js';

export interface RateLimitSummary {
  /**
   * The reading that binds first: the fewest requests remaining (ties: the later reset, then
   * the smaller limit). Readings without `remaining` count only when none has one.
   */
  current: RateLimitReading;
  /** The effective quota now, copied from `current` (the window filled in from a policy with the same limit when `current` lacks it). */
  limit?: number;
  remaining?: number;
  windowSeconds?: number;
  resetSeconds?: number;
  /**
   * The policy with the lowest long-run rate (limit / window), which governs a long batch even
   * when a short window binds first ("50 per minute" but also "1000 per day").
   */
  sustained?: { limit: number; windowSeconds: number; policy?: string; requestsPerSecond: number };
}

/**
 * Pick the quota that binds now and the one that binds a long run.
 *
 * @example
 * const { readings } = parseRateLimitHeaders(response.headers, new Date());
 * const summary = summariseReadings(readings);
 * // summary?.current.policy === 'permin', summary?.sustained?.policy === 'perday'
 */
export function summariseReadings(readings: readonly RateLimitReading[]): RateLimitSummary | undefined {
  const useful = readings.filter((r) => r.limit !== undefined || r.remaining !== undefined);
  if (useful.length === 0) return undefined;
  const withRemaining = useful.filter((r) => r.remaining !== undefined);
  const pool = withRemaining.length > 0 ? withRemaining : useful;
  const current = [...pool].sort(
    (a, b) =>
      (a.remaining ?? Infinity) - (b.remaining ?? Infinity) ||
      (b.resetSeconds ?? -1) - (a.resetSeconds ?? -1) ||
      (a.limit ?? Infinity) - (b.limit ?? Infinity),
  )[0]!;
  const windowSeconds = current.windowSeconds ?? useful.find((r) => r.windowSeconds !== undefined && r.limit !== undefined && r.limit === current.limit)?.windowSeconds;
  const sustained = useful
    .filter((r): r is RateLimitReading & { limit: number; windowSeconds: number } => r.limit !== undefined && r.windowSeconds !== undefined && r.windowSeconds > 0)
    .map((r) => ({ limit: r.limit, windowSeconds: r.windowSeconds, ...(r.policy !== undefined ? { policy: r.policy } : {}), requestsPerSecond: r.limit / r.windowSeconds }))
    .sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[0];
  return {
    current,
    ...(current.limit !== undefined ? { limit: current.limit } : {}),
    ...(current.remaining !== undefined ? { remaining: current.remaining } : {}),
    ...(windowSeconds !== undefined ? { windowSeconds } : {}),
    ...(current.resetSeconds !== undefined ? { resetSeconds: current.resetSeconds } : {}),
    ...(sustained !== undefined ? { sustained } : {}),
  };
}
