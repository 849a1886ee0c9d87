/**
 * HAR 1.2 recordings: recon writes every exchange it makes with a vendor as HAR, redacted, so
 * that `recon drift`, browsers' HAR import, Redocly and Optic can read it; and recon reads HARs
 * that browsers and proxies wrote.
 *
 * @example
 * const recorder = new HarRecorder({ redactor: createRedactor({ secrets: config.secrets }) });
 * recorder.add(exchange);
 * await recorder.write('fixtures/acme/run.har');
 * const har = await readHar('fixtures/acme/run.har');
 * validateHar(har); // { ok: true, errors: [] }
 */
export { HarRecorder, type HarRecorderOptions } from './recorder.js';
export { exchangeToEntry } from './entry.js';
export { readHar, READ_HAR_DEFAULTS, type ReadHarOptions } from './read.js';
export { validateHar, MAX_HAR_PROBLEMS, type HarProblem, type HarValidation } from './validate.js';
export { HarReadError, type HarReadErrorCode, type HarReadProblem } from './errors.js';
export type * from './types.js';
