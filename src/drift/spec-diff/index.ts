/**
 * `recon diff`: what changed between two versions of a vendor's API document, and which of
 * the changes break the connectors already built on the old one.
 *
 * @example
 * import { diffSpecFiles, renderSpecDiffText } from 'recon';
 * const diff = await diffSpecFiles('vendor/v1.yaml', 'vendor/v2.yaml');
 * if (diff.summary.breaking > 0) console.log(renderSpecDiffText(diff));
 */
export { diffSpecs, diffSpecFiles, operationKey } from './diff.js';
export { CHANGE_KINDS, isBreaking, type ChangeKind } from './kinds.js';
export { SpecDiffLoadError } from './errors.js';
export { renderSpecDiffText, renderSpecDiffMarkdown, type DiffColors } from './render.js';
export type { ChangeLocation, ChangedOperation, DiffedDocument, Side, SpecChange, SpecDiff } from './types.js';
