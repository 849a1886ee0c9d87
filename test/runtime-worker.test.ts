/**
 * Workers and heartbeats (issue 8): a run's heartbeat keeps a long call's lease from being handed
 * to another worker; a worker that stops beating loses its leases when they run out and another
 * delivers them; two `--worker` runs on one SQLite file share a queue exactly once and stay up
 * while it is empty; `workers()` shows who is delivering. Real SQLite files, a real vendor (the
 * sandbox, or a plain server where a test needs one slow answer).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authNone, connectorWorkspace, connectorYaml } from './helpers/runtime-workspace.js';
import { loadConnector, type LoadedConnector } from '../src/runtime/connector/index.js';
import { enqueueInput, runConnector, type RunSummary } from '../src/runtime/run/index.js';
import { openStore, type Store } from '../src/runtime/store/index.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';

const SECRET = 'worker-test-client-secret';
const env = { ACME_CLIENT_SECRET: SECRET };
const dirs: string[] = [];
const stores: Store[] = [];
const servers: Server[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const ordersConnector = (extra = ''): string =>
  connectorYaml('push-orders-header', { id: 'orderNo', settings: { rateLimit: { limit: 600000, windowSeconds: 60 }, concurrency: 8, timeoutMs: 5000 }, extra });

const orders = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ orderNo: `SO-${from + i}`, customer: 10001 + (i % 5), product: 5001 + (i % 3), qty: 1 + (i % 4) }));

async function* items(records: unknown[]): AsyncGenerator<{ line: number; record?: unknown }> {
  let line = 0;
  for (const record of records) yield { line: ++line, record };
}

/** A workspace on `origin` with the orders connector, loaded; `noAuth` for a plain server. */
async function setUp(origin: string, noAuth: boolean, extra = ''): Promise<{ dir: string; loaded: LoadedConnector; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'recon-worker-'));
  dirs.push(dir);
  await connectorWorkspace(dir, origin, { 'push-orders': ordersConnector(extra) }, noAuth ? authNone : undefined);
  const loaded = await loadConnector(join(dir, 'connectors', 'push-orders.yaml'), { env });
  return { dir, loaded, file: join(dir, '.recon', 'recon.db') };
}

async function storeAt(file: string): Promise<Store> {
  const store = await openStore(`sqlite:${file}`);
  stores.push(store);
  return store;
}

async function enqueue(store: Store, records: unknown[]): Promise<void> {
  await enqueueInput({ store, connector: 'push-orders', input: items(records), idOf: (r) => (r as { orderNo: string }).orderNo, now: Date.now });
}

/** A vendor that answers every create 201 after `delayMs`, counting creates per Idempotency-Key. */
async function slowVendor(delayMs: number): Promise<{ origin: string; creates: Map<string, number>; received: () => number }> {
  const creates = new Map<string, number>();
  let received = 0;
  const server = createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      const key = String(req.headers['idempotency-key']);
      creates.set(key, (creates.get(key) ?? 0) + 1);
      setTimeout(() => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: received })), delayMs);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, creates, received: () => received };
}

