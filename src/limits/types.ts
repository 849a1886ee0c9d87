/**
 * Rate limits as recon reads, measures and plans them: plain data shared by the header parser
 * (headers.ts), the measurement (`recon limits`), the planner (`recon plan`), the throttle the
 * runtime uses, and the integration spec.
 */

/** Which header family a reading came from. */
export type RateLimitDialect =
  /** `X-RateLimit-Limit` / `-Remaining` / `-Reset` (GitHub, Twitter/X, most gateways). */
  | 'x-ratelimit'
  /** `X-Rate-Limit-*` (Tripletex, Jira, …). */
  | 'x-rate-limit'
  /** IETF draft 00–02: `RateLimit-Limit` / `-Remaining` / `-Reset` (+ `RateLimit-Policy: 10;w=1`). */
  | 'ietf-separate'
  /** IETF draft 03–07: `RateLimit: limit=100, remaining=50, reset=5`. */
  | 'ietf-combined'
  /** IETF draft 08+ (structured fields): `RateLimit-Policy: "permin";q=50;w=60`, `RateLimit: "permin";r=50;t=30`. */
  | 'ietf-structured'
  /** `Retry-After` alone (RFC 9110 §10.2.3). */
  | 'retry-after'
  /** A vendor-specific header set, named after the vendor. */
  | `vendor:${string}`;

/** One policy read from one response's headers. */
export interface RateLimitReading {
  dialect: RateLimitDialect;
  /** The policy's name where the dialect has one (`permin`), else undefined. */
  policy?: string;
  /** Requests allowed per window (the quota). */
  limit?: number;
  /** Requests left in the current window. */
  remaining?: number;
  /** Window length in seconds, when the headers say it. */
  windowSeconds?: number;
  /** Seconds from the response until the quota resets (delta form, whatever the header used). */
  resetSeconds?: number;
  /** How the reset value was written, since it is ambiguous: delta seconds, epoch seconds or epoch millis. */
  resetForm?: 'delta-seconds' | 'epoch-seconds' | 'epoch-millis' | 'http-date';
  /** Partition key (structured form `pk=`), when given. */
  partitionKey?: string;
  /** The raw header values this reading came from, by lower-cased name. */
  raw: Record<string, string>;
}

/** Everything one response's headers say about rate limiting. */
export interface RateLimitHeaders {
  readings: RateLimitReading[];
  /** Seconds to wait, from `Retry-After` (seconds or HTTP-date, relative to `now`). */
  retryAfterSeconds?: number;
  /** Headers recon recognised but could not use, and why ("X-RateLimit-Limit: -5 is negative"). */
  problems: string[];
}

export type LimitSource = 'headers' | 'measured' | 'documented';
export type LimitPolicy = 'fixed-window' | 'sliding-window' | 'token-bucket' | 'leaky-bucket' | 'unknown';
export type LimitScope = 'global' | 'per-operation' | 'unknown';

/** One estimate with where it came from, how sure recon is, and why. */
export interface Estimate<T> {
  value: T;
  source: LimitSource;
  /** 0..1 */
  confidence: number;
  /** Plain-language evidence: "429 after 61 calls in 12.3 s; recovered after 60 s". */
  evidence: string[];
}

/** The rate limit of one target (or one operation), as `recon limits` concludes it. */
export interface RateLimitEstimate {
  /** Requests per window. */
  limit?: Estimate<number>;
  windowSeconds?: Estimate<number>;
  burst?: Estimate<number>;
  policy?: Estimate<LimitPolicy>;
  scope?: Estimate<LimitScope>;
  concurrency?: Estimate<number>;
}

/** What the API document says about the limit, read from its prose (`100 requests per minute`). */
export interface DocumentedLimit {
  limit: number;
  windowSeconds: number;
  /** The sentence it came from, and where. */
  text: string;
  location: string;
}

/** A disagreement `recon limits` found, with both values, for the report and the vendor questions. */
export interface LimitFinding {
  kind: 'limit-disagreement' | 'documented-headers-missing' | 'unparseable-headers';
  severity: 'error' | 'warning' | 'info';
  message: string;
  documented?: { limit?: number; windowSeconds?: number; text?: string; location?: string; headers?: string[] };
  observed?: { limit?: number; windowSeconds?: number; source?: LimitSource; problems?: string[] };
}

/** How the calls of a measurement ended: answered, refused (and how), or failed. */
export interface LimitCallCounts {
  answered: number;
  /** 429, 503 with Retry-After, and connections closed instead of answered. */
  refused: number;
  refusedBy: { status429: number; status503: number; connectionClosed: number };
  failed: number;
}

/**
 * What `recon limits` concludes, as `--json` prints it and `review/limits.json` holds it;
 * `recon plan --from` reads `estimate`.
 */
export interface LimitsResult {
  target: string;
  baseUrl: string;
  /** The operations called (`GET /customers`); two when scope was checked. */
  operations: string[];
  startedAt: string;
  durationMs: number;
  /** Requests sent (token requests included) and the budget they were spent from. */
  requests: number;
  budget: number;
  /** How the conclusion was reached: headers alone (≤ 2 calls), a ramp, or nothing conclusive. */
  method: 'headers' | 'ramp' | 'none';
  estimate: RateLimitEstimate;
  /** One sentence in plain words: "Limit: 60 requests per 60 s (fixed window) — measured, …". */
  conclusion: string;
  documented?: DocumentedLimit;
  /** What the first response's headers said, and what recon could not use in them. */
  headers: { dialects: RateLimitDialect[]; reading?: RateLimitReading; retryAfterSeconds?: number; problems: string[] };
  calls: LimitCallCounts;
  /** Latency of answered calls under the ramp's load, ms. */
  latencyMs?: { p50: number; p95: number; max: number; samples: number; atRatePerSecond: number };
  /** The highest sending rate reached (requests per second). */
  peakRatePerSecond: number;
  findings: LimitFinding[];
  /** What was not measured, and other remarks ("concurrency limit not measured"). */
  notes: string[];
  /** Why the measurement ended before it could conclude. */
  stoppedEarly?: string;
  /** True when at least one call got an HTTP answer. */
  reachedVendor: boolean;
  /** Where the redacted HAR of the calls was written. */
  recording?: string;
}

/** Live progress of `recon limits`, for a status line. */
export interface LimitsProgress {
  phase: 'headers' | 'ramp' | 'recovery' | 'waiting';
  spent: number;
  budget: number;
  /** Requests per second being sent now. */
  ratePerSecond: number;
  refusals: number;
  message?: string;
}
