/**
 * Short, plain descriptions of a finding's place and evidence, shared by the renderers: where in
 * the response, how often, which exchanges. Plain text: each renderer escapes for its format.
 */
import type { DriftReport, ExchangeRef, Finding } from '../types.js';
import { displayValue } from './display-value.js';

/** Kinds about a response as a whole, where an empty pointer means "the response", not "the body". */
const RESPONSE_KINDS = new Set<string>(['undocumented-operation', 'undocumented-status', 'never-observed']);
/** Kinds whose subject is the media type, so it belongs in the "where". */
const MEDIA_TYPE_KINDS = new Set<string>(['undocumented-content-type', 'invalid-body']);

/**
 * Where in the response: status, media type when it is the subject, and the pointer.
 *
 * @example
 * findingWhere(finding); // '200 /data/*\/amount', '404 application/json (body)', '201 header:Location'
 */
export function findingWhere(finding: Finding): string {
  const parts: string[] = [];
  if (finding.status !== undefined) parts.push(finding.status);
  if (finding.contentType !== undefined && MEDIA_TYPE_KINDS.has(finding.kind)) parts.push(finding.contentType);
  if (finding.pointer !== '') parts.push(finding.pointer);
  else if (!RESPONSE_KINDS.has(finding.kind) && !MEDIA_TYPE_KINDS.has(finding.kind)) parts.push('(body)');
  return parts.join(' ') || '(operation)';
}

/**
 * "in 9 of 80"; a documented response that never came back was not seen at all.
 *
 * @example
 * findingSeen(finding); // 'in 9 of 80'
 */
export function findingSeen(finding: Finding): string {
  if (finding.kind === 'never-observed') return 'never seen';
  return `in ${finding.observed.count} of ${finding.observed.total}`;
}

/**
 * Up to `limit` example values, each as one-line JSON cut to `max` characters.
 *
 * @example
 * exampleValues(finding, 2, 32); // ['"1299.00"', '"15.50"']
 */
export function exampleValues(finding: Finding, limit: number, max: number): string[] {
  return finding.observed.examples.slice(0, limit).map((value) => displayValue(value, max));
}

/**
 * `probe-2026-11-30.har#12`: the recording's file name and the HAR entry index.
 *
 * @example
 * exchangeLabel(report, { recording: 0, entry: 12 }); // 'probe-2026-11-30.har#12'
 */
export function exchangeLabel(report: DriftReport, ref: ExchangeRef): string {
  const file = report.recordings[ref.recording]?.file;
  const name = file === undefined ? `recording ${ref.recording}` : (file.split(/[\\/]/).pop() ?? file);
  return `${name}#${ref.entry}`;
}
