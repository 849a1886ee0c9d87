/**
 * Drift: what the vendor's responses do that its document does not say. Findings, the
 * corrective OpenAPI Overlay, the data profile and the comparison with an earlier recording.
 *
 * @example
 * import { reviewDrift, renderDriftMarkdown } from 'recon';
 * const { report, overlay } = await reviewDrift({ spec: 'specs/acme.yaml', recordings: ['fixtures/'], overlay: true });
 * console.log(renderDriftMarkdown(report));
 */
export { reviewDrift, type ReviewDriftOptions, type DriftReview } from './review.js';
export { runDrift, type DriftOptions, type DriftRun } from './run.js';
export { generateOverlay, type GeneratedOverlay } from './overlay/index.js';
export { SchemaChecker, type SchemaCheckerOptions, type CheckResult } from './check/index.js';
export { checkFormat, recogniseFormat } from './formats.js';
export { readRecording, findRecordings, parseJsonBody } from './recording/index.js';
export { renderDriftText, renderDriftMarkdown, renderDriftJUnit, renderDriftSarif } from './render/index.js';
export { DataProfiler, type PropertyProfile } from './profile/index.js';
export { ShapeRecorder, compareShapes, type BaselineChange, type RecordingShape } from './baseline/index.js';
export { FINDING_KINDS, PROFILE_KINDS } from './types.js';
export type * from './types.js';
export { writeConformantHar, type ConformantHarOptions, type ConformantHarResult } from './conformant-har.js';
