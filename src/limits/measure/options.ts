/**
 * The options of `measureLimits`, normalised once with every default written out.
 */
import type { ReconConfig, TargetConfig } from '../../config/types.js';
import type { HttpClient } from '../../http/client.js';
import type { OutgoingRequest } from '../../http/types.js';
import { UsageError } from '../../errors.js';
import type { DocumentedLimit, LimitsProgress } from '../types.js';

/** One operation the measurement calls: a safe request, already built. */
export interface LimitsOperation {
  /** `GET /customers` (the document's template when known). */
  label: string;
  request: OutgoingRequest;
  operationId?: string;
}

export interface MeasureLimitsOptions {
  target: TargetConfig;
  /** The operation to ramp on, and optionally a second one to tell global from per-operation limits. */
  operations: [LimitsOperation] | [LimitsOperation, LimitsOperation];
  /** What the document says, from `documentedLimit(buildInventory(spec).rateLimits)`. */
  documented?: DocumentedLimit;
  /** Rate-limit headers the document names (`X-RateLimit-Limit`), to report when none are sent. */
  documentedHeaders?: string[];
  /** Most requests to spend. Default 150. */
  budget?: number;
  /** Stop after this long, waits included. Default 120 000 ms. */
  maxDurationMs?: number;
  /** Highest sending rate, requests per second. Default 40. */
  maxRatePerSecond?: number;
  /** First rate of the ramp. Default 2/s. */
  startRatePerSecond?: number;
  redaction?: ReconConfig['redaction'];
  /** Secret values to scrub wherever they appear. */
  secrets?: string[];
  /** Write the redacted HAR here; nothing is written when absent. */
  recordingPath?: string;
  onProgress?: (progress: LimitsProgress) => void;
  /** Stop starting calls (Ctrl-C); what was seen so far is still concluded and recorded. */
  signal?: AbortSignal;
  /** Wall clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The transport; default a client built from the target (timeouts, TLS). Not closed when given. */
  client?: HttpClient;
}

export interface MeasureSettings {
  budget: number;
  maxDurationMs: number;
  maxRatePerSecond: number;
  startRatePerSecond: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const MEASURE_DEFAULTS = Object.freeze({
  budget: 150,
  maxDurationMs: 120_000,
  maxRatePerSecond: 40,
  startRatePerSecond: 2,
});

export function normaliseMeasureOptions(options: MeasureLimitsOptions): MeasureSettings {
  const budget = options.budget ?? MEASURE_DEFAULTS.budget;
  if (!Number.isInteger(budget) || budget < 2) throw new UsageError(`budget must be a whole number of at least 2 requests, got ${budget}`);
  const maxDurationMs = options.maxDurationMs ?? MEASURE_DEFAULTS.maxDurationMs;
  if (!(maxDurationMs > 0)) throw new UsageError(`max duration must be positive, got ${maxDurationMs} ms`);
  const maxRatePerSecond = options.maxRatePerSecond ?? MEASURE_DEFAULTS.maxRatePerSecond;
  if (!(maxRatePerSecond > 0)) throw new UsageError(`max rate must be positive, got ${maxRatePerSecond}/s`);
  const startRatePerSecond = Math.min(options.startRatePerSecond ?? MEASURE_DEFAULTS.startRatePerSecond, maxRatePerSecond);
  return {
    budget,
    maxDurationMs,
    maxRatePerSecond,
    startRatePerSecond,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}
