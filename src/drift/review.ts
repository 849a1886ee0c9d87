/**
 * `reviewDrift`: everything `recon drift` does, as one library call — load the document with
 * any overlays, read the recordings, check them, and add the data profile, the baseline
 * comparison and the corrective overlay when asked.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createRedactor, type Redactor } from '../http/redact/index.js';
import { loadSpec, type LoadSpecOptions } from '../spec/load.js';
import { readOverlay } from '../spec/overlay/index.js';
import type { ApiSpec } from '../spec/api-spec.js';
import { UsageError } from '../errors.js';
import { compareShapes, ShapeRecorder, type BaselineChange, type RecordingShape } from './baseline/index.js';
import { generateOverlay, type GeneratedOverlay } from './overlay/index.js';
import { DataProfiler, type PropertyProfile } from './profile/index.js';
import { findRecordings } from './recording/index.js';
import { runDrift, type DriftRun } from './run.js';
import type { CheckedExchange, DriftReport, Finding } from './types.js';

export interface ReviewDriftOptions {
  /** The vendor's document (file or URL). */
  spec: string;
  /** HAR files and/or directories holding them. */
  recordings: string[];
  /** Overlay files applied to the document before checking, in order. */
  overlays?: string[];
  /** Build the corrective overlay. */
  overlay?: boolean;
  /** Profile the data (`non-unique-key`, `mixed-formats`…). */
  profile?: boolean;
  /** Earlier recordings (files or directories) of the same operations, to compare with. */
  baseline?: string[];
  strictProperties?: boolean;
  cwd?: string;
  load?: Omit<LoadSpecOptions, 'cwd' | 'overlays'>;
  redactor?: Redactor;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

export interface DriftReview {
  spec: ApiSpec;
  report: DriftReport & { baseline?: BaselineChange[]; dataProfile?: PropertyProfile[] };
  run: DriftRun;
  overlay?: GeneratedOverlay;
}

/**
 * @example
 * const { report, overlay } = await reviewDrift({ spec: 'specs/acme.yaml', recordings: ['fixtures/'], overlay: true });
 */
export async function reviewDrift(options: ReviewDriftOptions): Promise<DriftReview> {
  const cwd = options.cwd ?? process.cwd();
  const redactor = options.redactor ?? createRedactor();
  const overlays = await Promise.all((options.overlays ?? []).map((file) => readOverlay(resolve(cwd, file)).then((o) => ({ ...o, source: file }))));
  const spec = await loadSpec(options.spec, { ...options.load, cwd, overlays });
  const recordings = await expandRecordings(options.recordings, cwd, '--har/--from');
  if (recordings.length === 0) throw new UsageError('no recordings given', { hint: 'pass --har FILE (repeatable) or --from DIR' });

  const profiler = options.profile === true ? new DataProfiler() : undefined;
  const shapes = options.baseline !== undefined ? new ShapeRecorder() : undefined;
  const onChecked = profiler || shapes ? (x: CheckedExchange) => (profiler?.add(x), shapes?.add(x)) : undefined;
  const run = await runDrift({
    spec,
    recordings: recordings.map((r) => r.path),
    redactor,
    ...(options.strictProperties !== undefined ? { strictProperties: options.strictProperties } : {}),
    ...(onChecked ? { onChecked } : {}),
    onProgress: (p) => options.onProgress?.(`${recordings[p.recording]!.shown}: ${p.exchanges} exchanges read`),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  run.report.recordings.forEach((r, i) => (r.file = recordings[i]!.shown));
  const report: DriftReview['report'] = run.report;

  if (profiler !== undefined) {
    const profile = profiler.result();
    report.profile = profile.findings.map((finding) => redactExamples(finding, redactor));
    report.dataProfile = profile.properties;
  }
  if (shapes !== undefined) {
    const old = await baselineShape(spec, options.baseline ?? [], cwd, redactor, options.signal);
    report.baseline = compareShapes(old, shapes.shape());
  }
  const review: DriftReview = { spec, report, run };
  if (options.overlay === true) review.overlay = generateOverlay(spec, run);
  return review;
}

async function baselineShape(spec: ApiSpec, inputs: string[], cwd: string, redactor: Redactor, signal?: AbortSignal): Promise<RecordingShape> {
  const files = await expandRecordings(inputs, cwd, '--baseline');
  if (files.length === 0) throw new UsageError('--baseline: no recordings found', { hint: 'pass the HAR file(s) or directory of the earlier recording' });
  const recorder = new ShapeRecorder();
  await runDrift({ spec, recordings: files.map((f) => f.path), redactor, onChecked: (x) => recorder.add(x), ...(signal ? { signal } : {}) });
  return recorder.shape();
}

/** Files as given; directories → every `.har` below them, sorted. */
async function expandRecordings(inputs: string[], cwd: string, flag: string): Promise<{ path: string; shown: string }[]> {
  const out: { path: string; shown: string }[] = [];
  for (const input of inputs) {
    const path = resolve(cwd, input);
    let isDirectory = false;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch {
      throw new UsageError(`${flag}: ${input}: no such file or directory`);
    }
    if (!isDirectory) {
      out.push({ path, shown: input });
      continue;
    }
    for (const file of await findRecordings(path)) out.push({ path: file, shown: file.startsWith(cwd + '/') ? file.slice(cwd.length + 1) : file });
  }
  return out;
}

function redactExamples(finding: Finding, redactor: Redactor): Finding {
  const name = finding.pointer.slice(finding.pointer.lastIndexOf('/') + 1);
  return { ...finding, observed: { ...finding.observed, examples: finding.observed.examples.map((e) => redactor.field(name, e)) } };
}
