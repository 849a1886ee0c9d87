/**
 * The alert conditions, evaluated from what the store holds for one connector: its runs'
 * snapshots, the queue's counts and the check's own queue samples. Pure: the caller passes the
 * time. Every condition states its evidence; a timestamp from the future or an absurd age is a
 * clock jump, reported as a note and never as an alert.
 */
import type { QueueStats } from '../runtime/store/index.js';
import { ALERT_KINDS, type AlertName, type Severity } from './alerts.js';
import { MONITOR_DEFAULTS } from './defaults.js';
import type { MetricsSnapshot, QueueSample, RecentCall } from './snapshot.js';
import type { ConnectorThresholds } from './thresholds.js';

export interface FiringAlert {
  /** `name:connector[:operation|source]`: what "the same alert" means for notifications. */
  id: string;
  name: AlertName;
  connector: string;
  severity: Severity;
  labels: Record<string, string>;
  summary: string;
  runbook: string;
  /** What was seen, in words with the numbers. */
  evidence: string[];
  value: number;
  threshold: number;
}

export interface ConnectorEvaluation {
  firing: FiringAlert[];
  /** Clock jumps, too few samples: said, not alerted on. */
  notes: string[];
}

export interface ConditionInput {
  connector: string;
  now: number;
  windowSeconds: number;
  /** This connector's snapshots, newest first (may be empty). */
  snapshots: MetricsSnapshot[];
  stats?: QueueStats;
  /** Queue samples the check kept from earlier runs of itself. */
  checkSamples: QueueSample[];
}

/**
 * @example
 * evaluateConnector({ connector: 'push-orders', now: Date.now(), windowSeconds: 300, snapshots, stats, checkSamples: [] })
 * // { firing: [{ name: 'ReconErrorRateHigh', evidence: ['12 of 20 calls in the last 300 s failed (60%) …'], … }], notes: [] }
 */
export function evaluateConnector(input: ConditionInput): ConnectorEvaluation {
  const out: ConnectorEvaluation = { firing: [], notes: [] };
  const latest = input.snapshots[0];
  const thresholds = latest?.thresholds;
  const ctx = { ...input, out, windowMs: input.windowSeconds * 1000 };
  if (thresholds === undefined) {
    if (input.stats && input.stats.counts.queued + input.stats.counts.leased > 0) out.notes.push(`${input.connector}: no metrics in the store yet (run it with recon run): only the queue is checked`);
    oldestTooOld(ctx, undefined);
    return out;
  }
  const calls = recentCalls(ctx);
  queueGrowingFast(ctx, thresholds, calls);
  oldestTooOld(ctx, thresholds);
  errorRateHigh(ctx, thresholds, calls);
  latencyAboveBaseline(ctx, thresholds, calls);
  upstreamSilent(ctx, thresholds);
  metricsAbsent(ctx, latest!);
  batchWillMissDeadline(ctx, thresholds);
  return out;
}

type Ctx = ConditionInput & { out: ConnectorEvaluation; windowMs: number };

function fire(ctx: Ctx, name: AlertName, labels: Record<string, string>, evidence: string[], value: number, threshold: number): void {
  const kind = ALERT_KINDS[name];
  const extra = Object.values(labels);
  ctx.out.firing.push({
    id: [name, ctx.connector, ...extra].join(':'),
    name,
    connector: ctx.connector,
    severity: kind.severity,
    labels: { connector: ctx.connector, ...labels },
    summary: `${ctx.connector}${extra.length ? ` (${extra.join(', ')})` : ''}: ${kind.meaning}`,
    runbook: kind.runbook,
    evidence,
    value,
    threshold,
  });
}

/** Within the window, and not from the future (a clock that jumped back makes those). */
function inWindow(ctx: Ctx, at: number): boolean {
  return at >= ctx.now - ctx.windowMs && at <= ctx.now + MONITOR_DEFAULTS.clockSkewMs;
}

function recentCalls(ctx: Ctx): RecentCall[] {
  const all = ctx.snapshots.flatMap((s) => s.recentCalls);
  const future = all.filter((c) => c.at > ctx.now + MONITOR_DEFAULTS.clockSkewMs).length;
  if (future > 0) ctx.out.notes.push(`${ctx.connector}: ${future} call${future === 1 ? '' : 's'} dated in the future (a clock jump?): left out`);
  return all.filter((c) => inWindow(ctx, c.at));
}

