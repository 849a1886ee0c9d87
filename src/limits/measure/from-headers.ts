/**
 * The free conclusion: when one response's headers say the quota, what is left of it and when
 * it resets, two calls are enough — the second only confirms that the counter counts our calls.
 */
import { summariseReadings } from '../summarise.js';
import type { RateLimitEstimate, RateLimitReading } from '../types.js';
import type { Observation } from './caller.js';

/**
 * The quota that binds now (a policy's window filled in), when it has a limit, a remaining
 * count and a window or reset: enough to conclude.
 */
export function completeReading(observation: Observation | undefined): RateLimitReading | undefined {
  const summary = observation === undefined ? undefined : summariseReadings(observation.headers.readings);
  if (summary === undefined) return undefined;
  const { limit, remaining, windowSeconds, resetSeconds } = summary;
  if (limit === undefined || !(limit > 0) || remaining === undefined || (windowSeconds === undefined && resetSeconds === undefined)) return undefined;
  return { ...summary.current, limit, remaining, ...(windowSeconds !== undefined ? { windowSeconds } : {}), ...(resetSeconds !== undefined ? { resetSeconds } : {}) };
}

/**
 * Limit, window, burst and policy from the headers of the first (and second) call.
 *
 * @example
 * estimateFromHeaders(first, second).limit; // { value: 60, source: 'headers', confidence: 0.95, evidence: [...] }
 */
export function estimateFromHeaders(first: Observation, second: Observation | undefined): RateLimitEstimate {
  const reading = completeReading(first)!;
  const limit = reading.limit!;
  const names = Object.keys(reading.raw).join(', ');
  const next = completeReading(second);
  const counted = next !== undefined && next.remaining === reading.remaining! - 1;
  const limitEvidence = [`${names}: limit ${limit}, ${reading.remaining} remaining (${reading.dialect})`];
  if (next !== undefined) {
    limitEvidence.push(counted ? `the next call left ${next.remaining}: the counter counts our calls` : `the next call left ${next.remaining} (expected ${reading.remaining! - 1}): others share the counter, or it is not a plain count`);
  }
  const estimate: RateLimitEstimate = {
    limit: { value: limit, source: 'headers', confidence: counted ? 0.95 : 0.8, evidence: limitEvidence },
  };
  const window = windowFromHeaders(reading, first.latencyMs);
  if (window) estimate.windowSeconds = { value: window.value, source: 'headers', confidence: window.confidence, evidence: [window.evidence] };
  estimate.burst = { value: limit, source: 'headers', confidence: 0.5, evidence: [`nothing in the headers spreads the quota out: all ${limit} may be spent at once`] };
  const policy = policyFromResets(first, reading, second, next);
  if (policy) estimate.policy = policy;
  return estimate;
}

function windowFromHeaders(reading: RateLimitReading, latencyMs: number): { value: number; confidence: number; evidence: string } | undefined {
  if (reading.windowSeconds !== undefined) return { value: reading.windowSeconds, confidence: 0.95, evidence: `the policy names a window of ${reading.windowSeconds} s` };
  // A reset written as a timestamp (epoch seconds, HTTP-date) is rounded up to its second and read
  // against the answer's time: counted from when the call was sent, its whole part is the window.
  const stamped = reading.resetForm === 'epoch-seconds' || reading.resetForm === 'http-date';
  const reset = stamped ? Math.floor(reading.resetSeconds! + latencyMs / 1000 + 0.001) : Math.round(reading.resetSeconds!);
  // The first call of a fresh window leaves limit − 1: the time to reset is then the window itself.
  if (reading.remaining === reading.limit! - 1) {
    return { value: reset, confidence: 0.75, evidence: `the first call of a fresh window (${reading.remaining} of ${reading.limit} left) resets in ${reset} s: the window is ${reset} s` };
  }
  return { value: reset, confidence: 0.35, evidence: `resets in ${reset} s with ${reading.remaining} of ${reading.limit} left: the window is at least ${reset} s; the headers do not say its length` };
}

/** A fixed window resets at one instant: both calls' reset points land on the same second. */
function policyFromResets(first: Observation, a: RateLimitReading, second: Observation | undefined, b: RateLimitReading | undefined): RateLimitEstimate['policy'] {
  if (second === undefined || b === undefined || a.resetSeconds === undefined || b.resetSeconds === undefined) return undefined;
  const resetA = first.at / 1000 + a.resetSeconds;
  const resetB = second.at / 1000 + b.resetSeconds;
  const apart = Math.abs(resetA - resetB);
  if (apart <= 1.5) {
    return { value: 'fixed-window', source: 'headers', confidence: 0.6, evidence: [`two calls ${Math.round(second.at - first.at)} ms apart report the same reset instant (±${apart.toFixed(1)} s): a window that resets at once`] };
  }
  return { value: 'unknown', source: 'headers', confidence: 0.3, evidence: [`the reset instant moved by ${apart.toFixed(1)} s between two calls: not a plain fixed window`] };
}
