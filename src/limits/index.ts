/**
 * Rate limits: reading them from response headers, throttling to them, and planning batches
 * around them (DESIGN.md "recon limits ──► recon plan").
 *
 * @example
 * import { parseRateLimitHeaders, summariseReadings } from './limits/index.js';
 * const headers = parseRateLimitHeaders([['RateLimit-Policy', '"permin";q=50;w=60'], ['RateLimit', '"permin";r=49;t=60']], new Date());
 * summariseReadings(headers.readings); // { limit: 50, remaining: 49, windowSeconds: 60, … }
 */
export type * from './types.js';
export { parseRateLimitHeaders, type HeaderInput } from './headers.js';
export { summariseReadings, type RateLimitSummary } from './summarise.js';
export {
  createThrottle,
  normaliseThrottleOptions,
  effectiveLimitFor,
  systemClock,
  ThrottleWaitTooLongError,
  THROTTLE_DEFAULTS,
  type Throttle,
  type ThrottleClock,
  type ThrottleOptions,
  type ThrottleState,
} from './throttle.js';
export { sharedThrottleKey } from './shared-key.js';
export { createSharedThrottle, SHARED_THROTTLE_DEFAULTS, type SharedThrottleOptions, type SharedThrottleStore } from './shared-throttle.js';
export { decidePermits, applyObservations, permitTtlFor, SHARED_BUCKET_DEFAULTS, type SharedBucketState, type SharedObservations, type SharedPolicy, type PermitDecision } from './shared-bucket.js';
export { parseHttpDate } from './http-date.js';
export {
  parseList as parseStructuredList,
  parseDictionary as parseStructuredDictionary,
  type BareItem as StructuredBareItem,
  type Member as StructuredMember,
  type Parsed as StructuredParseResult,
} from './structured-fields.js';
export * from './plan/index.js';

// Measurement (`recon limits`):
export { measureLimits, chooseOperations, documentedLimit, writeLimitsResult, summaryLines, conclusionOf, confidenceWords, MEASURE_DEFAULTS, type LimitsOperation, type MeasureLimitsOptions, type ChooseOperationsInput } from './measure/index.js';
