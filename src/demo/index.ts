/**
 * `recon demo`: a whole technical review of the bundled Acme ERP sandbox, offline, in under a
 * minute. It starts the sandbox on a free loopback port, writes a review workspace for it (the
 * one `recon init` writes, pointed at that port, with writes allowed so the idempotency check
 * runs), and runs `recon review` there: spec, probe, limits, drift, report. The workspace stays,
 * so a newcomer can open the report and re-run any stage by hand.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, type ExplicitCall } from '../config/index.js';
import { initWorkspace } from '../init/index.js';
import type { ReviewModel } from '../report/types.js';
import { runReview, type ReviewStageEvent } from '../review/index.js';
import { startSandbox } from '../sandbox/index.js';

export interface DemoOptions {
  seed?: number;
  /** The folder for the demo's workspace (its recon.yaml is replaced); default a new temp folder. */
  out?: string;
  cwd?: string;
  onStage?: (event: ReviewStageEvent) => void;
  signal?: AbortSignal;
}

export interface DemoResult {
  sandboxUrl: string;
  workspace: string;
  files: { integrationSpec: string; markdown: string; html: string };
  model: ReviewModel;
  durationMs: number;
}

/** The monthly batch the demo plans with the measured limit: the README's example. */
export const DEMO_BATCH = { calls: 50_000, deadlineSeconds: 8 * 3600 } as const;
/**
 * Calls a reviewer adds to the plan by hand once the first probe shows what to look at: the same
 * product twice (does a duplicate SKU get a documented answer?), the customer list as CSV (does
 * content negotiation do what the document says?) and a delete (is it implemented?).
 */
const DEMO_PRODUCT = { sku: 'DEMO-RECON-1', name: 'Recon demo product', price: 10, categoryId: 1, vatRate: 25 };
const DEMO_CALLS: ExplicitCall[] = [
  { operation: 'createProduct', parameters: {}, body: DEMO_PRODUCT, headers: {}, idempotencyCheck: false },
  { operation: 'createProduct', parameters: {}, body: DEMO_PRODUCT, headers: {}, idempotencyCheck: false },
  { operation: 'listCustomers', parameters: {}, headers: { Accept: 'text/csv' }, idempotencyCheck: false },
  { operation: 'deleteProduct', parameters: { productId: 5002 }, headers: {}, idempotencyCheck: false },
];


/**
 * @example
 * const demo = await runDemo({ onStage: (e) => console.error(e.stage, e.message) });
 * console.log(demo.files.html, demo.model.risks.length);
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = performance.now();
  const sandbox = await startSandbox({ port: 0, seed: options.seed ?? 42 });
  try {
    const workspace = options.out !== undefined ? resolve(options.cwd ?? process.cwd(), options.out) : await mkdtemp(join(tmpdir(), 'recon-demo-'));
    await initWorkspace(workspace, { force: true, sandboxUrl: sandbox.url });
    const file = join(workspace, 'recon.yaml');
    const yaml = (await readFile(file, 'utf8')).replace(/^ {4}writes: false/m, '    writes: true');
    await writeFile(file, yaml);
    const config = await loadConfig(file, { cwd: workspace, env: { ACME_CLIENT_SECRET: sandbox.credentials.clientSecret } });
    const target = config.targets['sandbox']!;
    config.probe.calls.push(...DEMO_CALLS);
    const result = await runReview({
      config,
      target,
      batch: DEMO_BATCH,
      limitsBudget: 100,
      ...(options.onStage ? { onStage: options.onStage } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { sandboxUrl: sandbox.url, workspace, files: result.report.files, model: result.report.model, durationMs: Math.round(performance.now() - started) };
  } finally {
    await sandbox.close();
  }
}