function queueGrowingFast(ctx: Ctx, t: ConnectorThresholds, calls: RecentCall[]): void {
  const samples = [...ctx.snapshots.flatMap((s) => s.queue), ...ctx.checkSamples].filter((s) => inWindow(ctx, s.at)).sort((a, b) => a.at - b.at);
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined || last.at - first.at < 1) return;
  const seconds = (last.at - first.at) / 1000;
  const growth = (last.queued - first.queued) / seconds;
  // Deliveries going on at a good pace mean a batch arrived, not that something stopped.
  const delivered = calls.filter((c) => c.purpose === 'create' && c.outcome === '2xx').length / (ctx.windowMs / 1000);
  if (growth > t.queueGrowthPerSecond && delivered < t.queueGrowthPerSecond) {
    fire(ctx, 'ReconQueueGrowingFast', {}, [
      `queued ${first.queued} → ${last.queued} in ${fmt(seconds)} s: +${fmt(growth)}/s (alert above ${fmt(t.queueGrowthPerSecond)}/s, ${Math.round(MONITOR_DEFAULTS.growthFraction * 100)}% of the ${fmt(t.sendingPerSecond)}/s limit)`,
      `delivered ${fmt(delivered)}/s over the last ${ctx.windowSeconds} s`,
    ], growth, t.queueGrowthPerSecond);
  }
}

function oldestTooOld(ctx: Ctx, t: ConnectorThresholds | undefined): void {
  const oldest = ctx.stats?.oldestPending;
  if (oldest === undefined || t === undefined) return;
  const ageMs = ctx.now - oldest;
  if (ageMs < -MONITOR_DEFAULTS.clockSkewMs || ageMs > MONITOR_DEFAULTS.absurdAgeMs) {
    ctx.out.notes.push(`${ctx.connector}: the oldest message's age is ${fmt(ageMs / 1000)} s — a clock jump, not checked`);
    return;
  }
  if (ageMs / 1000 > t.oldestAgeSeconds) {
    const waiting = (ctx.stats?.counts.queued ?? 0) + (ctx.stats?.counts.leased ?? 0);
    fire(ctx, 'ReconOldestMessageTooOld', {}, [
      `the oldest of ${waiting} waiting messages was enqueued ${new Date(oldest).toISOString()}, ${fmt(ageMs / 1000)} s ago (alert above ${fmt(t.oldestAgeSeconds)} s: the retries' maxElapsed or the batch's sending time)`,
    ], ageMs / 1000, t.oldestAgeSeconds);
  }
}

const FAILING = new Set(['4xx', '5xx', 'network']);

