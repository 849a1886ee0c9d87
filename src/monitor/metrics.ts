/**
 * The metrics of one run, kept twice from the same events: in a prom-client Registry (its own,
 * never the global one) for `/metrics`, and as a snapshot for the store. Names follow the
 * Prometheus conventions: base units in the name, `_total` counters, timestamps rather than ages.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CallEvent, RunObserver, SettledEvent } from '../runtime/run/index.js';
import type { QueueStats } from '../runtime/store/index.js';
import { MONITOR_DEFAULTS } from './defaults.js';
import { emptySnapshot, type MetricsSnapshot } from './snapshot.js';
import type { ConnectorThresholds } from './thresholds.js';

/** Every metric name, for the README and the tests. */
export const METRIC_NAMES = [
  'recon_queue_messages',
  'recon_queue_oldest_message_timestamp_seconds',
  'recon_messages_enqueued_total',
  'recon_messages_duplicate_total',
  'recon_messages_settled_total',
  'recon_calls_total',
  'recon_call_duration_seconds',
  'recon_retries_total',
  'recon_throttle_wait_seconds_total',
  'recon_rate_limit_remaining',
  'recon_rate_limit_limit',
  'recon_last_success_timestamp_seconds',
  'recon_last_call_timestamp_seconds',
  'recon_pull_records_received_total',
  'recon_pull_last_received_timestamp_seconds',
  'recon_run_start_timestamp_seconds',
] as const;

const QUEUE_STATES = ['queued', 'leased', 'done', 'dead', 'parked'] as const;

export class RunMetrics {
  readonly registry = new Registry();
  private readonly snapshot: MetricsSnapshot;
  private readonly m;

  constructor(o: { thresholds: ConnectorThresholds; owner: string; startedAt: number; pushEveryMs: number }) {
    const { connector } = o.thresholds;
    this.snapshot = emptySnapshot(o);
    const registers = [this.registry];
    const c = (name: string, help: string, labelNames: string[] = ['connector']) => new Counter({ name, help, labelNames, registers });
    const g = (name: string, help: string, labelNames: string[] = ['connector']) => new Gauge({ name, help, labelNames, registers });
    this.m = {
      queue: g('recon_queue_messages', "Messages in the connector's queue, by state (the store's count).", ['connector', 'state']),
      oldest: g('recon_queue_oldest_message_timestamp_seconds', 'When the oldest message not yet done or dead was enqueued (absent when none waits).'),
      enqueued: c('recon_messages_enqueued_total', 'Input records newly queued.'),
      duplicates: c('recon_messages_duplicate_total', 'Input records already known (same message id): not queued again.'),
      settled: c('recon_messages_settled_total', "Attempts settled, by what they led to: done, retry (queued again), dead, parked.", ['connector', 'state']),
      calls: c('recon_calls_total', 'HTTP calls to the vendor, by operation and outcome class (2xx, 3xx, 4xx, 429, 5xx, network).', ['connector', 'operation', 'outcome']),
      duration: new Histogram({
        name: 'recon_call_duration_seconds',
        help: 'Duration of the answered calls to the vendor (no answer: see recon_calls_total{outcome="network"}).',
        labelNames: ['connector', 'operation'],
        buckets: [...MONITOR_DEFAULTS.durationBuckets],
        registers,
      }),
      retries: c('recon_retries_total', 'Attempts that ended queued again for a later retry.'),
      throttleWait: c('recon_throttle_wait_seconds_total', 'Time attempts waited for the rate limit before they could be sent.'),
      remaining: g('recon_rate_limit_remaining', "Requests left in the vendor's window, as its latest rate-limit headers said."),
      limit: g('recon_rate_limit_limit', "The vendor's limit per window, as its latest rate-limit headers said."),
      lastSuccess: g('recon_last_success_timestamp_seconds', 'When a message was last delivered (done).'),
      lastCall: g('recon_last_call_timestamp_seconds', 'When the vendor was last called, whatever the outcome.'),
      received: c('recon_pull_records_received_total', 'Records a pull connector received, by source (its list operation).', ['connector', 'source']),
      lastReceived: g('recon_pull_last_received_timestamp_seconds', 'When a pull source last yielded a new record.', ['connector', 'source']),
      start: g('recon_run_start_timestamp_seconds', 'When this process started monitoring the connector.'),
    };
    this.m.start.set({ connector }, o.startedAt / 1000);
    for (const counter of [this.m.enqueued, this.m.duplicates, this.m.retries, this.m.throttleWait]) counter.inc({ connector }, 0);
  }

  private get connector(): string {
    return this.snapshot.connector;
  }

  /** The observer the runner calls: each event updates the registry and the snapshot. */
  observer(): RunObserver {
    return {
      enqueued: (e) => this.onEnqueued(e),
      call: (e) => this.onCall(e),
      settled: (e) => this.onSettled(e),
      throttleWait: (e) => this.onThrottleWait(e.waitMs),
      rateLimit: (e) => this.onRateLimit(e),
      received: (e) => this.onReceived(e),
    };
  }

  private onEnqueued(e: { added: number; duplicates: number }): void {
    this.m.enqueued.inc({ connector: this.connector }, e.added);
    this.m.duplicates.inc({ connector: this.connector }, e.duplicates);
    this.snapshot.enqueued += e.added;
    this.snapshot.duplicates += e.duplicates;
  }

