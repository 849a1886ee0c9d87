/**
 * The rate-limit half of the integration spec: the limit as measured (each value with its own
 * source and confidence), the throttle the runtime derives from it, and the batch plan.
 */
import { effectiveLimitFor, normaliseThrottleOptions, type Estimate, type LimitsResult } from '../../limits/index.js';
import type { ReviewModel } from '../types.js';
import type { IntegrationSpecBatch, IntegrationSpecRateLimit, IntegrationSpecThrottle, SourcedValue } from './types.js';

/**
 * One entry from what `recon limits` concluded, per value; the model's summary fills in where
 * limits.json is absent (a limit read from the document alone).
 *
 * @example
 * rateLimitsOf(model, limits, '2026-12-04T23:00:00Z')
 * // [{ scope: 'global', limit: { value: 60, source: 'headers', confidence: 0.95, at: … }, … }]
 */
export function rateLimitsOf(model: ReviewModel, limits: LimitsResult | undefined, generatedAt: string): IntegrationSpecRateLimit[] {
  const summary = model.rateLimit;
  const estimate = limits?.estimate;
  const at = limits?.startedAt ?? generatedAt;
  const limit = sourced(estimate?.limit, at) ?? (summary && { value: summary.limit, source: summary.source, confidence: summary.confidence, at });
  const windowSeconds = sourced(estimate?.windowSeconds, at) ?? (summary && { value: summary.windowSeconds, source: summary.source, confidence: summary.confidence, at });
  if (!limit || !windowSeconds) return [];

  const burst = sourced(estimate?.burst, at);
  const policy = sourced(estimate?.policy, at);
  const documented = limits?.documented ?? summary?.documented;
  const conclusion = summary?.conclusion ?? limits?.conclusion;
  const entry: IntegrationSpecRateLimit = {
    scope: estimate?.scope?.value ?? (limits && limits.operations.length <= 1 ? 'global' : 'unknown'),
    ...(limits && limits.operations.length > 0 ? { operations: [...limits.operations] } : {}),
    limit: { ...limit, value: Math.round(limit.value) },
    windowSeconds,
    ...(burst ? { burst: { ...burst, value: Math.max(1, Math.round(burst.value)) } } : {}),
    ...(policy ? { policy } : summary?.policy && isPolicy(summary.policy) ? { policy: { value: summary.policy, source: summary.source, confidence: summary.confidence, at } } : {}),
    ...(documented ? { documented: pickDocumented(documented) } : {}),
    ...(limits ? { measuredAt: limits.startedAt } : {}),
    ...(conclusion ? { conclusion } : {}),
  };
  return [entry];
}

/**
 * What the runtime's throttle sends at this limit: the limit less its safety margin in whole requests per window, in
 * bursts of the throttle's default size. Read from `normaliseThrottleOptions` so that the spec
 * and the throttle cannot disagree on a default.
 */
export function throttleOf(rateLimit: IntegrationSpecRateLimit | undefined): IntegrationSpecThrottle | undefined {
  if (!rateLimit) return undefined;
  const limit = rateLimit.limit.value;
  const windowSeconds = rateLimit.windowSeconds.value;
  if (!(limit >= 1) || !(windowSeconds > 0)) return undefined;
  // The measured burst is what the vendor tolerates; the throttle still spreads the quota out.
  const options = normaliseThrottleOptions({ limit, windowSeconds });
  const sendingLimit = effectiveLimitFor(limit, options.safetyMargin);
  return {
    limit,
    windowSeconds,
    safetyMargin: options.safetyMargin,
    sendingLimit,
    burst: options.burst,
    honourHeaders: true,
    source: rateLimit.limit.source,
    at: rateLimit.limit.at,
    ...(rateLimit.limit.confidence !== undefined ? { confidence: rateLimit.limit.confidence } : {}),
    evidence: [`${limit} less a ${Math.round((1 - options.safetyMargin) * 100)}% safety margin in whole requests = ${sendingLimit} requests per ${windowSeconds} s, bursts of at most ${options.burst}`],
  };
}

/** The batch plan, reduced to what a runner and a reader need; its provenance is the limit's. */
export function batchOf(model: ReviewModel, rateLimit: IntegrationSpecRateLimit | undefined, generatedAt: string): IntegrationSpecBatch | undefined {
  const plan = model.batch;
  if (!plan) return undefined;
  return {
    calls: plan.calls,
    limit: { requests: plan.limit.requests, windowSeconds: plan.limit.windowSeconds },
    safetyMargin: plan.safetyMargin,
    sendingLimit: { requests: plan.sendingLimit.requests, windowSeconds: plan.sendingLimit.windowSeconds },
    sendingSeconds: plan.sendingSeconds,
    start: plan.start,
    finish: plan.finish,
    ...(plan.windows ? { windows: [...plan.windows.allowed] } : {}),
    ...(plan.deadline ? { deadline: { ...plan.deadline } } : {}),
    fits: plan.fits,
    source: rateLimit?.limit.source ?? 'assumed',
    at: generatedAt,
    ...(plan.limit.source !== undefined ? { evidence: [`limit from ${plan.limit.source}`] } : {}),
  };
}

function sourced<T>(estimate: Estimate<T> | undefined, at: string): SourcedValue<T> | undefined {
  if (!estimate) return undefined;
  return {
    value: estimate.value,
    source: estimate.source,
    at,
    confidence: estimate.confidence,
    ...(estimate.evidence.length > 0 ? { evidence: [...estimate.evidence] } : {}),
  };
}

function pickDocumented(d: { limit: number; windowSeconds: number; text?: string; location?: string }): NonNullable<IntegrationSpecRateLimit['documented']> {
  return {
    limit: d.limit,
    windowSeconds: d.windowSeconds,
    ...(d.text !== undefined ? { text: d.text } : {}),
    ...(d.location !== undefined ? { location: d.location } : {}),
  };
}

const POLICIES = ['fixed-window', 'sliding-window', 'token-bucket', 'leaky-bucket', 'unknown'] as const;
function isPolicy(value: string): value is (typeof POLICIES)[number] {
  return (POLICIES as readonly string[]).includes(value);
}
