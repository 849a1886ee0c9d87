/**
 * What "unusual" means for one connector, from what the review measured: the latency baseline
 * (the probe's p95 per operation), the sending rate (the measured limit the throttle keeps to),
 * a pull source's expected interval (`every`) and the batch deadline. `recon monitor rules` writes
 * these into Prometheus rules; every run carries them in its snapshot so that `recon monitor
 * check` applies the same ones without the connector files.
 */
import { dirname, resolve } from 'node:path';
import { parseDuration } from '../limits/index.js';
import { readIntegrationSpec, type IntegrationSpec } from '../report/integration-spec/index.js';
import type { LoadedConnector } from '../runtime/connector/index.js';
import { MONITOR_DEFAULTS } from './defaults.js';

export interface OperationThreshold {
  /** The `operation` label of the metrics: operationId, else `METHOD /path`. */
  label: string;
  /** `METHOD /path`: how the integration spec names it. */
  route: string;
  /** The review's p95, when it measured this operation. */
  baselineP95Ms?: number;
  /** Where the baseline came from (`measured 2026-12-04T22:22:24Z, 40 samples`). */
  baselineFrom?: string;
}

export interface ConnectorThresholds {
  connector: string;
  kind: 'push' | 'pull';
  operations: OperationThreshold[];
  /** The measured limit the throttle keeps to, per second. */
  sendingPerSecond: number;
  /** Queued messages per second of growth above which the queue grows too fast. */
  queueGrowthPerSecond: number;
  /** A message waiting longer than this is too old. */
  oldestAgeSeconds: number;
  errorRatio: number;
  latencyFactor: number;
  minCalls: number;
  minLatencySamples: number;
  /** Pull connectors: the source (the list operation's label) and how often it should yield records. */
  source?: { name: string; everySeconds: number; silentAfterSeconds: number };
  /** The batch plan's deadline (integration spec `batch.deadline.at`), epoch seconds. */
  deadline?: { at: string; epochSeconds: number };
}

/** The integration spec a connector names (`integrationSpec:`), resolved beside its file. */
export function integrationSpecPathOf(loaded: LoadedConnector): string | undefined {
  const { definition } = loaded;
  return definition.integrationSpec === undefined ? undefined : resolve(dirname(definition.file ?? '.'), definition.integrationSpec);
}

/** Read the connector's own integration spec, if it names one. */
export async function integrationSpecOf(loaded: LoadedConnector): Promise<IntegrationSpec | undefined> {
  const path = integrationSpecPathOf(loaded);
  return path === undefined ? undefined : readIntegrationSpec(path);
}

/**
 * @example
 * thresholdsOf(loaded, spec)
 * // { connector: 'push-orders', sendingPerSecond: 1, queueGrowthPerSecond: 0.1,
 * //   operations: [{ label: 'createOrder', route: 'POST /orders', baselineP95Ms: 48 }], … }
 */
export function thresholdsOf(loaded: LoadedConnector, spec: IntegrationSpec | undefined): ConnectorThresholds {
  const { definition } = loaded;
  const sendingPerSecond = loaded.rateLimit.limit / loaded.rateLimit.windowSeconds;
  const operations = [loaded.operation, ...(loaded.lookupOperation ? [loaded.lookupOperation] : [])].map((op) => {
    const route = `${op.method.toUpperCase()} ${op.path}`;
    const measured = spec?.latency.find((l) => sameOperation(l.operation, route, op.operationId));
    return {
      label: op.operationId ?? route,
      route,
      ...(measured ? { baselineP95Ms: measured.p95Ms, baselineFrom: `${measured.source} ${measured.at}, ${measured.samples} samples` } : {}),
    };
  });
  const batchSeconds = spec?.batch?.sendingSeconds ?? 0;
  const deadlineAt = spec?.batch?.deadline?.at;
  const everySeconds = everyOf(definition.pull?.every);
  return {
    connector: definition.name,
    kind: definition.kind === 'pull' ? 'pull' : 'push',
    operations,
    sendingPerSecond,
    queueGrowthPerSecond: round(sendingPerSecond * MONITOR_DEFAULTS.growthFraction),
    // A message still waiting once its retries would have given up means delivery has stopped;
    // a planned batch may legitimately keep the last message waiting for its whole sending time.
    oldestAgeSeconds: Math.max(definition.retry.maxElapsedMs / 1000, batchSeconds),
    errorRatio: MONITOR_DEFAULTS.errorRatio,
    latencyFactor: MONITOR_DEFAULTS.latencyFactor,
    minCalls: MONITOR_DEFAULTS.minCalls,
    minLatencySamples: MONITOR_DEFAULTS.minLatencySamples,
    ...(definition.kind === 'pull'
      ? { source: { name: operations[0]!.label, everySeconds: everySeconds ?? 0, silentAfterSeconds: (everySeconds ?? 0) * MONITOR_DEFAULTS.silentAfterIntervals } }
      : {}),
    ...(deadlineAt !== undefined && definition.kind !== 'pull' ? { deadline: { at: deadlineAt, epochSeconds: Date.parse(deadlineAt) / 1000 } } : {}),
  };
}

/** The spec names operations `METHOD /path` (normalised) or by operationId. */
function sameOperation(named: string, route: string, operationId: string | undefined): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').replace(/^([a-z]+)/i, (m) => m.toUpperCase());
  return norm(named) === norm(route) || (operationId !== undefined && named === operationId);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** A pull's `every` in seconds; one that does not parse (the run refuses it anyway) means none. */
function everyOf(every: string | undefined): number | undefined {
  if (every === undefined) return undefined;
  try {
    return parseDuration(every, 'every');
  } catch {
    return undefined;
  }
}
