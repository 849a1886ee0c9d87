/**
 * Sampling one schema position of a loaded document.
 */
import type { ApiSpec } from '../api-spec.js';
import type { NodeRef } from '../types.js';
import { normaliseSampleOptions, type SampleOptions } from './options.js';
import { createRandom } from './random.js';
import { Sampler, type SampleProblem } from './sampler.js';

export interface SampleResult {
  value: unknown;
  /** Schemas that could not be satisfied (empty when `value` validates, as far as the sampler knows). */
  problems: SampleProblem[];
  /** Items made in the value's list (see `SampleOptions.listItems`); 0 when it has none. */
  listItems: number;
}

/**
 * A value for the schema at `at`, with the schemas it could not satisfy.
 * @example
 * const { value, problems } = sampleSchema(spec, { uri: spec.source.uri, pointer: '/components/schemas/Employee' }, { seed: 7 });
 */
export function sampleSchema(spec: ApiSpec, at: NodeRef, options?: SampleOptions): SampleResult {
  const normalised = normaliseSampleOptions(options);
  const sampler = new Sampler(spec, normalised, createRandom(normalised.seed));
  const value = sampler.value([at], { depth: 0, arrayDepth: 0 });
  return { value, problems: sampler.problems, listItems: sampler.listItemsMade };
}

/**
 * A value that validates against the schema at `at` (`spec.validator(at)(value) === true`) and
 * holds no property its schemas do not declare. Deterministic per seed.
 * @example
 * const employee = sampleValue(spec, { uri: spec.source.uri, pointer: '/components/schemas/Employee' }, { seed: 7 });
 * spec.validator({ uri: spec.source.uri, pointer: '/components/schemas/Employee' })(employee); // true
 */
export function sampleValue(spec: ApiSpec, at: NodeRef, options?: SampleOptions): unknown {
  return sampleSchema(spec, at, options).value;
}
