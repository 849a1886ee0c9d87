/**
 * Every default of monitoring, written out in one place: the metrics, the snapshots pushed to the
 * store, and the thresholds `recon monitor rules` and `recon monitor check` share.
 */
export const MONITOR_DEFAULTS = {
  /** How often a run pushes its metrics snapshot to the store. */
  pushEveryMs: 10_000,
  /** The window rates, ratios and percentiles are taken over (Prometheus `[5m]`). */
  windowSeconds: 300,
  /** Recent calls a snapshot keeps for windowed checks (error rate, latency p95), newest kept. */
  recentCalls: 500,
  /** …and for how long. Longer `--window`s see only this much. */
  recentMs: 30 * 60_000,
  /** Queue samples a snapshot (and the check's own state) keeps. */
  queueSamples: 60,
  /** Error rate: failing calls (4xx but 429, 5xx, network) over all calls, above which it fires. */
  errorRatio: 0.25,
  /** Fewer calls than this in the window say nothing about an error rate. */
  minCalls: 5,
  /** Latency fires when the window's p95 exceeds the review's p95 times this. */
  latencyFactor: 2,
  /** Answered calls needed in the window before a p95 means something. */
  minLatencySamples: 5,
  /** A pull source is silent after this many of its intervals (`every`) without a record. */
  silentAfterIntervals: 2,
  /** The queue grows too fast when it grows faster than this share of the sending rate. */
  growthFraction: 0.1,
  /** A snapshot of a run that never closed is stale (the process died) after this many pushes… */
  staleAfterPushes: 3,
  /** …plus this slack (a busy event loop pushes late). */
  staleSlackMs: 5_000,
  /** Timestamps further in the future than this are a clock jump, not data. */
  clockSkewMs: 60_000,
  /** An age beyond this is a broken clock, not a late message. */
  absurdAgeMs: 366 * 24 * 3_600_000,
  /** Bounded wait for a webhook or a notify command. */
  notifyTimeoutMs: 5_000,
  /**
   * A notification one check is sending is left to it this long by the others; a check that
   * died while sending is taken over after that.
   */
  notifyClaimMs: 5 * 60_000,
  /** Buckets of `recon_call_duration_seconds`. */
  durationBuckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  /** `for:` of the rate-based rules: a blip of one evaluation does not page anyone. */
  ruleFor: '2m',
  /** `recon status --watch` redraws this often. */
  watchSeconds: 5,
} as const;

/** The store key of one run's snapshot. */
export const metricsKey = (connector: string, owner: string): string => `metrics:${connector}:${owner}`;
/** The store key of the check's firing/resolved state and its queue samples. */
export const ALERT_STATE_KEY = 'monitor:alerts';
