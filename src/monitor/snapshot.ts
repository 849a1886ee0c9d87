/**
 * What a run pushes to the store (`metrics:<connector>:<owner>`) so that `recon monitor check`
 * and `recon status` see what Prometheus would, without Prometheus: counters since the run
 * started, the latency histogram, the recent calls (for windowed error rates and percentiles),
 * queue samples, last success and per-source last received — plus the thresholds it was run with.
 */
import type { OutcomeClass } from '../runtime/run/index.js';
import type { ConnectorThresholds } from './thresholds.js';

export const SNAPSHOT_FORMAT = 1;

export interface RecentCall {
  /** Epoch ms the call ended. */
  at: number;
  operation: string;
  purpose: 'create' | 'lookup';
  outcome: OutcomeClass;
  status?: number;
  failure?: string;
  ms: number;
}

export interface QueueSample {
  at: number;
  queued: number;
  leased: number;
}

export interface HistogramSnapshot {
  /** Upper bounds in seconds (`le`), +Inf implied. */
  bounds: number[];
  /** Observations per bucket (not cumulative), one more than `bounds` (the +Inf bucket). */
  counts: number[];
  sum: number;
  count: number;
}

export interface MetricsSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  connector: string;
  owner: string;
  kind: 'push' | 'pull';
  /** Epoch ms, the run's clock. */
  startedAt: number;
  updatedAt: number;
  /** The run ended and said so; an unclosed snapshot that stops updating is a run that died. */
  closed: boolean;
  pushEveryMs: number;
  thresholds: ConnectorThresholds;
  enqueued: number;
  duplicates: number;
  settled: { done: number; retry: number; dead: number; parked: number };
  /** Calls by operation, then outcome class. */
  calls: Record<string, Partial<Record<OutcomeClass, number>>>;
  latency: Record<string, HistogramSnapshot>;
  throttleWaitSeconds: number;
  rateLimit?: { remaining?: number; limit?: number; at: number };
  lastSuccessAt?: number;
  lastCallAt?: number;
  sources: Record<string, { records: number; lastReceivedAt?: number; lastPulledAt: number }>;
  recentCalls: RecentCall[];
  queue: QueueSample[];
}

/** Only what looks like a snapshot of this format (another recon's or a broken value is skipped). */
/**
 * A run's snapshot before anything happened: what `RunMetrics` starts from.
 *
 * @example
 * const snapshot = emptySnapshot({ thresholds, owner: 'app-1:4121:k2x9c1', startedAt: Date.now(), pushEveryMs: 10_000 });
 */
export function emptySnapshot(o: { thresholds: ConnectorThresholds; owner: string; startedAt: number; pushEveryMs: number }): MetricsSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    connector: o.thresholds.connector,
    owner: o.owner,
    kind: o.thresholds.kind,
    startedAt: o.startedAt,
    updatedAt: o.startedAt,
    closed: false,
    pushEveryMs: o.pushEveryMs,
    thresholds: o.thresholds,
    enqueued: 0,
    duplicates: 0,
    settled: { done: 0, retry: 0, dead: 0, parked: 0 },
    calls: {},
    latency: {},
    throttleWaitSeconds: 0,
    sources: {},
    recentCalls: [],
    queue: [],
  };
}

export function isSnapshot(value: unknown): value is MetricsSnapshot {
  const v = value as Partial<MetricsSnapshot> | undefined;
  return typeof v === 'object' && v !== null && v.format === SNAPSHOT_FORMAT && typeof v.connector === 'string' && typeof v.updatedAt === 'number' && typeof v.thresholds === 'object';
}

/** Snapshots by connector, newest first. */
export function byConnector(snapshots: MetricsSnapshot[]): Map<string, MetricsSnapshot[]> {
  const map = new Map<string, MetricsSnapshot[]>();
  for (const s of [...snapshots].sort((a, b) => b.updatedAt - a.updatedAt)) {
    const list = map.get(s.connector) ?? [];
    list.push(s);
    map.set(s.connector, list);
  }
  return map;
}
