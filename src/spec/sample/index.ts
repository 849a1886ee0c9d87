/**
 * Values, responses and request URLs generated from a vendor document's own schemas: what a
 * server that conforms to the document would send. Drift's tests use them to prove that a
 * conformant recording yields no findings, and its benchmark to make recordings of any size.
 *
 * Every value validates against recon's own validator (`spec.validator(at)`), and objects hold
 * only the properties their schemas declare (drift reports any other). Where a schema cannot
 * be satisfied (a pattern too complex to generate, a required property that recurses forever)
 * the closest value is returned and the schema is listed in `problems`.
 *
 * @example
 * import { loadSpec } from 'recon';
 * import { sampleResponse, sampleRequestUrl } from './spec/sample/index.js';
 * const spec = await loadSpec('fixtures/specs/fiken/fiken-api-2.0.0.yaml');
 * const operation = spec.operations.find((o) => o.operationId === 'getCompanies')!;
 * const response = sampleResponse(spec, operation, { seed: 1 });
 * const url = sampleRequestUrl(spec, operation, 1);
 */
export { sampleValue, sampleSchema, type SampleResult } from './value.js';
export {
  sampleResponse,
  sampleRequestUrl,
  selectJsonResponse,
  isJsonMediaType,
  type SampleResponseOptions,
  type SampledResponse,
  type JsonResponseSelection,
} from './response.js';
export { SAMPLE_DEFAULTS, type SampleOptions } from './options.js';
export { deriveSeed } from './random.js';
export type { SampleProblem } from './sampler.js';
