/**
 * `recon monitor check`: the alert conditions evaluated from the store — runs' snapshots, queue
 * counts, workers — for users without Prometheus (a cron job). What fires is notified once until
 * it resolves, and its resolution once: the firing/resolved state, per notification target, is
 * kept in the store (`monitor:alerts`), so a target that was down is told at the next check.
 * The state is advanced and each notification claimed in one transaction, so two checks running
 * at once (overlapping cron jobs, two machines) never send the same notification twice.
 */
import type { QueueStats, Store, WorkerInfo } from '../runtime/store/index.js';
import { evaluateConnector, type FiringAlert } from './conditions.js';
import { ALERT_STATE_KEY, MONITOR_DEFAULTS } from './defaults.js';
import { alertMessage, type AlertStatus, type NotifyTarget } from './notify.js';
import { byConnector, isSnapshot, type MetricsSnapshot, type QueueSample } from './snapshot.js';

export interface CheckOptions {
  store: Store;
  /** Epoch ms. */
  now: number;
  windowSeconds?: number;
  targets?: NotifyTarget[];
  /** Keep the firing/resolved state and the queue sample (false: look only, as `recon status`). */
  record?: boolean;
}

export interface AlertRecord {
  alert: FiringAlert;
  status: AlertStatus;
  /** Epoch ms it started firing. */
  since: number;
  resolvedAt?: number;
  /** What each target (by id) was last told. */
  delivered: Record<string, AlertStatus>;
  /** A check is telling these targets this status now (and since when): no other check does. */
  claims?: Record<string, AlertStatus>;
  claimedAt?: Record<string, number>;
}

interface AlertState {
  format: 1;
  alerts: Record<string, AlertRecord>;
  samples: Record<string, QueueSample[]>;
}

export interface NotificationResult {
  alert: string;
  status: AlertStatus;
  target: 'webhook' | 'command';
  ok: boolean;
  error?: string;
}

export interface CheckResult {
  at: string;
  windowSeconds: number;
  connectors: string[];
  firing: (FiringAlert & { since: string; new: boolean })[];
  /** Alerts that stopped firing at this check. */
  resolved: { id: string; name: string; connector: string; since: string }[];
  notes: string[];
  notifications: NotificationResult[];
  /** What `recon status` needs beside the alerts. */
  snapshots: MetricsSnapshot[];
  workers: WorkerInfo[];
  stats: QueueStats[];
}

/**
 * @example
 * const result = await checkAlerts({ store, now: Date.now(), targets: [webhookTarget(url, 5000)] });
 * if (result.firing.length > 0) process.exitCode = 1;
 */
export async function checkAlerts(o: CheckOptions): Promise<CheckResult> {
  const { store, now } = o;
  const targets = o.targets ?? [];
  const windowSeconds = o.windowSeconds ?? MONITOR_DEFAULTS.windowSeconds;
  const snapshots = (await store.listState('metrics:')).map((e) => e.value).filter(isSnapshot);
  const stats = await store.stats();
  const workers = await store.workers();
  const grouped = byConnector(snapshots);
  const connectors = [...new Set([...grouped.keys(), ...stats.map((s) => s.connector)])].sort();

  // Phase 1, in one transaction: what fires and resolves, and which notifications this check
  // claims. Two checks at once (overlapping cron jobs) never both claim the same one.
  const advance = (current: unknown) => advanceState(readState(current), { connectors, grouped, stats, workers, now, windowSeconds, targets });
  let step: Advanced;
  if (o.record === false) step = advance(await store.getState(ALERT_STATE_KEY));
  else {
    step = await store.transactState(ALERT_STATE_KEY, (current) => {
      const advanced = advance(current);
      return { value: advanced.state, result: advanced };
    }, now);
  }

  // Phase 2: send what was claimed, outside any transaction (a slow webhook holds no lock).
  const notifications = await Promise.all(
    step.claims.map(({ record, target }) =>
      target.send(alertMessage(record.alert, record.status, record.since, record.resolvedAt)).then(
        (): NotificationResult => ({ alert: record.alert.id, status: record.status, target: target.kind, ok: true }),
        (error: unknown): NotificationResult => ({ alert: record.alert.id, status: record.status, target: target.kind, ok: false, error: describe(error) }),
      ),
    ),
  );

  // Phase 3, in one transaction: what was delivered; a failed one is retried at the next check.
  if (o.record !== false && step.claims.length > 0) {
    await store.transactState(ALERT_STATE_KEY, (current) => {
      const state = readState(current);
      step.claims.forEach(({ record, target }, i) => {
        const live = state.alerts[record.alert.id];
        if (live === undefined) return;
        if (live.claims?.[target.id] === record.status) delete live.claims[target.id];
        if (notifications[i]!.ok) live.delivered[target.id] = record.status;
      });
      forgetDone(state, targets);
      return { value: state, result: undefined };
    }, now);
  }

  return {
    at: new Date(now).toISOString(),
    windowSeconds,
    connectors,
    firing: step.firing.map((a) => ({ ...a, since: new Date(step.state.alerts[a.id]?.since ?? now).toISOString(), new: step.newIds.has(a.id) })),
    resolved: step.resolved,
    notes: step.notes,
    notifications,
    snapshots,
    workers,
    stats,
  };
}

