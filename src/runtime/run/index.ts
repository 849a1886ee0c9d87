/**
 * The runner: deliver a connector's queue to the vendor — throttled to the measured limit,
 * authenticated, idempotent (`header`, `lookup`, or `none` with unknown outcomes parked), retried
 * with full-jitter backoff, durable across crashes, and one redacted, hash-chained audit record
 * per call.
 *
 * @example
 * import { runConnector } from './runtime/run/index.js';
 * const summary = await runConnector({ loaded, store, input: readInput('invoices.ndjson'), onProgress: (p) => console.error(progressLine(p)) });
 * if (summary.dead + summary.parked > 0) process.exitCode = 1;
 */
export { runConnector, newOwnerId, RUN_DEFAULTS, type RunOptions, type RunSummary } from './run.js';
export { startHeartbeat, type Heartbeat, type HeartbeatOptions } from './heartbeat.js';
export { deliverMessage, type DeliveryContext } from './deliver.js';
export { deliverUntilIdle, LOOP_DEFAULTS, type LoopOptions } from './loop.js';
export { enqueueInput, idempotencyKeyFor, ENQUEUE_BATCH, type InputItem, type InputProblem, type EnqueueOutcome } from './enqueue.js';
export { classifyAttempt, isUnreachable, vendorAnswer, type AttemptOutcome } from './classify.js';
export { backoffDelayMs, planRetry, type RetryDecision } from './retry.js';
export { auditRecordOf, noCallRecordOf, capped, AUDIT_BODY_CAP_BYTES, type AttemptFacts } from './audit-record.js';
export { emptyCounts, progressOf, progressLine, formatSeconds, type RunCounts, type RunProgress } from './progress.js';
export { createSender, type Sender } from './sender.js';
export { storeBesideConfig, defaultStoreLocation } from './store-location.js';
export { outcomeClassOf, safeObserver, type RunObserver, type CallEvent, type SettledEvent, type OutcomeClass } from './observer.js';
