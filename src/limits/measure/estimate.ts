/**
 * From what the ramp and the recovery saw to an estimate: limit, window, burst and policy,
 * each with its source, confidence and the timings that support it.
 */
import type { Estimate, LimitPolicy, RateLimitEstimate } from '../types.js';
import type { Observation } from './caller.js';
import type { RampOutcome } from './ramp.js';
import { round } from './ramp.js';
import { ROUND_WINDOWS, type RecoveryOutcome } from './recovery.js';

export interface MeasuredEvidence {
  firstAt: number;
  ramp: RampOutcome;
  recovery?: RecoveryOutcome;
  /** When each call answered before the first refusal was sent. */
  callTimes?: number[];
  /** The refused probe just before recovery (carries the Retry-After that was honoured). */
  lastRefused?: Observation;
}

const measured = <T>(value: T, confidence: number, evidence: string[]): Estimate<T> => ({ value, source: 'measured', confidence, evidence });

/**
 * @example
 * const estimate = estimateFromMeasurement({ firstAt, ramp, recovery });
 * estimate.policy?.value; // 'fixed-window'
 */
export function estimateFromMeasurement(input: MeasuredEvidence): RateLimitEstimate {
  const { ramp, recovery, firstAt } = input;
  const refusal = ramp.refusal;
  if (refusal === undefined || ramp.answeredBefore === 0) return {};
  const streakSeconds = (refusal.at - firstAt) / 1000;
  const how = refusalWords(refusal);
  const seen = `${ramp.answeredBefore} calls answered, then ${how} after ${round(streakSeconds)} s (up to ${round(ramp.peakRate)}/s)`;
  if (recovery?.recovered === undefined) {
    return { limit: measured(ramp.answeredBefore, 0.4, [seen, `no recovery seen: ${recovery?.unresolved ?? 'not probed'}; the window is unknown`]) };
  }
  const back = `${recovery.available} of ${recovery.tried} calls answered at once when calls succeeded again, ${round((recovery.recovered.at - refusal.at) / 1000)} s after the refusal`;
  // A bucket gives back what refilled; a window that ended gives back its whole quota at once.
  const wholeQuota = (recovery.largestBurst ?? 0) >= Math.max(2, 0.8 * ramp.answeredBefore);
  const full = wholeQuota || (recovery.available === recovery.tried && recovery.tried >= 2 && !recovery.early);
  if (recovery.early && recovery.refillPerSecond !== undefined && !wholeQuota) return bucket(input, seen, back);
  const window = windowFromRecovery(input);
  const policy: LimitPolicy = full ? 'fixed-window' : recovery.early ? 'unknown' : 'sliding-window';
  const policyEvidence = full
    ? wholeQuota
      ? [back, `then ${recovery.largestBurst} calls in a row: the whole quota came back at once (a fixed window that ended then)`]
      : [back, 'nothing succeeded in between: the quota came back at once (a fixed window)']
    : recovery.early
      ? [back, 'calls came back within a second of the refusal, but too few to measure a refill rate']
      : [back, 'nothing succeeded for a while, then only a few calls at a time: calls age out one by one (a sliding window)'];
  // A streak longer than the window may have spanned two windows: the count is then less sure.
  const limitConfidence = window !== undefined && streakSeconds > window.value ? 0.5 : policy === 'fixed-window' ? 0.85 : 0.7;
  const estimate: RateLimitEstimate = {
    limit: measured(ramp.answeredBefore, limitConfidence, [seen]),
    policy: measured(policy, policy === 'unknown' ? 0.3 : full ? 0.8 : 0.6, policyEvidence),
    burst: measured(ramp.answeredBefore, 0.6, [`${ramp.answeredBefore} calls were answered back to back at up to ${round(ramp.peakRate)}/s`]),
  };
  if (window !== undefined) estimate.windowSeconds = window;
  return estimate;
}

