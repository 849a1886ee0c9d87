/**
 * The probe: budgeted, authenticated, safe calls against a vendor's sandbox, recorded as
 * redacted HAR.
 *
 * @example
 * const result = await runProbe({ spec, target, plan: config.probe, redaction: config.redaction,
 *   secrets: config.secrets, recordingPath: 'fixtures/sandbox/2026-12-04T10-00-00.har' });
 * result.coverage.probed; // operations called
 */
export { runProbe, operationKey, type RunProbeOptions } from './run.js';
export { documentedStyle, observePage, parseLinkHeader, type PaginationReport, type PaginationStyle } from './pagination.js';
export { CallScheduler, retryAfterMs } from './scheduler.js';
export type * from './types.js';
export type { OperationSummary } from './stats.js';
