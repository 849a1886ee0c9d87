/**
 * The metrics of a real run: a push and a pull connector against the Acme sandbox with
 * `startRunMonitoring` serving `/metrics` on port 0, scraped and parsed; the snapshot pushed to a
 * SQLite store; a port in use; a store that refuses pushes while the run delivers.
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorWorkspace } from './helpers/runtime-workspace.js';
import { loadConnector } from '../src/runtime/connector/index.js';
import { runConnector } from '../src/runtime/run/index.js';
import { runPull } from '../src/runtime/pull/index.js';
import { openStore, type Store } from '../src/runtime/store/index.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { METRIC_NAMES, isSnapshot, metricsKey, startRunMonitoring, MonitorFailure } from '../src/monitor/index.js';

const SECRET = 'monitor-metrics-secret';
const env = { ACME_CLIENT_SECRET: SECRET };
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'monitor');
let sandbox: RunningSandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, faults: false, rateLimit: false, credentials: { clientSecret: SECRET } });
  dir = await mkdtemp(join(tmpdir(), 'recon-monitor-metrics-'));
  await connectorWorkspace(dir, sandbox.url, {
    'push-orders': await readFile(join(FIXTURES, 'push-orders.yaml'), 'utf8'),
    'pull-customers': await readFile(join(FIXTURES, 'pull-customers.yaml'), 'utf8'),
  });
  await copyFile(join(FIXTURES, 'integration-spec.yaml'), join(dir, 'integration-spec.yaml'));
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

async function* orders(n: number, from = 1): AsyncGenerator<{ line: number; record: unknown }> {
  for (let i = 0; i < n; i++) yield { line: i + 1, record: { orderNo: `SO-${from + i}`, customer: 10001 + (i % 5), product: 5001 + (i % 3), qty: 1 } };
}

/** The Prometheus text format, as samples: name, labels, value; and the TYPE of each family. */
function parseExposition(text: string): { types: Map<string, string>; samples: { name: string; labels: Record<string, string>; value: number }[] } {
  const types = new Map<string, string>();
  const samples = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    expect(m, `a sample line: ${line}`).not.toBeNull();
    const labels: Record<string, string> = {};
    for (const [, k, v] of m![2]?.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g) ?? []) labels[k!] = v!;
    samples.push({ name: m![1]!, labels, value: Number(m![3]) });
  }
  return { types, samples };
}

async function storeIn(): Promise<Store> {
  return openStore(`sqlite:${join(dir, '.recon', 'recon.db')}`);
}

