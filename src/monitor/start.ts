/**
 * `startRunMonitoring`: what `recon run` calls for every run. It keeps the run's metrics, serves
 * them on `/metrics` when a port is given, and pushes a snapshot to the store every
 * `pushEveryMs` and on close. Monitoring never disturbs delivery: a failing push is counted and
 * tried again at the next tick, and the observer never throws.
 */
import type { LoadedConnector } from '../runtime/connector/index.js';
import type { RunObserver } from '../runtime/run/index.js';
import type { Store } from '../runtime/store/index.js';
import { MONITOR_DEFAULTS, metricsKey } from './defaults.js';
import { RunMetrics } from './metrics.js';
import { isSnapshot, type MetricsSnapshot } from './snapshot.js';
import { serveMetrics, type MetricsServer } from './serve.js';
import { integrationSpecOf, thresholdsOf } from './thresholds.js';

export interface RunMonitoringOptions {
  store: Store;
  loaded: LoadedConnector;
  /** The run's lease owner id: one snapshot per process. */
  owner: string;
  /** Serve `/metrics` here (0: any free port). Without it: snapshots only. */
  metricsPort?: number;
  /** Default 127.0.0.1 (metrics say what an integration does: not for every network by default). */
  metricsHost?: string;
  clock?: () => number;
  /** Default `MONITOR_DEFAULTS.pushEveryMs` (10 s). */
  pushEveryMs?: number;
  /** Told when a push to the store fails (the run goes on). */
  onPushError?: (error: Error) => void;
}

export interface RunMonitoring {
  /** Pass to `runConnector({ observer })` / `runPull({ observer })`. */
  observer: RunObserver;
  /** Final push (marked closed), stop the timer and the server. Never throws. */
  close(): Promise<void>;
  /** `http://127.0.0.1:9464/metrics` when serving. */
  url?: string;
}

/**
 * @example
 * const monitoring = await startRunMonitoring({ store, loaded, owner, metricsPort: 9464 });
 * try { await runConnector({ loaded, store, owner, observer: monitoring.observer }); }
 * finally { await monitoring.close(); }
 */
export async function startRunMonitoring(o: RunMonitoringOptions): Promise<RunMonitoring> {
  const clock = o.clock ?? Date.now;
  const pushEveryMs = o.pushEveryMs ?? MONITOR_DEFAULTS.pushEveryMs;
  const spec = await integrationSpecOf(o.loaded).catch(() => undefined);
  const thresholds = thresholdsOf(o.loaded, spec);
  const metrics = new RunMetrics({ thresholds, owner: o.owner, startedAt: clock(), pushEveryMs });
  const key = metricsKey(thresholds.connector, o.owner);
  await carryOver(o.store, thresholds.connector, metrics, clock()).catch((error: unknown) => o.onPushError?.(error as Error));

  const refreshQueue = async () => {
    const [stats] = await o.store.stats(thresholds.connector);
    metrics.setQueue(stats, clock());
  };
  let pushing: Promise<void> = Promise.resolve();
  const push = (closed: boolean): Promise<void> => {
    pushing = pushing.then(async () => {
      try {
        await refreshQueue();
        const now = clock();
        await o.store.setState(key, metrics.snapshotAt(now, closed), now);
      } catch (error) {
        o.onPushError?.(error as Error);
      }
    });
    return pushing;
  };

  let server: MetricsServer | undefined;
  if (o.metricsPort !== undefined) {
    server = await serveMetrics({
      port: o.metricsPort,
      host: o.metricsHost ?? '127.0.0.1',
      contentType: metrics.registry.contentType,
      metrics: async () => {
        await refreshQueue().catch(() => undefined);
        return metrics.text();
      },
    });
  }
  await push(false);
  const timer = setInterval(() => void push(false), pushEveryMs);
  timer.unref();
  let closing: Promise<void> | undefined;
  return {
    observer: metrics.observer(),
    ...(server ? { url: server.url } : {}),
    close() {
      closing ??= (async () => {
        clearInterval(timer);
        await push(true);
        await server?.close();
      })();
      return closing;
    },
  };
}

/**
 * One snapshot per run would pile up in the store: the new run takes over what the older ones
 * knew that outlives them — last delivery, each source's last record — and the snapshots older
 * than any window (`recentMs`) are deleted. A dead run's snapshot stays until then, for
 * `ReconMetricsAbsent`.
 */
async function carryOver(store: Store, connector: string, metrics: RunMetrics, now: number): Promise<void> {
  const older = (await store.listState(`metrics:${connector}:`)).filter((e) => isSnapshot(e.value) && e.value.connector === connector);
  for (const entry of older) {
    const s = entry.value as MetricsSnapshot;
    metrics.inherit(s);
    if (s.updatedAt < now - MONITOR_DEFAULTS.recentMs) await store.deleteState(entry.key);
  }
}