function errorRateHigh(ctx: Ctx, t: ConnectorThresholds, calls: RecentCall[]): void {
  if (calls.length < t.minCalls) return;
  const failed = calls.filter((c) => FAILING.has(c.outcome));
  const ratio = failed.length / calls.length;
  if (ratio <= t.errorRatio) return;
  const why = new Map<string, number>();
  for (const c of failed) {
    const key = c.outcome === 'network' ? `network ${c.failure ?? 'error'}` : `${c.status ?? c.outcome}`;
    why.set(key, (why.get(key) ?? 0) + 1);
  }
  fire(ctx, 'ReconErrorRateHigh', {}, [
    `${failed.length} of ${calls.length} calls in the last ${ctx.windowSeconds} s failed (${pct(ratio)}, alert above ${pct(t.errorRatio)})`,
    `by cause: ${[...why].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`).join(', ')}`,
  ], ratio, t.errorRatio);
}

function latencyAboveBaseline(ctx: Ctx, t: ConnectorThresholds, calls: RecentCall[]): void {
  for (const op of t.operations) {
    if (op.baselineP95Ms === undefined) continue;
    const answered = calls.filter((c) => c.operation === op.label && c.outcome !== 'network').map((c) => c.ms);
    if (answered.length < t.minLatencySamples) continue;
    const p95 = percentile(answered, 0.95);
    const limit = op.baselineP95Ms * t.latencyFactor;
    if (p95 > limit) {
      fire(ctx, 'ReconLatencyAboveBaseline', { operation: op.label }, [
        `p95 ${fmt(p95)} ms over ${answered.length} answered ${op.route} calls in the last ${ctx.windowSeconds} s`,
        `baseline p95 ${fmt(op.baselineP95Ms)} ms (${op.baselineFrom ?? 'integration spec'}); alert above ${fmt(limit)} ms (× ${t.latencyFactor})`,
      ], p95, limit);
    }
  }
}

function upstreamSilent(ctx: Ctx, t: ConnectorThresholds): void {
  const source = t.source;
  if (source === undefined || !(source.silentAfterSeconds > 0)) return;
  const received = ctx.snapshots.map((s) => s.sources[source.name]?.lastReceivedAt).filter((at): at is number => at !== undefined);
  const last = received.length > 0 ? Math.max(...received) : undefined;
  // Never received: silent since the first run we know of started.
  const since = last ?? Math.min(...ctx.snapshots.map((s) => s.startedAt));
  const ageMs = ctx.now - since;
  if (ageMs < -MONITOR_DEFAULTS.clockSkewMs || ageMs > MONITOR_DEFAULTS.absurdAgeMs) {
    ctx.out.notes.push(`${ctx.connector}: ${source.name} last received ${fmt(ageMs / 1000)} s ago — a clock jump, not checked`);
    return;
  }
  if (ageMs / 1000 > source.silentAfterSeconds) {
    fire(ctx, 'ReconUpstreamSilent', { source: source.name }, [
      last === undefined
        ? `no record received from ${source.name} since monitoring started ${new Date(since).toISOString()}, ${fmt(ageMs / 1000)} s ago`
        : `last record from ${source.name} received ${new Date(last).toISOString()}, ${fmt(ageMs / 1000)} s ago`,
      `expected every ${fmt(source.everySeconds)} s (pull every); alert after ${fmt(source.silentAfterSeconds)} s`,
    ], ageMs / 1000, source.silentAfterSeconds);
  }
}

function metricsAbsent(ctx: Ctx, latest: MetricsSnapshot): void {
  if (latest.closed) return;
  const staleMs = latest.pushEveryMs * MONITOR_DEFAULTS.staleAfterPushes + MONITOR_DEFAULTS.staleSlackMs;
  const ageMs = ctx.now - latest.updatedAt;
  if (ageMs < -MONITOR_DEFAULTS.clockSkewMs) {
    ctx.out.notes.push(`${ctx.connector}: the last snapshot is dated ${fmt(-ageMs / 1000)} s in the future — a clock jump, not checked`);
    return;
  }
  if (ageMs > staleMs) {
    fire(ctx, 'ReconMetricsAbsent', {}, [
      `run ${latest.owner} last pushed its metrics ${new Date(latest.updatedAt).toISOString()}, ${fmt(ageMs / 1000)} s ago, without ending (it pushes every ${fmt(latest.pushEveryMs / 1000)} s)`,
    ], ageMs / 1000, staleMs / 1000);
  }
}

function batchWillMissDeadline(ctx: Ctx, t: ConnectorThresholds): void {
  if (t.deadline === undefined || ctx.stats === undefined || !(t.sendingPerSecond > 0)) return;
  const pending = ctx.stats.counts.queued + ctx.stats.counts.leased;
  if (pending === 0) return;
  const finish = ctx.now + (pending / t.sendingPerSecond) * 1000;
  const deadline = t.deadline.epochSeconds * 1000;
  if (finish > deadline) {
    fire(ctx, 'ReconBatchWillMissDeadline', {}, [
      `${pending} messages wait; at the measured ${fmt(t.sendingPerSecond)}/s they drain in ${fmt(pending / t.sendingPerSecond)} s, by ${new Date(finish).toISOString()}`,
      `the batch deadline is ${t.deadline.at}${deadline < ctx.now ? ' (already passed)' : ''}`,
    ], finish / 1000, t.deadline.epochSeconds);
  }
}

/** Nearest-rank percentile. */
export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(Math.abs(n) < 10 ? 2 : 1).replace(/\.?0+$/, '');
}

function pct(r: number): string {
  return `${Math.round(r * 1000) / 10}%`;
}
