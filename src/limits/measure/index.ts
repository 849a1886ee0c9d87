/**
 * Measuring a target's real rate limit (`recon limits`): headers first, then a budgeted ramp
 * to the first refusal and a few probes to see how the quota comes back.
 *
 * @example
 * import { measureLimits, documentedLimit, chooseOperations } from './limits/measure/index.js';
 * const operations = chooseOperations({ target, spec, ops: ['listCustomers'] });
 * const result = await measureLimits({ target, operations, documented: documentedLimit(buildInventory(spec).rateLimits) });
 * console.log(result.conclusion); // Limit: 60 requests per 60 s (fixed window) — headers, confidence high; …
 */
export { measureLimits } from './measure.js';
export { MEASURE_DEFAULTS, type LimitsOperation, type MeasureLimitsOptions } from './options.js';
export { documentedLimit } from './documented.js';
export { chooseOperations, type ChooseOperationsInput } from './operations.js';
export { confidenceWords, conclusionOf, summaryLines } from './describe.js';
export { writeLimitsResult } from './write.js';