const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> => {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('heartbeats', () => {
  it('keep a call that outlasts the lease from being handed to another worker: the vendor sees one create', async () => {
    const vendor = await slowVendor(1_500);
    const { loaded, file } = await setUp(vendor.origin, true);
    const store = await storeAt(file);
    const other = await storeAt(file);
    await enqueue(store, orders(1));

    const leaseMs = 600;
    const leasedAt = Date.now();
    const first = runConnector({ loaded, store, leaseMs, heartbeatMs: 100, owner: 'first' });
    await until(() => vendor.received() === 1);
    // Meanwhile a second worker on the same file looks for work, and a bare lease() tries too.
    const stop = new AbortController();
    const second = runConnector({ loaded, store: other, leaseMs, heartbeatMs: 100, owner: 'second', worker: true, signal: stop.signal });
    const probes: number[] = [];
    while (vendor.received() === 1 && (await other.get('push-orders', 'SO-1'))?.state === 'leased') {
      probes.push((await other.lease('push-orders', 'prober', 10, leaseMs, Date.now())).length);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const summary = await first;
    stop.abort();
    const idle = await second;

    expect(Date.now() - leasedAt).toBeGreaterThan(2 * leaseMs);
    expect(probes.length).toBeGreaterThan(5);
    expect(probes.every((n) => n === 0)).toBe(true);
    expect(summary).toMatchObject({ done: 1, retried: 0, worker: false, owner: 'first', heartbeatFailures: 0 });
    expect(idle).toMatchObject({ done: 0, calls: 0, worker: true, stopped: true });
    expect(vendor.received()).toBe(1);
    expect([...vendor.creates.values()]).toEqual([1]);
    expect(await store.get('push-orders', 'SO-1')).toMatchObject({ state: 'done', attempts: 1 });
    expect(await store.workers()).toEqual([]);
  });

  it('a worker that stopped beating loses its leases when they run out, and another delivers them once', async () => {
    const vendor = await slowVendor(0);
    const { loaded, file } = await setUp(vendor.origin, true);
    const store = await storeAt(file);
    const dead = await storeAt(file);
    await enqueue(store, orders(5));
    // A process that leased five, beat once and was killed (SIGKILL: no goodbye, no give-back).
    const leaseMs = 500;
    const killedAt = Date.now();
    await dead.lease('push-orders', 'killed', 5, leaseMs, killedAt);
    await dead.heartbeat({ owner: 'killed', connector: 'push-orders', host: 'h', pid: 1, startedAt: killedAt, state: 'running', inFlight: 5, mode: 'worker' }, leaseMs, killedAt);
    await dead.close();

    const stop = new AbortController();
    const survivor = runConnector({ loaded, store, leaseMs, heartbeatMs: 100, pollMs: 20, idlePollMs: 50, owner: 'survivor', worker: true, signal: stop.signal });
    await until(async () => (await store.stats('push-orders'))[0]?.counts.done === 5);
    const deliveredAt = Date.now();
    stop.abort();
    const summary = await survivor;

    expect(deliveredAt - killedAt).toBeGreaterThanOrEqual(leaseMs);
    expect(summary).toMatchObject({ done: 5, worker: true, stopped: true });
    expect([...vendor.creates.values()]).toEqual([1, 1, 1, 1, 1]);
    for (const record of await store.queryAudit({ connector: 'push-orders' })) expect(Date.parse(record.at)).toBeGreaterThanOrEqual(killedAt + leaseMs);
    expect((await store.list('push-orders')).map((m) => m.attempts)).toEqual([2, 2, 2, 2, 2]);
    // The killed one still shows (it never said goodbye), holding nothing, its heartbeat ageing.
    const [ghost] = await store.workers();
    expect(ghost).toMatchObject({ owner: 'killed', leases: 0 });
    expect(ghost!.heartbeatAgeMs).toBeGreaterThanOrEqual(leaseMs);
    expect(await store.workers('push-orders', { staleAfterMs: leaseMs })).toEqual([]);
  });

  it('a heartbeat that fails is counted and tried again; the run still delivers', async () => {
    const vendor = await slowVendor(300);
    const { loaded, file } = await setUp(vendor.origin, true);
    const store = await storeAt(file);
    await enqueue(store, orders(3));
    let beats = 0;
    const flaky = new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'heartbeat') {
          return (...args: Parameters<Store['heartbeat']>) => (++beats % 2 === 0 ? Promise.reject(new Error('store briefly unavailable')) : target.heartbeat(...args));
        }
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const summary = await runConnector({ loaded, store: flaky, leaseMs: 2_000, heartbeatMs: 50 });
    expect(summary.done).toBe(3);
    expect(summary.heartbeatFailures).toBeGreaterThan(0);
    expect(beats).toBeGreaterThan(2);
    expect([...vendor.creates.values()]).toEqual([1, 1, 1]);
  });
});

describe('two workers on one SQLite file', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ faults: false, rateLimit: false, credentials: { clientSecret: SECRET } });
  });
  afterAll(() => sandbox.close());

  it('deliver 300 messages exactly once between them, stay up on an empty queue, show in workers() until they stop', async () => {
    const { loaded, file } = await setUp(sandbox.url, false);
    const watcher = await storeAt(file);
    await enqueue(watcher, orders(300));
    const before = sandbox.stats().creates.orders;
    const stop = new AbortController();
    const idles: string[] = [];
    const a = await storeAt(file);
    const b = await storeAt(file);
    const runs: Promise<RunSummary>[] = [
      runConnector({ loaded, store: a, owner: 'worker-a', worker: true, signal: stop.signal, pollMs: 20, idlePollMs: 100, onIdle: (idle) => idles.push(`worker-a:${idle}`) }),
      runConnector({ loaded, store: b, owner: 'worker-b', worker: true, signal: stop.signal, pollMs: 20, idlePollMs: 100, onIdle: (idle) => idles.push(`worker-b:${idle}`) }),
    ];
    let settled = 0;
    for (const run of runs) void run.finally(() => settled++);

    await until(async () => (await watcher.workers('push-orders')).length === 2);
    await until(async () => (await watcher.stats('push-orders'))[0]?.counts.done === 300, 30_000);
    await until(() => idles.length === 2);
    // The queue is empty: a worker stays up (a one-off run would have returned by now).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(0);
    const running = await watcher.workers('push-orders');
    expect(running.map((w) => [w.owner, w.mode, w.state, w.leases, w.inFlight])).toEqual([
      ['worker-a', 'worker', 'running', 0, 0],
      ['worker-b', 'worker', 'running', 0, 0],
    ]);
    expect(running.every((w) => w.pid === process.pid && w.heartbeatAgeMs < 10_000)).toBe(true);
    expect(idles.sort()).toEqual(['worker-a:true', 'worker-b:true']);

    // More work arrives while they idle: picked up without a restart.
    await enqueue(watcher, orders(10, 1001));
    await until(async () => (await watcher.stats('push-orders'))[0]?.counts.done === 310);

    stop.abort();
    const [sa, sb] = await Promise.all(runs);
    expect(sa!.done + sb!.done).toBe(310);
    expect(sa!.done).toBeGreaterThan(0);
    expect(sb!.done).toBeGreaterThan(0);
    expect(sa).toMatchObject({ worker: true, stopped: true, owner: 'worker-a', dead: 0, parked: 0 });
    expect(sandbox.stats().creates.orders - before).toBe(310);
    // Exactly once: one create call per message in the audit log, whichever worker sent it.
    const audit = await watcher.queryAudit({ connector: 'push-orders' });
    expect(audit).toHaveLength(310);
    expect(new Set(audit.map((r) => r.messageId)).size).toBe(310);
    expect(await watcher.workers()).toEqual([]);
    expect((await watcher.stats('push-orders'))[0]?.counts).toMatchObject({ done: 310, leased: 0, queued: 0 });
  });
});
