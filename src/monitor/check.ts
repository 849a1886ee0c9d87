/**
 * `recon monitor check`: the alert conditions evaluated from the store — runs' snapshots, queue
 * counts, workers — for users without Prometheus (a cron job). What fires is notified once until
 * it resolves, and its resolution once: the firing/resolved state, per notification target, is
 * kept in the store (`monitor:alerts`), so a target that was down is told at the next check.
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
  const windowSeconds = o.windowSeconds ?? MONITOR_DEFAULTS.windowSeconds;
  const snapshots = (await store.listState('metrics:')).map((e) => e.value).filter(isSnapshot);
  const stats = await store.stats();
  const workers = await store.workers();
  const state = readState(await store.getState(ALERT_STATE_KEY));
  const grouped = byConnector(snapshots);
  const connectors = [...new Set([...grouped.keys(), ...stats.map((s) => s.connector)])].sort();

  const firing: FiringAlert[] = [];
  const notes: string[] = [];
  for (const connector of connectors) {
    const s = stats.find((x) => x.connector === connector);
    const result = evaluateConnector({ connector, now, windowSeconds, snapshots: grouped.get(connector) ?? [], ...(s ? { stats: s } : {}), checkSamples: state.samples[connector] ?? [] });
    for (const alert of result.firing) {
      if (alert.name === 'ReconMetricsAbsent') addWorkerEvidence(alert, workers);
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

  const notifications = await notifyAll(state, o.targets ?? []);
  // Forget what is resolved and told everywhere (or that nobody is told about).
  for (const [id, record] of Object.entries(state.alerts)) {
    if (record.status === 'resolved' && (o.targets ?? []).every((t) => record.delivered[t.id] !== 'firing')) delete state.alerts[id];
  }
  if (o.record !== false) await store.setState(ALERT_STATE_KEY, state, now);

  return {
    at: new Date(now).toISOString(),
    windowSeconds,
    connectors,
    firing: firing.map((a) => ({ ...a, since: new Date(state.alerts[a.id]?.since ?? now).toISOString(), new: newIds.has(a.id) })),
    resolved,
    notes,
    notifications,
    snapshots,
    workers,
    stats,
  };
}

/** Each target told each alert's current status once; failures kept for the next check. */
async function notifyAll(state: AlertState, targets: NotifyTarget[]): Promise<NotificationResult[]> {
  const jobs: Promise<NotificationResult>[] = [];
  for (const record of Object.values(state.alerts)) {
    for (const target of targets) {
      const told = record.delivered[target.id];
      if (told === record.status) continue;
      // Never told it fired: its resolution is news to nobody.
      if (record.status === 'resolved' && told === undefined) continue;
      const message = alertMessage(record.alert, record.status, record.since, record.resolvedAt);
      const status = record.status;
      jobs.push(
        target.send(message).then(
          () => {
            record.delivered[target.id] = status;
            return { alert: record.alert.id, status, target: target.kind, ok: true };
          },
          (error: unknown) => ({ alert: record.alert.id, status, target: target.kind, ok: false, error: describe(error) }),
        ),
      );
    }
  }
  return Promise.all(jobs);
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
