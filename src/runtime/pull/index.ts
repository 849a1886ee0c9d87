/**
 * Pull connectors: read a vendor's list operation page by page (Link header, page, offset or
 * cursor) into a sink (an NDJSON file, or a command's stdin), through the push runner's sending
 * path (throttle, auth, retry, audit), and remember in the store where they stopped.
 *
 * @example
 * import { runPull, pullLine } from './runtime/pull/index.js';
 * const summary = await runPull({ loaded, store });
 * console.log(pullLine(summary)); // pull-customers: 50 new records in 2 pages, 0 retried, 50 in all, in 0.1 s
 */
export { runPull, pullStateKey, type PullOptions, type PullSummary, type PullProgress } from './pull.js';
export { pullEvery, pullLine } from './schedule.js';
export { pageRequest, nextPosition, endPosition, type PullPosition, type PullState } from './position.js';
export { openSink, type RecordSink } from './sink.js';
export { fetchPage, type PageFetchContext } from './fetch-page.js';
export { PullError, type PullErrorCode } from './errors.js';