  private onCall(e: CallEvent): void {
    const s = this.snapshot;
    this.m.calls.inc({ connector: this.connector, operation: e.operation, outcome: e.outcomeClass });
    const byOutcome = (s.calls[e.operation] ??= {});
    byOutcome[e.outcomeClass] = (byOutcome[e.outcomeClass] ?? 0) + 1;
    if (e.outcomeClass !== 'network') {
      const seconds = e.durationMs / 1000;
      this.m.duration.observe({ connector: this.connector, operation: e.operation }, seconds);
      observeHistogram((s.latency[e.operation] ??= emptyHistogram()), seconds);
    }
    this.m.lastCall.set({ connector: this.connector }, e.at / 1000);
    s.lastCallAt = Math.max(s.lastCallAt ?? 0, e.at);
    s.recentCalls.push({
      at: e.at,
      operation: e.operation,
      purpose: e.purpose,
      outcome: e.outcomeClass,
      ...(e.status === undefined ? {} : { status: e.status }),
      ...(e.failure === undefined ? {} : { failure: e.failure }),
      ms: Math.round(e.durationMs * 10) / 10,
    });
    if (s.recentCalls.length > MONITOR_DEFAULTS.recentCalls * 1.2) s.recentCalls.splice(0, s.recentCalls.length - MONITOR_DEFAULTS.recentCalls);
  }

  private onSettled(e: SettledEvent): void {
    this.m.settled.inc({ connector: this.connector, state: e.state });
    this.snapshot.settled[e.state]++;
    if (e.state === 'retry') this.m.retries.inc({ connector: this.connector });
    if (e.state === 'done') this.markSuccess(e.at);
  }

  private markSuccess(at: number): void {
    this.m.lastSuccess.set({ connector: this.connector }, at / 1000);
    this.snapshot.lastSuccessAt = Math.max(this.snapshot.lastSuccessAt ?? 0, at);
  }

  private onThrottleWait(waitMs: number): void {
    if (!(waitMs > 0)) return;
    this.m.throttleWait.inc({ connector: this.connector }, waitMs / 1000);
    this.snapshot.throttleWaitSeconds += waitMs / 1000;
  }

  private onRateLimit(e: { remaining?: number; limit?: number; at: number }): void {
    if (e.remaining !== undefined) this.m.remaining.set({ connector: this.connector }, e.remaining);
    if (e.limit !== undefined) this.m.limit.set({ connector: this.connector }, e.limit);
    this.snapshot.rateLimit = { ...(e.remaining === undefined ? {} : { remaining: e.remaining }), ...(e.limit === undefined ? {} : { limit: e.limit }), at: e.at };
  }

  private onReceived(e: { source: string; records: number; at: number }): void {
    const source = (this.snapshot.sources[e.source] ??= { records: 0, lastPulledAt: e.at });
    source.lastPulledAt = e.at;
    this.m.received.inc({ connector: this.connector, source: e.source }, e.records);
    if (e.records <= 0) return;
    source.records += e.records;
    source.lastReceivedAt = e.at;
    this.m.lastReceived.set({ connector: this.connector, source: e.source }, e.at / 1000);
    // For a pull, a page that reached the sink is its delivery.
    this.markSuccess(e.at);
  }

  /** What an earlier run of the connector knew that still holds: its last delivery and each source's last record. */
  inherit(older: MetricsSnapshot): void {
    if (older.lastSuccessAt !== undefined && older.lastSuccessAt > (this.snapshot.lastSuccessAt ?? 0)) this.markSuccess(older.lastSuccessAt);
    for (const [name, source] of Object.entries(older.sources)) {
      const mine = (this.snapshot.sources[name] ??= { records: 0, lastPulledAt: source.lastPulledAt });
      if (source.lastReceivedAt !== undefined && source.lastReceivedAt > (mine.lastReceivedAt ?? 0)) {
        mine.lastReceivedAt = source.lastReceivedAt;
        this.m.lastReceived.set({ connector: this.connector, source: name }, source.lastReceivedAt / 1000);
      }
    }
  }

  /** The store's queue counts now (all workers'), into the gauges and the snapshot's samples. */
  setQueue(stats: QueueStats | undefined, at: number): void {
    const counts = stats?.counts;
    for (const state of QUEUE_STATES) this.m.queue.set({ connector: this.connector, state }, counts?.[state] ?? 0);
    if (stats?.oldestPending === undefined) this.m.oldest.remove({ connector: this.connector });
    else this.m.oldest.set({ connector: this.connector }, stats.oldestPending / 1000);
    const queue = this.snapshot.queue;
    queue.push({ at, queued: counts?.queued ?? 0, leased: counts?.leased ?? 0 });
    if (queue.length > MONITOR_DEFAULTS.queueSamples) queue.splice(0, queue.length - MONITOR_DEFAULTS.queueSamples);
  }

  /** A copy of the snapshot as of `now`, with the recent calls trimmed to the kept window. */
  snapshotAt(now: number, closed: boolean): MetricsSnapshot {
    const s = this.snapshot;
    s.updatedAt = now;
    s.closed = closed;
    s.recentCalls = s.recentCalls.filter((c) => c.at >= now - MONITOR_DEFAULTS.recentMs).slice(-MONITOR_DEFAULTS.recentCalls);
    return structuredClone(s);
  }

  /** `/metrics` in the Prometheus text format. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }
}

function emptyHistogram(): MetricsSnapshot['latency'][string] {
  const bounds = [...MONITOR_DEFAULTS.durationBuckets];
  return { bounds, counts: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 };
}

function observeHistogram(h: MetricsSnapshot['latency'][string], seconds: number): void {
  let i = h.bounds.findIndex((le) => seconds <= le);
  if (i === -1) i = h.bounds.length;
  h.counts[i] = (h.counts[i] ?? 0) + 1;
  h.sum += seconds;
  h.count++;
}

