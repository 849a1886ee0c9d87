/** Latency of answered calls (nearest-rank percentiles), as the ramp's load saw it. */
import type { Observation } from './caller.js';

export function latencyOf(observations: Observation[], atRatePerSecond: number): { p50: number; p95: number; max: number; samples: number; atRatePerSecond: number } | undefined {
  const times = observations.filter((o) => o.outcome === 'answered').map((o) => o.latencyMs).sort((a, b) => a - b);
  if (times.length === 0) return undefined;
  const rank = (p: number): number => times[Math.min(times.length - 1, Math.max(0, Math.ceil(p * times.length) - 1))]!;
  return { p50: rank(0.5), p95: rank(0.95), max: times.at(-1)!, samples: times.length, atRatePerSecond: Math.round(atRatePerSecond * 10) / 10 };
}
