/**
 * After the first refusal: honour Retry-After, then a few spaced probes to see when calls
 * succeed again and how many at once. A whole quota back at once is a fixed window; a trickle
 * is a bucket (soon after the refusal) or a sliding window (a full window after the first call).
 */
import type { LimitsCaller, Observation } from './caller.js';
import type { LimitsOperation } from './options.js';
import { round } from './ramp.js';

/** Round windows vendors use, in seconds: probes land just after each, counted from the first call. */
export const ROUND_WINDOWS = [1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 900, 1800, 3600, 7200, 86_400];
/** Early probes after the refusal (ms): a bucket refills within them; a window does not. */
const EARLY_PROBES_MS = [250, 1000];
/** A trickle is measured until refusals this far apart (ms), budget and time allowing. */
const TRICKLE_SPAN_MS = 4000;

export interface RecoveryOutcome {
  /** First answered call after the refusal, and the refused probe just before it. */
  recovered?: Observation;
  lastRefusedAt: number;
  /** Calls answered back-to-back at recovery (the probe included), and how many were tried. */
  available: number;
  tried: number;
  /** Recovered within the early probes (≈ 1 s after the refusal). */
  early: boolean;
  /** Successes between refusals per second, when the quota trickled back. */
  refillPerSecond?: { value: number; successes: number; spanMs: number };
  /** Most calls answered between two refusals after the first: near the quota means it came back whole. */
  largestBurst?: number;
  /** Seconds of Retry-After honoured. */
  waitedRetryAfterSeconds?: number;
  /** Why recovery was not seen. */
  unresolved?: string;
}

export interface RecoverySettings {
  firstAt: number;
  refusal: Observation;
  /** Calls answered before the refusal (the quota as seen). */
  quotaSeen: number;
  maxRatePerSecond: number;
  reserveForTrickle: number;
}

/**
 * @example
 * const recovery = await measureRecovery(caller, operation, { firstAt, refusal, quotaSeen: 60, maxRatePerSecond: 40, reserveForTrickle: 0 });
 * recovery.available === recovery.tried; // true: the whole quota came back at once
 */
export async function measureRecovery(caller: LimitsCaller, operation: LimitsOperation, settings: RecoverySettings): Promise<RecoveryOutcome> {
  const outcome: RecoveryOutcome = { lastRefusedAt: settings.refusal.at, available: 0, tried: 0, early: false };
  // Refused from the very first call: nothing to time a window from; a few probes, then say so.
  let schedule = probeTimes(settings.firstAt, settings.refusal.at).filter((t) => settings.quotaSeen > 0 || t <= settings.refusal.at + 10_000);
  let retryAfter = settings.refusal.retryAfterSeconds;
  for (;;) {
    if (retryAfter !== undefined) {
      // RFC 9110 §10.2.3: wait as long as asked — or, when that is longer than we may, stop and say so.
      if (retryAfter * 1000 > caller.timeLeftMs()) {
        caller.stopped ??= `the vendor asked to wait ${formatSeconds(retryAfter)} (Retry-After), longer than the ${formatSeconds(Math.max(0, caller.timeLeftMs()) / 1000)} left of --max-duration: not waiting`;
        outcome.unresolved = caller.stopped;
        return outcome;
      }
      const resume = outcome.lastRefusedAt + retryAfter * 1000 + 50;
      schedule = [...schedule.filter((t) => t < resume), resume];
      outcome.waitedRetryAfterSeconds = retryAfter;
      retryAfter = undefined;
    }
    const at = schedule.shift();
    if (at === undefined || !caller.canCall() || !(await caller.waitUntil(at))) {
      outcome.unresolved = `no call succeeded again${caller.stopped ? ` before the measurement stopped: ${caller.stopped}` : ' within the probes recon could afford'}`;
      return outcome;
    }
    const probe = await caller.call(operation, 'rate-limit recovery probe');
    if (probe === undefined) continue;
    if (probe.outcome === 'refused') {
      outcome.lastRefusedAt = probe.at;
      retryAfter = probe.retryAfterSeconds;
      continue;
    }
    if (probe.outcome === 'failed') continue;
    outcome.recovered = probe;
    outcome.early = probe.at - settings.refusal.at <= EARLY_PROBES_MS.at(-1)! + 200;
    break;
  }
  // How much came back at once: a few calls straight after the first success.
  const confirm = Math.min(5, Math.max(2, Math.ceil(settings.quotaSeen * 0.05)));
  outcome.available = 1;
  outcome.tried = 1;
  for (let i = 0; i < confirm; i++) {
    const next = await caller.paced(operation, settings.maxRatePerSecond, 'rate-limit recovery: how much came back');
    if (next === undefined) break;
    outcome.tried++;
    if (next.outcome !== 'answered') break;
    outcome.available++;
  }
  // Back within a second of the refusal: a bucket refilling (or, rarely, a window that happened
  // to end then): the refill rate tells which, and how fast.
  if (outcome.early) await measureTrickle(caller, operation, settings, outcome);
  return outcome;
}

