/**
 * Recordings for `recon drift`: HAR files read as a stream of observed exchanges, in constant
 * memory whatever their size, plus the helpers drift needs around them (finding `.har` files,
 * parsing a JSON body with a reason a person can read when it is not JSON).
 *
 * @example
 * for (const [index, file] of (await findRecordings('recordings')).entries()) {
 *   for await (const item of readRecording(file, index)) {
 *     if ('reason' in item) continue; // a SkippedExchange: counted and shown by drift
 *     if (item.body.kind === 'text' && isJsonMediaType(item.mediaType)) {
 *       const parsed = parseJsonBody(item.body.text);
 *       if (parsed.ok) check(parsed.value);
 *     }
 *   }
 * }
 */
export { readRecording, READ_RECORDING_DEFAULTS, type ReadRecordingOptions } from './read.js';
export { findRecordings } from './find.js';
export { parseJsonBody, PARSE_JSON_BODY_DEFAULTS, type JsonBodyResult, type ParseJsonBodyOptions } from './json-body.js';
export { isJsonMediaType, isBinaryMediaType, responseMediaType } from './media-type.js';
export { decodeBody, CUT_BY_RECORDER, type RecordedBody } from './body.js';
export { entryToExchange } from './entry.js';
export { EntryScanner, ScanError, type ScanEvent } from './scan.js';