interface Advanced {
  state: AlertState;
  firing: FiringAlert[];
  newIds: Set<string>;
  resolved: CheckResult['resolved'];
  notes: string[];
  /** Notifications this check sends: each (alert, target) to be told its current status. */
  claims: { record: AlertRecord; target: NotifyTarget }[];
}

/**
 * The state after this check, pure (a transaction may run it again): conditions evaluated, new
 * alerts firing, gone ones resolved, queue samples kept, and the notifications claimed — each
 * target told each alert's current status once; one claimed by another check within the claim
 * time is left to it.
 */
function advanceState(
  state: AlertState,
  c: { connectors: string[]; grouped: Map<string, MetricsSnapshot[]>; stats: QueueStats[]; workers: WorkerInfo[]; now: number; windowSeconds: number; targets: NotifyTarget[] },
): Advanced {
  const { now } = c;
  const firing: FiringAlert[] = [];
  const notes: string[] = [];
  for (const connector of c.connectors) {
    const s = c.stats.find((x) => x.connector === connector);
    const result = evaluateConnector({ connector, now, windowSeconds: c.windowSeconds, snapshots: c.grouped.get(connector) ?? [], ...(s ? { stats: s } : {}), checkSamples: state.samples[connector] ?? [] });
    for (const alert of result.firing) {
      if (alert.name === 'ReconMetricsAbsent') addWorkerEvidence(alert, c.workers);
      firing.push(alert);
    }
    notes.push(...result.notes);
    const samples = (state.samples[connector] ?? []).filter((x) => x.at >= now - MONITOR_DEFAULTS.recentMs && x.at <= now);
    samples.push({ at: now, queued: s?.counts.queued ?? 0, leased: s?.counts.leased ?? 0 });
    state.samples[connector] = samples.slice(-MONITOR_DEFAULTS.queueSamples);
  }

  const resolved: CheckResult['resolved'] = [];
  const newIds = new Set<string>();
  for (const alert of firing) {
    const known = state.alerts[alert.id];
    if (known === undefined || known.status === 'resolved') {
      newIds.add(alert.id);
      state.alerts[alert.id] = { alert, status: 'firing', since: now, delivered: known?.delivered ?? {} };
    } else known.alert = alert;
  }
  for (const [id, record] of Object.entries(state.alerts)) {
    if (record.status === 'firing' && !firing.some((a) => a.id === id)) {
      record.status = 'resolved';
      record.resolvedAt = now;
      resolved.push({ id, name: record.alert.name, connector: record.alert.connector, since: new Date(record.since).toISOString() });
    }
  }

  const claims: Advanced['claims'] = [];
  for (const record of Object.values(state.alerts)) {
    for (const target of c.targets) {
      const told = record.delivered[target.id];
      if (told === record.status) continue;
      // Never told it fired: its resolution is news to nobody.
      if (record.status === 'resolved' && told === undefined) continue;
      const claimed = record.claims?.[target.id];
      const claimedAt = record.claimedAt?.[target.id] ?? 0;
      if (claimed === record.status && claimedAt > now - MONITOR_DEFAULTS.notifyClaimMs && claimedAt <= now) continue;
      (record.claims ??= {})[target.id] = record.status;
      (record.claimedAt ??= {})[target.id] = now;
      claims.push({ record: structuredClone(record), target });
    }
  }
  if (claims.length === 0) forgetDone(state, c.targets);
  return { state, firing, newIds, resolved, notes, claims };
}

/** Forget what is resolved and told everywhere (or that nobody is told about). */
function forgetDone(state: AlertState, targets: NotifyTarget[]): void {
  for (const [id, record] of Object.entries(state.alerts)) {
    if (record.status === 'resolved' && targets.every((t) => record.delivered[t.id] !== 'firing')) delete state.alerts[id];
  }
}

function addWorkerEvidence(alert: FiringAlert, workers: WorkerInfo[]): void {
  for (const w of workers.filter((x) => x.connector === alert.connector)) {
    alert.evidence.push(`worker ${w.owner} (${w.mode}, pid ${w.pid} on ${w.host}): last heartbeat ${Math.round(w.heartbeatAgeMs / 1000)} s ago, ${w.leases} leases`);
  }
}

function readState(value: unknown): AlertState {
  const v = value as Partial<AlertState> | undefined;
  if (typeof v !== 'object' || v === null || v.format !== 1 || typeof v.alerts !== 'object' || typeof v.samples !== 'object') return { format: 1, alerts: {}, samples: {} };
  return { format: 1, alerts: { ...v.alerts }, samples: { ...v.samples } };
}

function describe(error: unknown): string {
  const e = error as Error & { code?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  return e?.code ? `${e.code}${e.message && !e.message.includes(e.code) ? `: ${e.message}` : ''}` : (e?.message ?? String(error));
}