/**
 * A bucket refills at a steady rate: wait, spend what came back until refused, repeat. Every
 * success between two refusals is one token refilled, so the rate is successes ÷ time between
 * the first and the last refusal.
 */
async function measureTrickle(caller: LimitsCaller, operation: LimitsOperation, settings: RecoverySettings, outcome: RecoveryOutcome): Promise<void> {
  const mine = (o: Observation): boolean => o.operation === operation.label && o.index >= settings.refusal.index;
  const refusals = caller.observations.filter((o) => o.outcome === 'refused' && mine(o));
  const first = refusals[0]!;
  let last = refusals.at(-1)!;
  const successesSince = (): number => caller.observations.filter((o) => o.outcome === 'answered' && mine(o) && o.index > first.index && o.index < last.index).length;
  let estimate = Math.max(0.1, (outcome.available + 0.5) / Math.max(0.05, (last.at - first.at) / 1000));
  while (last.at - first.at < TRICKLE_SPAN_MS && caller.remaining > settings.reserveForTrickle + 2) {
    // Wait long enough for several tokens, but not so long that the bucket fills (that would cap the count).
    // The bucket holds what was answered before the first refusal minus what refilled meanwhile.
    const capacity = Math.max(2, settings.quotaSeen - estimate * ((settings.refusal.at - settings.firstAt) / 1000));
    const waitMs = Math.min(2000, ((capacity * 0.5) / estimate) * 1000, ((caller.remaining - 2) / estimate) * 1000);
    if (!(await caller.waitUntil(caller.observations.at(-1)!.at + Math.max(100, waitMs)))) break;
    let refused: Observation | undefined;
    while (refused === undefined) {
      const next = await caller.paced(operation, settings.maxRatePerSecond, `rate-limit refill at ${round(estimate)}/s`);
      if (next === undefined) return finish();
      if (next.outcome === 'refused') refused = next;
    }
    last = refused;
    estimate = Math.max(0.1, successesSince() / ((last.at - first.at) / 1000));
  }
  return finish();

  function finish(): void {
    const spanMs = last.at - first.at;
    if (spanMs <= 0) return;
    const successes = successesSince();
    outcome.refillPerSecond = { value: successes / (spanMs / 1000), successes, spanMs };
    let run = 0;
    outcome.largestBurst = 0;
    for (const o of caller.observations.filter((x) => mine(x) && x.index > first.index && x.index <= last.index)) {
      run = o.outcome === 'answered' ? run + 1 : o.outcome === 'refused' ? 0 : run;
      outcome.largestBurst = Math.max(outcome.largestBurst, run);
    }
  }
}

/** Early probes after the refusal, then just after each round window counted from the first call. */
function probeTimes(firstAt: number, refusedAt: number): number[] {
  const times = [...EARLY_PROBES_MS.map((ms) => refusedAt + ms), ...ROUND_WINDOWS.map((s) => firstAt + s * 1020 + 30)];
  const sorted = times.filter((t) => t > refusedAt).sort((a, b) => a - b);
  return sorted.filter((t, i) => i === 0 || t - sorted[i - 1]! > 150);
}

export function formatSeconds(seconds: number): string {
  if (seconds >= 86_400 * 2) return `${round(seconds / 86_400)} days`;
  if (seconds >= 7200) return `${round(seconds / 3600)} h`;
  if (seconds >= 120) return `${round(seconds / 60)} min`;
  return `${round(seconds)} s`;
}
