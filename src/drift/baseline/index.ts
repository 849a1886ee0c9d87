/**
 * Baseline comparison (`recon drift --baseline OLD`): summarise a recording's shape, save it,
 * and compare it with a previous release's to see what the vendor changed.
 *
 * @example
 * import { ShapeRecorder, compareShapes, readShapeFile } from './baseline/index.js';
 * const recorder = new ShapeRecorder();
 * for (const x of checked) recorder.add(x);
 * const changes = compareShapes(await readShapeFile('release-1.shape.json'), recorder.shape());
 */
export { ShapeRecorder } from './recorder.js';
export { compareShapes } from './compare.js';
export { serialiseShape, parseShape, readShapeFile, writeShapeFile, ShapeFileError, type ShapeFileErrorCode } from './file.js';
export {
  BASELINE_CHANGE_KINDS,
  SHAPE_DEFAULTS,
  SHAPE_FORMAT,
  SHAPE_VERSION,
  type BaselineChange,
  type BaselineChangeKind,
  type BaselineEvidence,
  type HeaderPresence,
  type HeaderShape,
  type OperationShape,
  type PropertyShape,
  type RecordingShape,
  type ShapeOptions,
  type StatusShape,
  type TypeCount,
  type ValueCount,
} from './types.js';
