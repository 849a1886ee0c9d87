/**
 * Batch planning (`recon plan`): how long a batch takes at a rate limit, whether it fits a
 * deadline and the allowed windows, and what would make it fit.
 *
 * @example
 * import { planBatch, describePlan, parseRateLimit, parseWindow } from './limits/plan/index.js';
 * const plan = planBatch({ calls: 50_000, limit: parseRateLimit('100/min'), start: new Date(), windows: [parseWindow('Mon-Fri 18:00-06:00')] });
 * console.log(describePlan(plan).join('\n'));
 */
export { planBatch, localIso, openSecondsBetween, type PlanInput, type BatchPlan, type PlanSegment } from './plan.js';
export { describePlan } from './describe.js';
export { suggest, type Suggestion, type SuggestionKind } from './suggest.js';
export { parseRateLimit, parseDuration, formatRate, formatDuration, LIMIT_FORMS, DURATION_FORMS, type RateLimit } from './units.js';
export { parseWindow, openIntervals, WINDOW_FORMS, type AllowedWindow, type OpenInterval } from './windows.js';
export { readLimitsFile, type LimitFromFile } from './from-file.js';
export { findBulkOperations } from './bulk.js';