/** A token or leaky bucket: the limit is its refill rate, the burst what it held at the start. */
function bucket(input: MeasuredEvidence, seen: string, back: string): RateLimitEstimate {
  const { ramp, firstAt } = input;
  const refill = input.recovery!.refillPerSecond!;
  const perSecond = refill.value;
  const refusal = ramp.refusal!;
  const confidence = refill.successes >= 20 ? 0.85 : refill.successes >= 8 ? 0.7 : 0.5;
  const rateEvidence = `${refill.successes} calls answered between refusals over ${round(refill.spanMs / 1000)} s: it refills ${round(perSecond)} per second`;
  const perWindow = perSecond >= 1 ? perSecond : perSecond * 60;
  // A refill counted over a few seconds is ± one call: a whole number within 5% is what the vendor configured.
  const whole = Math.round(perWindow);
  const limit = Math.abs(perWindow - whole) / perWindow <= 0.05 ? whole : round(perWindow);
  const windowSeconds = perSecond >= 1 ? 1 : 60;
  const burst = smallestBucket(input.callTimes ?? [], perSecond) ?? Math.max(1, Math.round(ramp.answeredBefore - perSecond * ((refusal.at - firstAt) / 1000)));
  return {
    limit: measured(limit, confidence, [rateEvidence]),
    windowSeconds: measured(windowSeconds, confidence, [`the refill rate expressed per ${windowSeconds === 1 ? 'second' : 'minute'}`]),
    burst: measured(burst, 0.6, [seen, `the smallest bucket refilling at ${round(perSecond)}/s that answers those calls and refuses the next holds ${burst}`]),
    policy: measured('token-bucket', 0.7, [back, 'calls came back within a second of the refusal, a few at a time: a bucket refilling at a steady rate (a leaky bucket answering at once, like nginx limit_req nodelay, looks the same)']),
  };
}

/**
 * Replay our calls against buckets of growing size refilling at `perSecond`: the smallest that
 * answers every call we saw answered is the burst. Refill while we sent
 * slower than the rate was wasted on a full bucket, which "answered − refilled" would miss.
 */
function smallestBucket(answeredAt: number[], perSecond: number): number | undefined {
  if (answeredAt.length === 0) return undefined;
  for (let capacity = 1; capacity <= answeredAt.length; capacity++) {
    let tokens = capacity;
    let last = answeredAt[0]!;
    const fits = answeredAt.every((at) => {
      tokens = Math.min(capacity, tokens + ((at - last) / 1000) * perSecond);
      last = at;
      if (tokens < 1 - 1e-9) return false;
      tokens -= 1;
      return true;
    });
    if (fits) return capacity;
  }
  return answeredAt.length;
}

/** When the quota came back, counted from the first call: the round window in that bracket, else the bracket's end. */
function windowFromRecovery(input: MeasuredEvidence): Estimate<number> | undefined {
  const recovery = input.recovery!;
  let lo = (recovery.lastRefusedAt - input.firstAt) / 1000;
  const hi = (recovery.recovered!.at - input.firstAt) / 1000;
  const retry = input.lastRefused?.retryAfterSeconds;
  // Retry-After in whole seconds is rounded up (RFC 9110 §10.2.3 delay-seconds): the reset was in its last second.
  if (retry !== undefined && input.lastRefused !== undefined) lo = Math.max(lo, (input.lastRefused.at - input.firstAt) / 1000 + retry - 1);
  const bracket = `calls succeeded again between ${round(lo)} s and ${round(hi)} s after the first call${retry !== undefined ? ` (Retry-After: ${retry})` : ''}`;
  const rounds = ROUND_WINDOWS.filter((w) => w > lo && w <= hi + 0.05);
  if (rounds.length > 0) {
    const value = rounds.at(-1)!;
    const tight = (hi - lo) / hi <= 0.15;
    return measured(value, tight ? 0.85 : 0.6, [bracket, `${value} s is the round window in that span${tight ? '' : '; the window was assumed to start at our first call'}`]);
  }
  return measured(round(hi), 0.4, [bracket, 'no round window falls in that span; the window was assumed to start at our first call']);
}

function refusalWords(o: Observation): string {
  if (o.refusal === 'connectionClosed') return `the connection closed unanswered (${o.failureCode})`;
  return `HTTP ${o.status}${o.retryAfterSeconds !== undefined ? ` with Retry-After ${round(o.retryAfterSeconds)}` : ''}`;
}