describe('startRunMonitoring', () => {
  it('serves /metrics with the names, types and labels of a push run, and pushes the snapshot', async () => {
    const loaded = await loadConnector(join(dir, 'connectors', 'push-orders.yaml'), { env });
    const store = await storeIn();
    const monitoring = await startRunMonitoring({ store, loaded, owner: 'test:1', metricsPort: 0 });
    try {
      expect(monitoring.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const summary = await runConnector({ loaded, store, owner: 'test:1', input: orders(12), observer: monitoring.observer });
      expect(summary.done).toBe(12);
      const response = await fetch(monitoring.url!);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const { types, samples } = parseExposition(await response.text());
      expect(await (await fetch(monitoring.url!.replace('/metrics', '/other'))).status).toBe(404);

      for (const name of METRIC_NAMES) if (!name.startsWith('recon_pull') && !name.startsWith('recon_queue_oldest') && !name.startsWith('recon_rate_limit')) expect(types.has(name), name).toBe(true);
      expect(Object.fromEntries([...types].filter(([n]) => n.startsWith('recon_')))).toMatchObject({
        recon_queue_messages: 'gauge',
        recon_messages_enqueued_total: 'counter',
        recon_messages_settled_total: 'counter',
        recon_calls_total: 'counter',
        recon_call_duration_seconds: 'histogram',
        recon_retries_total: 'counter',
        recon_throttle_wait_seconds_total: 'counter',
        recon_last_success_timestamp_seconds: 'gauge',
        recon_run_start_timestamp_seconds: 'gauge',
      });
      // Counters end in _total, nothing is an age: every *_seconds gauge is a timestamp.
      for (const [name, type] of types) if (type === 'counter') expect(name).toMatch(/_total$/);
      const value = (name: string, labels: Record<string, string> = {}) =>
        samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);
      expect(value('recon_messages_enqueued_total', { connector: 'push-orders' })).toBe(12);
      expect(value('recon_messages_settled_total', { connector: 'push-orders', state: 'done' })).toBe(12);
      expect(value('recon_calls_total', { connector: 'push-orders', operation: 'createOrder', outcome: '2xx' })).toBe(12);
      expect(value('recon_call_duration_seconds_count', { connector: 'push-orders', operation: 'createOrder' })).toBe(12);
      expect(samples.some((s) => s.name === 'recon_call_duration_seconds_bucket' && s.labels.le === '+Inf')).toBe(true);
      expect(value('recon_queue_messages', { connector: 'push-orders', state: 'done' })).toBe(12);
      expect(value('recon_queue_messages', { connector: 'push-orders', state: 'queued' })).toBe(0);
      const lastSuccess = value('recon_last_success_timestamp_seconds', { connector: 'push-orders' });
      expect(Math.abs(lastSuccess - Date.now() / 1000)).toBeLessThan(60);
      expect(samples.some((s) => s.name === 'recon_queue_oldest_message_timestamp_seconds')).toBe(false);
    } finally {
      await monitoring.close();
    }
    await expect(fetch(monitoring.url!)).rejects.toThrow();
    const snapshot = await store.getState(metricsKey('push-orders', 'test:1'));
    expect(isSnapshot(snapshot)).toBe(true);
    expect(snapshot).toMatchObject({
      connector: 'push-orders',
      owner: 'test:1',
      kind: 'push',
      closed: true,
      enqueued: 12,
      settled: { done: 12 },
      calls: { createOrder: { '2xx': 12 } },
      thresholds: { sendingPerSecond: 100, operations: [{ label: 'createOrder', route: 'POST /orders', baselineP95Ms: 400 }], deadline: { at: '2099-01-01T01:00:00.000Z' } },
    });
    await store.close();
  });

  it('a pull run reports records received per source as a timestamp', async () => {
    const loaded = await loadConnector(join(dir, 'connectors', 'pull-customers.yaml'), { env });
    const store = await storeIn();
    const monitoring = await startRunMonitoring({ store, loaded, owner: 'test:pull', metricsPort: 0 });
    try {
      const summary = await runPull({ loaded, store, observer: monitoring.observer });
      expect(summary.records).toBe(50);
      const { types, samples } = parseExposition(await (await fetch(monitoring.url!)).text());
      expect(types.get('recon_pull_last_received_timestamp_seconds')).toBe('gauge');
      expect(samples.find((s) => s.name === 'recon_pull_records_received_total')).toMatchObject({ labels: { connector: 'pull-customers', source: 'listCustomers' }, value: 50 });
      const at = samples.find((s) => s.name === 'recon_pull_last_received_timestamp_seconds');
      expect(at?.labels).toEqual({ connector: 'pull-customers', source: 'listCustomers' });
      expect(Math.abs(at!.value - Date.now() / 1000)).toBeLessThan(60);
    } finally {
      await monitoring.close();
    }
    // The next run finds nothing new: its metrics still say when the last record came, and a
    // snapshot older than any window is deleted.
    const first = (await store.getState(metricsKey('pull-customers', 'test:pull'))) as { sources: { listCustomers: { lastReceivedAt: number } } };
    await store.setState(metricsKey('pull-customers', 'ancient'), { ...first, owner: 'ancient', updatedAt: Date.now() - 86_400_000 }, Date.now());
    const next = await startRunMonitoring({ store, loaded, owner: 'test:pull2', metricsPort: 0 });
    try {
      expect((await runPull({ loaded, store, observer: next.observer })).records).toBe(0);
      const { samples } = parseExposition(await (await fetch(next.url!)).text());
      expect(samples.find((s) => s.name === 'recon_pull_last_received_timestamp_seconds')?.value).toBe(first.sources.listCustomers.lastReceivedAt / 1000);
    } finally {
      await next.close();
    }
    expect(await store.getState(metricsKey('pull-customers', 'ancient'))).toBeUndefined();
    expect(await store.getState(metricsKey('pull-customers', 'test:pull'))).toBeDefined();
    await store.close();
  });

  it('a metrics port in use is a clear error naming it (exit 3)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const loaded = await loadConnector(join(dir, 'connectors', 'push-orders.yaml'), { env });
    const store = await storeIn();
    try {
      const error = await startRunMonitoring({ store, loaded, owner: 'test:2', metricsPort: port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MonitorFailure);
      expect(error).toMatchObject({ code: 'RECON_METRICS_PORT_IN_USE', exitCode: 3 });
      expect((error as Error).message).toContain(`--metrics-port ${port}`);
    } finally {
      blocker.close();
      await store.close();
    }
  });

  it('a store that refuses every push never disturbs delivery', async () => {
    const loaded = await loadConnector(join(dir, 'connectors', 'push-orders.yaml'), { env });
    const real = await storeIn();
    const failing = new Proxy(real, {
      get: (target, key, receiver) => (key === 'setState' ? () => Promise.reject(new Error('disk full')) : Reflect.get(target, key, receiver)),
    });
    const errors: string[] = [];
    const monitoring = await startRunMonitoring({ store: failing, loaded, owner: 'test:3', pushEveryMs: 5, onPushError: (e) => errors.push(e.message) });
    try {
      const summary = await runConnector({ loaded, store: real, owner: 'test:3', input: orders(8, 100), observer: monitoring.observer });
      expect(summary.done).toBe(8);
    } finally {
      await monitoring.close();
      await real.close();
    }
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toBe('disk full');
  });
});
