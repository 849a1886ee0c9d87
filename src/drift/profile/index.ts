/**
 * The data profile (`recon drift --profile`): per (operation, status, property) what the
 * vendor's data looks like, and the profile findings (`non-unique-key`, `mixed-formats`,
 * `numeric-string`, `empty-string-as-null`).
 *
 * @example
 * import { DataProfiler } from './profile/index.js';
 * const profiler = new DataProfiler();
 * for (const x of checked) profiler.add(x);
 * const { properties, findings, cuts } = profiler.result();
 */
export { DataProfiler } from './profiler.js';
export { walkJson, WALK_LIMITS, type WalkVisit, type WalkCuts, type WalkLimits } from './walk.js';
export { isKeyName, entityFamily, recordPointer } from './key-uniqueness.js';
export {
  DATA_PROFILE_DEFAULTS,
  type DataProfileOptions,
  type DataProfileResult,
  type DataProfileCuts,
  type PropertyProfile,
  type NamedCount,
} from './types.js';
