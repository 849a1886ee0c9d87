/**
 * What a probe returns: plain data, rendered by the CLI and read by later stages.
 */
import type { AuthReport } from '../http/auth/types.js';
import type { PaginationReport } from './pagination.js';
import type { OperationSummary } from './stats.js';

export interface CoverageEntry {
  operation: string;
  operationId?: string;
  status: 'probed' | 'skipped';
  /** Why it was skipped: unsafe method, missing parameter, plan says so, budget spent. */
  reason?: string;
}

export type IdempotencyVerdict = 'honoured' | 'ignored' | 'rejected' | 'inconclusive';

export interface IdempotencyResult {
  operation: string;
  header: string;
  verdict: IdempotencyVerdict;
  statuses: number[];
  detail: string;
}

export interface CreatedResource {
  operation: string;
  id?: string;
  location?: string;
}

export interface ProbeProblem {
  operation?: string;
  code: string;
  message: string;
}

export interface ProbeResult {
  target: string;
  baseUrl: string;
  startedAt: string;
  durationMs: number;
  /** Requests sent, token requests included. */
  requests: number;
  budget: number;
  /** Why the probe stopped before its plan was done. */
  stoppedEarly?: string;
  auth: AuthReport[];
  operations: OperationSummary[];
  coverage: { documented: number; probed: number; skipped: number; entries: CoverageEntry[] };
  pagination: PaginationReport[];
  idempotency: IdempotencyResult[];
  created: CreatedResource[];
  problems: ProbeProblem[];
  /** Where the HAR was written. */
  recording?: string;
  /** True when at least one API call got an HTTP answer (exit 3 when none did). */
  reachedVendor: boolean;
}

export interface ProbeProgress {
  done: number;
  budget: number;
  errors: number;
  /** Requests per second over the last few seconds. */
  rate: number;
  current?: string;
}
