/**
 * `recon status`: one row per connector for a person — its state, queue, throughput, error rate,
 * latency against the review's baseline, last delivery, workers and firing alerts — read from the
 * store without changing it (no notification, no alert state written).
 */
import { MESSAGE_STATES, type MessageState, type Store } from '../runtime/store/index.js';
import { checkAlerts, type CheckResult } from './check.js';
import { percentile } from './conditions.js';
import { MONITOR_DEFAULTS } from './defaults.js';

export type ConnectorState = 'running' | 'idle' | 'stalled' | 'failing';

export interface ConnectorStatus {
  connector: string;
  kind: 'push' | 'pull' | 'unknown';
  state: ConnectorState;
  queue: Record<MessageState, number>;
  oldestWaitingSeconds?: number;
  /** Deliveries (push: 2xx creates; pull: records received) per second over the window. */
  throughputPerSecond: number;
  calls: number;
  /** Failing calls over all calls in the window (none: undefined). */
  errorRate?: number;
  latency: { operation: string; p95Ms?: number; baselineP95Ms?: number }[];
  lastDeliveryAt?: string;
  workers: { owner: string; mode: string; state: string; heartbeatAgeSeconds: number; inFlight: number; leases: number }[];
  alerts: { name: string; severity: string; summary: string }[];
}

export interface StatusReport {
  at: string;
  windowSeconds: number;
  connectors: ConnectorStatus[];
  notes: string[];
}

/** A worker that beat this recently is alive. */
const LIVE_WORKER_MS = 30_000;

/**
 * @example
 * const report = await statusReport({ store, now: Date.now() });
 * report.connectors[0]; // { connector: 'push-orders', state: 'running', queue: { queued: 40, … }, throughputPerSecond: 9.8, … }
 */
export async function statusReport(o: { store: Store; now: number; windowSeconds?: number }): Promise<StatusReport> {
  const check = await checkAlerts({ store: o.store, now: o.now, ...(o.windowSeconds ? { windowSeconds: o.windowSeconds } : {}), record: false });
  return { at: check.at, windowSeconds: check.windowSeconds, connectors: check.connectors.map((c) => connectorStatus(c, check, o.now)), notes: check.notes };
}

function connectorStatus(connector: string, check: CheckResult, now: number): ConnectorStatus {
  const windowMs = check.windowSeconds * 1000;
  const snapshots = check.snapshots.filter((s) => s.connector === connector).sort((a, b) => b.updatedAt - a.updatedAt);
  const latest = snapshots[0];
  const stats = check.stats.find((s) => s.connector === connector);
  const queue = Object.fromEntries(MESSAGE_STATES.map((s) => [s, stats?.counts[s] ?? 0])) as Record<MessageState, number>;
  const calls = snapshots.flatMap((s) => s.recentCalls).filter((c) => c.at >= now - windowMs && c.at <= now + MONITOR_DEFAULTS.clockSkewMs);
  const failing = calls.filter((c) => c.outcome === '4xx' || c.outcome === '5xx' || c.outcome === 'network').length;
  const kind = latest?.kind ?? 'unknown';
  const received = latest?.thresholds.source ? snapshots.reduce((n, s) => n + (s.sources[latest.thresholds.source!.name]?.records ?? 0), 0) : 0;
  const delivered = kind === 'pull' ? received : calls.filter((c) => c.purpose === 'create' && c.outcome === '2xx').length;
  const lastDelivery = Math.max(0, ...snapshots.map((s) => s.lastSuccessAt ?? 0));
  const workers = check.workers
    .filter((w) => w.connector === connector)
    .map((w) => ({ owner: w.owner, mode: w.mode, state: w.state, heartbeatAgeSeconds: Math.round(w.heartbeatAgeMs / 1000), inFlight: w.inFlight, leases: w.leases }));
  const alerts = check.firing.filter((a) => a.connector === connector).map((a) => ({ name: a.name, severity: a.severity, summary: a.summary }));
  const live = workers.some((w) => w.heartbeatAgeSeconds * 1000 < LIVE_WORKER_MS) || snapshots.some((s) => !s.closed && now - s.updatedAt < s.pushEveryMs * MONITOR_DEFAULTS.staleAfterPushes);
  const waiting = queue.queued + queue.leased;
  const state: ConnectorState = alerts.some((a) => a.name === 'ReconErrorRateHigh' || a.name === 'ReconUpstreamSilent' || a.name === 'ReconLatencyAboveBaseline')
    ? 'failing'
    : alerts.some((a) => a.name === 'ReconMetricsAbsent' || a.name === 'ReconOldestMessageTooOld' || a.name === 'ReconQueueGrowingFast') || (waiting > 0 && !live)
      ? 'stalled'
      : live
        ? 'running'
        : 'idle';
  return {
    connector,
    kind,
    state,
    queue,
    ...(stats?.oldestPending === undefined ? {} : { oldestWaitingSeconds: Math.round((now - stats.oldestPending) / 1000) }),
    // Pull: the records of the runs in the window are not timed one by one; the whole count over the run's life.
    throughputPerSecond: Math.round((kind === 'pull' ? delivered / Math.max(1, ((latest?.updatedAt ?? now) - Math.min(...snapshots.map((s) => s.startedAt))) / 1000) : delivered / check.windowSeconds) * 100) / 100,
    calls: calls.length,
    ...(calls.length > 0 ? { errorRate: Math.round((failing / calls.length) * 1000) / 1000 } : {}),
    latency: (latest?.thresholds.operations ?? []).map((op) => {
      const ms = calls.filter((c) => c.operation === op.label && c.outcome !== 'network').map((c) => c.ms);
      return { operation: op.label, ...(ms.length > 0 ? { p95Ms: percentile(ms, 0.95) } : {}), ...(op.baselineP95Ms === undefined ? {} : { baselineP95Ms: op.baselineP95Ms }) };
    }),
    ...(lastDelivery > 0 ? { lastDeliveryAt: new Date(lastDelivery).toISOString() } : {}),
    workers,
    alerts,
  };
}
