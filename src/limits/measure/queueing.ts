/**
 * A limiter that delays instead of refusing (nginx `limit_req` without `nodelay`, a leaky bucket
 * proper): a client calling one at a time is never refused, but each answer waits for its turn,
 * so the rate achieved stays below the rate asked however fast recon tries. A merely slow server
 * looks the same to one call at a time; a few calls at once tell them apart: a queue answers
 * them one by one at its rate, a slow server all together.
 */
import type { RateLimitEstimate } from '../types.js';
import type { LimitsCaller, Observation } from './caller.js';
import type { LimitsOperation } from './options.js';
import { round } from './ramp.js';

/** Calls sent at once to tell a queue from a slow server. */
export const QUEUE_CHECK_CALLS = 6;

/** The rate answered over the last calls of a ramp, per second. */
export function achievedRate(observations: Observation[]): number | undefined {
  const answered = observations.filter((o) => o.outcome === 'answered');
  const tail = answered.slice(-Math.max(6, Math.floor(answered.length / 4)));
  if (tail.length < 3) return undefined;
  const span = (tail.at(-1)!.at + tail.at(-1)!.latencyMs - tail[0]!.at) / 1000;
  return span > 0 ? tail.length / span : undefined;
}

/**
 * When the ramp was never refused but answered well below the rate asked: send a few calls at
 * once and see whether they come back spaced at that rate (a queue) or together (a slow server).
 *
 * @example
 * await queueingEstimate(caller, operation, 40); // { limit: { value: 5, … }, windowSeconds: 1, policy: 'leaky-bucket' }
 */
export async function queueingEstimate(caller: LimitsCaller, operation: LimitsOperation, askedPerSecond: number): Promise<{ estimate?: RateLimitEstimate; note?: string }> {
  const achieved = achievedRate(caller.observations);
  if (achieved === undefined || achieved > askedPerSecond * 0.7 || caller.remaining < QUEUE_CHECK_CALLS) return {};
  const calls = await Promise.all(Array.from({ length: QUEUE_CHECK_CALLS }, () => caller.call(operation, 'rate-limit: queue or slow server? (calls at once)')));
  const ends = calls.filter((o): o is Observation => o?.outcome === 'answered').map((o) => o.at + o.latencyMs).sort((a, b) => a - b);
  if (ends.length < 3) return {};
  const spread = (ends.at(-1)! - ends[0]!) / 1000;
  const queued = (ends.length - 1) / achieved;
  const calm = `asked for ${round(askedPerSecond)}/s one call at a time, answered at ${round(achieved)}/s`;
  if (spread < queued * 0.4) {
    return { note: `${calm}; ${ends.length} calls at once came back within ${round(spread * 1000)} ms: the server is slow, not limiting` };
  }
  const rate = (ends.length - 1) / spread;
  const perWindow = rate >= 1 ? rate : rate * 60;
  const whole = Math.round(perWindow);
  const value = Math.abs(perWindow - whole) / perWindow <= 0.05 ? whole : round(perWindow);
  const windowSeconds = rate >= 1 ? 1 : 60;
  const evidence = [calm, `${ends.length} calls sent at once came back one by one over ${round(spread)} s (${round(rate)}/s): the server queues calls to a steady rate instead of refusing them (a leaky bucket that delays, like nginx limit_req without nodelay)`];
  return {
    estimate: {
      limit: { value, source: 'measured', confidence: 0.65, evidence },
      windowSeconds: { value: windowSeconds, source: 'measured', confidence: 0.65, evidence: [`the queue's rate expressed per ${windowSeconds === 1 ? 'second' : 'minute'}`] },
      policy: { value: 'leaky-bucket', source: 'measured', confidence: 0.7, evidence },
    },
  };
}
