/**
 * The integration spec as data: the TypeScript face of `specs/integration-spec.schema.json`
 * (format 1). Keep the two in step; the tests validate what `buildIntegrationSpec` returns
 * against the schema.
 */
import type { Provenance, Risk, VendorQuestion } from '../types.js';

/** The format this recon writes and reads. Older formats are migrated (migrate.ts). */
export const INTEGRATION_SPEC_FORMAT = 1;

/** Where a value came from and when (`$defs/sourced`). */
export interface Sourced {
  source: Provenance;
  /** ISO 8601 date-time: when it was measured, read or assumed. */
  at: string;
  /** 0..1 */
  confidence?: number;
  evidence?: string[];
}

export interface SourcedValue<T> extends Sourced {
  value: T;
}

export interface IntegrationSpecAuth {
  scheme: string;
  type: string;
  works?: boolean;
  tokenEndpoint?: string;
  scopes?: string[];
  tokenLifetimeSeconds?: SourcedValue<number>;
  toOrder?: string;
  leadTime?: string;
  notes?: string[];
}

export type RateLimitPolicyName = 'fixed-window' | 'sliding-window' | 'token-bucket' | 'leaky-bucket' | 'unknown';

export interface IntegrationSpecRateLimit {
  scope: 'global' | 'per-operation' | 'unknown';
  operations?: string[];
  limit: SourcedValue<number>;
  windowSeconds: SourcedValue<number>;
  burst?: SourcedValue<number>;
  policy?: SourcedValue<RateLimitPolicyName>;
  documented?: { limit: number; windowSeconds: number; text?: string; location?: string };
  measuredAt?: string;
  conclusion?: string;
}

export interface IntegrationSpecThrottle extends Sourced {
  limit: number;
  windowSeconds: number;
  safetyMargin: number;
  /** floor(limit × safetyMargin). */
  sendingLimit: number;
  burst: number;
  honourHeaders?: boolean;
}

export interface IntegrationSpecLatency extends Sourced {
  operation: string;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  samples: number;
}

export interface IntegrationSpecRetry extends Sourced {
  /** Codes (429) and classes (`5xx`). */
  retryOn: (number | string)[];
  networkErrors: boolean;
  baseDelayMs: number;
  factor: number;
  jitter: 'full' | 'equal' | 'none';
  maxDelayMs: number;
  maxAttempts: number;
  retryAfter: 'wins' | 'ignore';
}

export type IdempotencyStrategy = 'header' | 'lookup-before-create' | 'none';
export type IdempotencySpecVerdict = 'honoured' | 'ignored' | 'rejected' | 'inconclusive' | 'not-tested';

export interface IntegrationSpecIdempotency extends Sourced {
  operation: string;
  strategy: IdempotencyStrategy;
  header?: string;
  verified?: boolean;
  verdict: IdempotencySpecVerdict;
  retrySafe: boolean;
}

export type PaginationStyleName = 'page' | 'offset' | 'cursor' | 'link-header' | 'none';
export type PaginationTraversal = 'follow-link-next' | 'follow-cursor' | 'page-until-empty' | 'offset-until-empty' | 'single-page';

export interface IntegrationSpecPagination {
  operation: string;
  documented: PaginationStyleName;
  observed: SourcedValue<PaginationStyleName> & { pagesFollowed?: number; itemsSeen?: number };
  traversal: PaginationTraversal;
  totalCountReliable?: boolean;
  notes?: string[];
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
}

export interface IntegrationSpecDrift extends Sourced {
  exchanges?: number;
  findings: SeverityCounts;
  byOperation: (SeverityCounts & { operation: string; kinds?: Record<string, number> })[];
}

export interface IntegrationSpecBatch extends Sourced {
  calls: number;
  limit: { requests: number; windowSeconds: number };
  safetyMargin?: number;
  sendingLimit: { requests: number; windowSeconds: number };
  sendingSeconds: number;
  start: string;
  finish: string;
  windows?: string[];
  deadline?: { at: string; fits: boolean; marginSeconds: number };
  fits: boolean;
}

/** `integration-spec.yaml`, format 1. There is no field for a secret, by design. */
export interface IntegrationSpec {
  integrationSpec: typeof INTEGRATION_SPEC_FORMAT;
  generatedAt: string;
  generator?: { name: 'recon'; version: string };
  vendor: { name: string; apiVersion: string };
  environment: { target: string; baseUrl: string };
  source: {
    document: { location: string; sha256?: string; specVersion?: '2.0' | '3.0' | '3.1' };
    overlay?: { file: string; sha256: string; actions?: number };
  };
  auth: IntegrationSpecAuth[];
  rateLimits: IntegrationSpecRateLimit[];
  throttle?: IntegrationSpecThrottle;
  latency: IntegrationSpecLatency[];
  retry: IntegrationSpecRetry;
  idempotency: IntegrationSpecIdempotency[];
  pagination: IntegrationSpecPagination[];
  drift?: IntegrationSpecDrift;
  risks: Risk[];
  questions: VendorQuestion[];
  batch?: IntegrationSpecBatch;
  missing?: string[];
  /** Extensions (`x-…`), kept as written. */
  [extension: `x-${string}`]: unknown;
}
