/**
 * The end of a review: what a fixed price is built on (report.md, report.html) and what the
 * connectors read (integration-spec.yaml), all from the files the review stages wrote.
 *
 * @example
 * const { files, model } = await writeReport('review', { batch: { calls: 50_000, deadlineSeconds: 8 * 3600 } });
 * console.log(model.risks[0]?.title, files.html);
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderReportHtml } from './html/index.js';
import { buildIntegrationSpec, writeIntegrationSpec } from './integration-spec/index.js';
import { renderReportMarkdown } from './markdown.js';
import { buildReviewModel } from './model.js';
import { readReview } from './read.js';
import { REVIEW_FILES, type ReviewInputs, type ReviewModel } from './types.js';

export interface WriteReportOptions {
  /** The workspace the review folder belongs to (drift.json names recordings relative to it). */
  workspace?: string;
  /** Where to write (default: the review folder itself). */
  out?: string;
  batch?: ReviewInputs['batch'];
  now?: Date;
}

export interface WrittenReport {
  files: { integrationSpec: string; markdown: string; html: string };
  model: ReviewModel;
  inputs: ReviewInputs;
}

export async function writeReport(reviewDir: string, options: WriteReportOptions = {}): Promise<WrittenReport> {
  const inputs = await readReview(reviewDir, { ...(options.workspace ? { workspace: options.workspace } : {}), ...(options.batch ? { batch: options.batch } : {}) });
  const now = options.now ?? new Date();
  const model = buildReviewModel(inputs, { now, ...(options.batch ? { batch: options.batch } : {}) });
  const out = options.out ?? reviewDir;
  const files = {
    integrationSpec: join(out, REVIEW_FILES.integrationSpec),
    markdown: join(out, REVIEW_FILES.markdown),
    html: join(out, REVIEW_FILES.html),
  };
  await writeIntegrationSpec(files.integrationSpec, buildIntegrationSpec(model, inputs, { now }));
  await writeFile(files.markdown, renderReportMarkdown(model));
  await writeFile(files.html, renderReportHtml(model));
  return { files, model, inputs };
}

export { readReview, buildReviewModel, renderReportMarkdown, renderReportHtml };
export * from './integration-spec/index.js';
export type * from './types.js';
export { REVIEW_FILES } from './types.js';
