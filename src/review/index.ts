/**
 * `runReview`: the whole technical review of one target in one go — inventory the document,
 * probe the target, measure its rate limit, diff what came back against the document, and
 * write the integration spec and the report. Each stage writes its file into the review
 * folder, so every stage can also be re-run alone (`recon probe`, `recon drift`…) and the
 * report rebuilt from the files (`recon report`).
 *
 * @example
 * const config = await loadConfig('recon.yaml', { env: process.env });
 * const result = await runReview({ config, target: config.targets.sandbox!, onStage: console.error });
 * result.files.html; // …/review/report.html
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { resolveConfigPath, targetRecordingsDir, targetSecrets, type ReconConfig, type TargetConfig } from '../config/index.js';
import { reviewDrift } from '../drift/review.js';
import { createRedactor } from '../http/redact/index.js';
import { chooseOperations, documentedLimit, measureLimits, writeLimitsResult } from '../limits/index.js';
import { runProbe } from '../probe/index.js';
import { writeReport, type WrittenReport } from '../report/index.js';
import { REVIEW_FILES } from '../report/types.js';
import { buildInventory, loadSpec } from '../spec/index.js';
import { UsageError } from '../errors.js';

export type ReviewStage = 'spec' | 'probe' | 'limits' | 'drift' | 'report';
export const REVIEW_STAGES: ReviewStage[] = ['spec', 'probe', 'limits', 'drift', 'report'];

export interface ReviewStageEvent {
  stage: ReviewStage;
  /** 1-based position and count, for "[2/5]". */
  index: number;
  of: number;
  status: 'start' | 'done' | 'skipped';
  /** One line for people: "15 operations, 3 security schemes". */
  message: string;
}

export interface ReviewOptions {
  config: ReconConfig;
  target: TargetConfig;
  /** Stages to leave out (their files, if any, are still read by the report). */
  skip?: ReviewStage[];
  /** The batch the report plans with the measured limit. */
  batch?: { calls: number; deadlineSeconds?: number; windows?: string[] };
  /** Most requests `recon limits` may spend. Default 150. */
  limitsBudget?: number;
  onStage?: (event: ReviewStageEvent) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface ReviewResult {
  reviewDir: string;
  report: WrittenReport;
  recordings: string[];
}

export async function runReview(options: ReviewOptions): Promise<ReviewResult> {
  const { config, target } = options;
  if (target.spec === undefined) throw new UsageError(`target "${target.name}" names no API document`, { hint: 'add spec: to the target in recon.yaml' });
  const now = options.now ?? (() => new Date());
  const skip = new Set(options.skip ?? []);
  const stages = REVIEW_STAGES.filter((s) => !skip.has(s));
  const reviewDir = join(dirname(config.file), 'review');
  await mkdir(reviewDir, { recursive: true });
  const secrets = [...config.secrets, ...targetSecrets(target)];
  const recordingsDir = targetRecordingsDir(config, target.name);
  const stamp = now().toISOString().replace(/[:.]/g, '-');
  const specLocation = resolveConfigPath(config, target.spec);
  const recordings: string[] = [];
  const say = (stage: ReviewStage, status: ReviewStageEvent['status'], message: string) =>
    options.onStage?.({ stage, index: stages.indexOf(stage) + 1, of: stages.length, status, message });
  const writeJson = (file: string, data: unknown) => writeFile(join(reviewDir, file), JSON.stringify(data, null, 2) + '\n');
  const fromReview = (path: string) => relative(reviewDir, path);

  const spec = await loadSpec(specLocation);
  if (!skip.has('spec')) {
    say('spec', 'start', `reading ${relative(dirname(config.file), specLocation) || specLocation}`);
    const inventory = buildInventory(spec);
    await writeJson(REVIEW_FILES.inventory, inventory);
    say('spec', 'done', `${inventory.counts.operations} operations, ${inventory.securitySchemes.length} security scheme(s), ${inventory.gaps.length} gap(s) in the document`);
  }

  if (!skip.has('probe') && !options.signal?.aborted) {
    const recordingPath = join(recordingsDir, `${stamp}.har`);
    say('probe', 'start', `calling ${target.baseUrl} (budget ${target.budget})`);
    const probe = await runProbe({ spec, target, plan: config.probe, redaction: config.redaction, secrets, recordingPath, ...(options.signal ? { signal: options.signal } : {}) });
    recordings.push(recordingPath);
    await writeJson(REVIEW_FILES.probe, { ...probe, recording: fromReview(recordingPath) });
    say('probe', 'done', `${probe.requests} requests, ${probe.coverage.probed} of ${probe.coverage.documented} operations exercised${probe.reachedVendor ? '' : ' — the vendor was not reached'}`);
  }

  if (!skip.has('limits') && !options.signal?.aborted) {
    const recordingPath = join(recordingsDir, `limits-${stamp}.har`);
    say('limits', 'start', 'reading the rate limit (headers first, then a ramp if needed)');
    const hints = buildInventory(spec).rateLimits;
    const documented = documentedLimit(hints);
    const limits = await measureLimits({
      target,
      operations: chooseOperations({ target, spec, ops: [], paths: [] }),
      ...(documented ? { documented } : {}),
      documentedHeaders: hints.documentedHeaders.map((h) => h.name),
      budget: Math.min(options.limitsBudget ?? 150, target.budget),
      redaction: config.redaction,
      secrets,
      recordingPath,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    recordings.push(recordingPath);
    await writeLimitsResult(join(reviewDir, REVIEW_FILES.limits), { ...limits, recording: fromReview(recordingPath) });
    say('limits', 'done', limits.conclusion);
  }

  if (!skip.has('drift') && recordings.length > 0) {
    say('drift', 'start', `diffing ${recordings.length} recording(s) against the document`);
    const review = await reviewDrift({ spec: specLocation, recordings, profile: true, overlay: true, redactor: createRedactor({ ...config.redaction, secrets }) });
    await writeJson(REVIEW_FILES.drift, review.report);
    if (review.overlay !== undefined) await writeFile(join(reviewDir, REVIEW_FILES.overlay), stringify(review.overlay.overlay, { lineWidth: 0 }));
    const f = review.report.summary.findings;
    say('drift', 'done', `${f.error} error(s), ${f.warning} warning(s), ${f.info} info; overlay with ${review.overlay?.overlay.actions.length ?? 0} correction(s)`);
  } else if (!skip.has('drift')) {
    say('drift', 'skipped', 'no recording made in this run (probe and limits skipped)');
  }

  say('report', 'start', 'writing the integration spec and the report');
  const report = await writeReport(reviewDir, { workspace: dirname(config.file), now: now(), ...(options.batch ? { batch: options.batch } : {}) });
  say('report', 'done', `${report.model.risks.length} risk(s), ${report.model.questions.length} question(s) for the vendor`);
  return { reviewDir, report, recordings };
}

