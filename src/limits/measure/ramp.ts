/**
 * The ramp: calls on one cheap, safe operation at a rising rate (start, ×2 each stage, up to
 * the maximum) until the first refusal. It never sends another call to the same operation
 * after a refusal: recovery takes over from there.
 */
import type { LimitsCaller, Observation } from './caller.js';
import type { LimitsOperation } from './options.js';

export interface RampOutcome {
  /** The first refusal, when one came. */
  refusal?: Observation;
  /** Calls answered (any status but a refusal) from the first call up to the first refusal. */
  answeredBefore: number;
  /** The highest rate sent at, requests per second. */
  peakRate: number;
  /** Rate of the stage each call was sent in, by observation index. */
  rateOf: Map<number, number>;
}

export interface RampSettings {
  startRatePerSecond: number;
  maxRatePerSecond: number;
  /** Calls kept back for recovery: the ramp stops when only these are left. */
  reserve: number;
  onCall?: (rate: number) => void;
}

/**
 * @example
 * const ramp = await rampUntilRefused(caller, operation, { startRatePerSecond: 2, maxRatePerSecond: 40, reserve: 12 });
 * ramp.refusal?.status; // 429
 */
export async function rampUntilRefused(caller: LimitsCaller, operation: LimitsOperation, settings: RampSettings): Promise<RampOutcome> {
  const rateOf = new Map<number, number>();
  let rate = settings.startRatePerSecond;
  let peakRate = 0;
  const already = caller.observations.find((o) => o.outcome === 'refused');
  if (already) return { refusal: already, answeredBefore: answeredBefore(caller, already), peakRate, rateOf };
  let previousAchieved: number | undefined;
  for (;;) {
    // A stage lasts about a second (at least three calls), so each rate is seen long enough to matter.
    const stageCalls = Math.max(3, Math.ceil(rate));
    const stageStart = caller.observations.length;
    for (let i = 0; i < stageCalls; i++) {
      if (caller.remaining <= settings.reserve) {
        // Not a stop: the reserve may still serve a check; the conclusion says no limit was seen.
        return { answeredBefore: answeredBefore(caller, undefined), peakRate, rateOf };
      }
      settings.onCall?.(rate);
      const observation = await caller.paced(operation, rate, `rate-limit ramp at ${round(rate)}/s`);
      if (observation === undefined) return { answeredBefore: answeredBefore(caller, undefined), peakRate, rateOf };
      peakRate = Math.max(peakRate, rate);
      rateOf.set(observation.index, rate);
      if (observation.outcome === 'refused') return { refusal: observation, answeredBefore: answeredBefore(caller, observation), peakRate, rateOf };
    }
    // Answered well below the rate asked, and no faster than the stage before: the server paces
    // us (a queue, or a slow server). Asking faster only spends calls; the caller tells which.
    const stage = caller.observations.slice(stageStart);
    const last = stage.at(-1)!;
    const achieved = stage.length / Math.max(0.001, (last.at + last.latencyMs - stage[0]!.at) / 1000);
    if (achieved < rate * 0.6 && previousAchieved !== undefined && achieved <= previousAchieved * 1.15) {
      return { answeredBefore: answeredBefore(caller, undefined), peakRate, rateOf };
    }
    previousAchieved = achieved;
    rate = Math.min(rate * 2, settings.maxRatePerSecond);
  }
}

function answeredBefore(caller: LimitsCaller, refusal: Observation | undefined): number {
  return caller.observations.filter((o) => o.outcome === 'answered' && (refusal === undefined || o.index < refusal.index)).length;
}

export function round(n: number): number {
  return Math.round(n * 10) / 10;
}
