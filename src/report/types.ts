/**
 * What `recon report` reads (a review folder) and the model every report rendering reads.
 * The model is plain data built once (model.ts); the integration spec, Markdown and HTML are
 * each a function of it.
 */
import type { DriftReport } from '../drift/types.js';
import type { BatchPlan } from '../limits/plan/index.js';
import type { LimitsResult } from '../limits/types.js';
import type { ProbeResult } from '../probe/types.js';
import type { Inventory } from '../spec/inventory.js';

/**
 * The review folder (`review/` in a workspace; `--review DIR`). Every file is optional: a report
 * says what is missing instead of failing.
 *
 * | file | written by |
 * | --- | --- |
 * | `inventory.json` | `recon review` (`recon spec --json`) |
 * | `probe.json` | `recon probe` (with a config), `recon review` |
 * | `drift.json` | `recon drift --out review/drift.json --format json`, `recon review` (with `--profile`) |
 * | `overlay.yaml` | `recon drift --overlay-out`, `recon review` |
 * | `limits.json` | `recon limits` |
 * | `*.har` named in probe.json / limits.json `recording` | probe, limits |
 */
export const REVIEW_FILES = {
  inventory: 'inventory.json',
  probe: 'probe.json',
  drift: 'drift.json',
  overlay: 'overlay.yaml',
  limits: 'limits.json',
  integrationSpec: 'integration-spec.yaml',
  markdown: 'report.md',
  html: 'report.html',
} as const;

/** What was found in the review folder, read and parsed; absent stages are listed in `missing`. */
export interface ReviewInputs {
  /** The folder, as the user named it. */
  dir: string;
  inventory?: Inventory;
  probe?: ProbeResult;
  drift?: DriftReport;
  /** The overlay file (relative to the review folder) and its sha256, when there is one. */
  overlay?: { file: string; sha256: string; actions: number };
  limits?: LimitsResult;
  /** Per-call timeline of the limits measurement, read from its HAR when present: ms since its
   * start, status, and the `remaining` header when sent. */
  limitsTimeline?: { atMs: number; status: number; remaining?: number }[];
  /** Per-operation latencies (ms) of the probe, read from its HAR when present. */
  latencySamples?: Record<string, number[]>;
  /** The monthly (or given) batch to plan with the measured limit, from recon.yaml or flags. */
  batch?: { calls: number; deadlineSeconds?: number; windows?: string[] };
  /** Stages not found, in words: "no drift.json: run recon drift …". */
  missing: string[];
  /** Files found but unreadable, with why; the report is still written from the rest. */
  problems: string[];
}

export type RiskSeverity = 'high' | 'medium' | 'low';

/** One entry of the risk register. */
export interface Risk {
  /** Stable id (`rate-limit-batch`, `idempotency-ignored:createInvoice`, `drift:type-mismatch:/invoices`…). */
  id: string;
  severity: RiskSeverity;
  title: string;
  /** What was observed, with numbers: "60 req/min measured (headers); 100/min documented". */
  evidence: string[];
  /** What it means for the project (the fixed price): "the 50,000-call batch takes 14 h". */
  consequence: string;
  mitigation: string;
  /** Where it came from: drift finding kinds, limits, probe idempotency… */
  source: 'drift' | 'limits' | 'probe' | 'auth' | 'profile' | 'inventory' | 'coverage';
}

/** A question to send the vendor, with the evidence to attach. */
export interface VendorQuestion {
  id: string;
  /** The operation it is about, when one (`GET /orders`). */
  operation?: string;
  question: string;
  evidence: string;
}

/** Where a value came from, for the integration spec and the report. */
export type Provenance = 'measured' | 'headers' | 'documented' | 'assumed';

export interface ReviewModel {
  generatedAt: string;
  vendor: { title: string; version: string; document: string; sha256?: string; overlay?: ReviewInputs['overlay'] };
  target?: { name: string; baseUrl: string };
  /** One screen: what works, what does not, how confident. */
  summary: { works: string[]; doesNotWork: string[]; confidence: 'high' | 'medium' | 'low'; confidenceWhy: string };
  risks: Risk[];
  questions: VendorQuestion[];
  coverage: { documented: number; exercised: number; operations: { operation: string; exercised: boolean; why?: string }[] };
  auth: { scheme: string; type: string; works?: boolean; tokenLifetimeSeconds?: number; toOrder?: string; leadTime?: string; notes: string[] }[];
  rateLimit?: { limit: number; windowSeconds: number; policy?: string; source: Provenance; confidence: number; documented?: { limit: number; windowSeconds: number }; conclusion: string };
  batch?: BatchPlan;
  latency: { operation: string; p50: number; p95: number; p99: number; samples: number[] }[];
  drift?: { summary: DriftReport['summary']; byOperation: { operation: string; error: number; warning: number; info: number; kinds: Record<string, number> }[] };
  pagination: { operation: string; documented: string; observed: string; agrees: boolean; notes: string[] }[];
  idempotency: { operation: string; verdict: string; detail: string }[];
  limitsTimeline?: ReviewInputs['limitsTimeline'];
  missing: string[];
}
