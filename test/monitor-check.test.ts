/**
 * The alert conditions as a table (each firing and not firing, clock jumps), then `checkAlerts`
 * on a real SQLite store: notifications once per alert until resolved, a webhook that is down or
 * never answers, a notify command fed on stdin, a run that died; and the CLI's errors and
 * `recon status`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN, runRecon } from './helpers/recon-cli.js';
import { openStore, type QueueStats, type Store } from '../src/runtime/store/index.js';
import {
  checkAlerts,
  commandTarget,
  emptySnapshot,
  evaluateConnector,
  metricsKey,
  statusReport,
  webhookTarget,
  type ConnectorThresholds,
  type MetricsSnapshot,
  type RecentCall,
} from '../src/monitor/index.js';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const THRESHOLDS: ConnectorThresholds = {
  connector: 'push-orders',
  kind: 'push',
  operations: [{ label: 'createOrder', route: 'POST /orders', baselineP95Ms: 50, baselineFrom: 'measured' }],
  sendingPerSecond: 10,
  queueGrowthPerSecond: 1,
  oldestAgeSeconds: 600,
  errorRatio: 0.25,
  latencyFactor: 2,
  minCalls: 5,
  minLatencySamples: 5,
};

function snapshot(over: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return { ...emptySnapshot({ thresholds: THRESHOLDS, owner: 'host:1:a', startedAt: NOW - 60_000, pushEveryMs: 10_000 }), updatedAt: NOW - 1_000, closed: true, ...over };
}

const calls = (n: number, over: Partial<RecentCall> = {}): RecentCall[] =>
  Array.from({ length: n }, (_, i) => ({ at: NOW - 10_000 + i, operation: 'createOrder', purpose: 'create' as const, outcome: '2xx' as const, status: 201, ms: 10, ...over }));
const stats = (queued: number, oldestAgoMs?: number): QueueStats => ({
  connector: 'push-orders',
  counts: { queued, leased: 0, done: 0, dead: 0, parked: 0 },
  ...(oldestAgoMs === undefined ? {} : { oldestPending: NOW - oldestAgoMs }),
});
const PULL: ConnectorThresholds = { ...THRESHOLDS, connector: 'pull-customers', kind: 'pull', operations: [{ label: 'listCustomers', route: 'GET /customers' }], source: { name: 'listCustomers', everySeconds: 3600, silentAfterSeconds: 7200 } };

describe('evaluateConnector', () => {
  const cases: [string, { snapshots: MetricsSnapshot[]; stats?: QueueStats; connector?: string }, { firing: string[]; notes?: RegExp }][] = [
    ['healthy', { snapshots: [snapshot({ recentCalls: calls(20) })], stats: stats(0) }, { firing: [] }],
    ['queue grows 2/s with nothing delivered', { snapshots: [snapshot({ queue: [{ at: NOW - 20_000, queued: 0, leased: 0 }, { at: NOW - 1000, queued: 40, leased: 0 }] })], stats: stats(40, 20_000) }, { firing: ['ReconQueueGrowingFast'] }],
    ['queue grows 2/s but 3/s are delivered (a batch)', { snapshots: [snapshot({ queue: [{ at: NOW - 20_000, queued: 0, leased: 0 }, { at: NOW - 1000, queued: 40, leased: 0 }], recentCalls: calls(900) })], stats: stats(40, 20_000) }, { firing: [] }],
    ['queue grows 0.5/s: under 10% of the limit', { snapshots: [snapshot({ queue: [{ at: NOW - 20_000, queued: 0, leased: 0 }, { at: NOW - 0, queued: 10, leased: 0 }] })], stats: stats(10, 20_000) }, { firing: [] }],
    ['oldest waited 11 minutes', { snapshots: [snapshot()], stats: stats(3, 660_000) }, { firing: ['ReconOldestMessageTooOld'] }],
    ['oldest waited 9 minutes', { snapshots: [snapshot()], stats: stats(3, 540_000) }, { firing: [] }],
    ['oldest from the future: a clock jump', { snapshots: [snapshot()], stats: stats(3, -3_600_000) }, { firing: [], notes: /clock jump/ }],
    ['oldest from 1970: a broken clock', { snapshots: [snapshot()], stats: stats(3, NOW) }, { firing: [], notes: /clock jump/ }],
    ['half the calls fail', { snapshots: [snapshot({ recentCalls: [...calls(10), ...calls(10, { outcome: '5xx', status: 503 })] })] }, { firing: ['ReconErrorRateHigh'] }],
    ['one in ten fails', { snapshots: [snapshot({ recentCalls: [...calls(18), ...calls(2, { outcome: '4xx', status: 422 })] })] }, { firing: [] }],
    ['429s are throttling, not errors', { snapshots: [snapshot({ recentCalls: [...calls(5), ...calls(15, { outcome: '429', status: 429 })] })] }, { firing: [] }],
    ['four failures are too few to say', { snapshots: [snapshot({ recentCalls: calls(4, { outcome: 'network', failure: 'ECONNREFUSED' }) })] }, { firing: [] }],
    ['failures outside the window', { snapshots: [snapshot({ recentCalls: calls(20, { outcome: 'network', at: NOW - 600_000 }) })] }, { firing: [] }],
    ['failures from the future: left out', { snapshots: [snapshot({ recentCalls: calls(20, { outcome: 'network', at: NOW + 3_600_000 }) })] }, { firing: [], notes: /in the future/ }],
    ['p95 120 ms against a 50 ms baseline', { snapshots: [snapshot({ recentCalls: calls(20, { ms: 120 }) })] }, { firing: ['ReconLatencyAboveBaseline'] }],
    ['p95 90 ms: under twice the baseline', { snapshots: [snapshot({ recentCalls: calls(20, { ms: 90 }) })] }, { firing: [] }],
    ['pull: last record 3 hours ago, expected hourly', { connector: 'pull-customers', snapshots: [snapshot({ connector: 'pull-customers', kind: 'pull', thresholds: PULL, sources: { listCustomers: { records: 5, lastReceivedAt: NOW - 3 * 3_600_000, lastPulledAt: NOW } } })] }, { firing: ['ReconUpstreamSilent'] }],
    ['pull: last record 1 hour ago', { connector: 'pull-customers', snapshots: [snapshot({ connector: 'pull-customers', kind: 'pull', thresholds: PULL, sources: { listCustomers: { records: 5, lastReceivedAt: NOW - 3_600_000, lastPulledAt: NOW } } })] }, { firing: [] }],
    ['pull: last record in the future', { connector: 'pull-customers', snapshots: [snapshot({ connector: 'pull-customers', kind: 'pull', thresholds: PULL, sources: { listCustomers: { records: 5, lastReceivedAt: NOW + 86_400_000, lastPulledAt: NOW } } })] }, { firing: [], notes: /clock jump/ }],
    ['a run that stopped pushing without closing', { snapshots: [snapshot({ closed: false, updatedAt: NOW - 60_000 })] }, { firing: ['ReconMetricsAbsent'] }],
    ['a run that pushed 20 s ago', { snapshots: [snapshot({ closed: false, updatedAt: NOW - 20_000 })] }, { firing: [] }],
    ['a newer closed run supersedes a dead one', { snapshots: [snapshot({ updatedAt: NOW - 5000 }), snapshot({ closed: false, updatedAt: NOW - 600_000, owner: 'dead' })] }, { firing: [] }],
    ['batch: 9000 waiting at 10/s, deadline in 10 minutes', { snapshots: [snapshot({ thresholds: { ...THRESHOLDS, deadline: { at: new Date(NOW + 600_000).toISOString(), epochSeconds: (NOW + 600_000) / 1000 } } })], stats: stats(9000, 1000) }, { firing: ['ReconBatchWillMissDeadline'] }],
    ['batch: 5000 waiting at 10/s, deadline in 10 minutes', { snapshots: [snapshot({ thresholds: { ...THRESHOLDS, deadline: { at: new Date(NOW + 600_000).toISOString(), epochSeconds: (NOW + 600_000) / 1000 } } })], stats: stats(5000, 1000) }, { firing: [] }],
  ];
  it.each(cases)('%s', (_name, given, want) => {
    const result = evaluateConnector({ connector: given.connector ?? 'push-orders', now: NOW, windowSeconds: 300, snapshots: given.snapshots, ...(given.stats ? { stats: given.stats } : {}), checkSamples: [] });
    expect(result.firing.map((a) => a.name)).toEqual(want.firing);
    for (const a of result.firing) expect(a.evidence.length).toBeGreaterThan(0);
    if (want.notes) expect(result.notes.join('\n')).toMatch(want.notes);
  });
});

async function tempStore(): Promise<{ store: Store; location: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'recon-monitor-check-'));
  dirs.push(dir);
  const location = `sqlite:${join(dir, 'recon.db')}`;
  const store = await openStore(location);
  stores.push(store);
  return { store, location, dir };
}

async function listen(handler: (body: string, res: import('node:http').ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => handler(body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

describe('checkAlerts on a store', () => {
  const failing = () => snapshot({ updatedAt: NOW, recentCalls: calls(10, { outcome: 'network', failure: 'ECONNREFUSED' }) });

  it('notifies once per alert until it resolves, then once more; a webhook that was down is told at the next check', async () => {
    const { store } = await tempStore();
    const bodies: { status: string; text: string; alert: { name: string; evidence: string[] } }[] = [];
    let up = false;
    const hook = await listen((body, res) => {
      if (!up) return void res.writeHead(503).end();
      bodies.push(JSON.parse(body) as (typeof bodies)[number]);
      res.writeHead(200).end();
    });
    const target = webhookTarget(hook.url, 1000);
    try {
      await store.setState(metricsKey('push-orders', 'a'), failing(), NOW);
      let r = await checkAlerts({ store, now: NOW, targets: [target] });
      expect(r.firing.map((a) => a.name)).toEqual(['ReconErrorRateHigh']);
      expect(r.notifications).toEqual([{ alert: 'ReconErrorRateHigh:push-orders', status: 'firing', target: 'webhook', ok: false, error: 'the webhook answered 503' }]);
      up = true;
      r = await checkAlerts({ store, now: NOW + 1000, targets: [target] });
      expect(r.notifications.map((n) => n.ok)).toEqual([true]);
      r = await checkAlerts({ store, now: NOW + 2000, targets: [target] });
      expect(r.notifications).toEqual([]);
      expect(bodies.map((b) => b.status)).toEqual(['firing']);
      expect(bodies[0]!.text).toMatch(/^:red_circle: FIRING ReconErrorRateHigh \(critical\): push-orders: many calls/);
      expect(bodies[0]!.alert.evidence[0]).toMatch(/10 of 10 calls/);

      await store.setState(metricsKey('push-orders', 'a'), snapshot({ updatedAt: NOW + 3000, recentCalls: calls(10, { at: NOW + 2500 }) }), NOW);
      r = await checkAlerts({ store, now: NOW + 3000, targets: [target] });
      expect(r.firing).toEqual([]);
      expect(r.resolved.map((x) => x.name)).toEqual(['ReconErrorRateHigh']);
      await checkAlerts({ store, now: NOW + 4000, targets: [target] });
      expect(bodies.map((b) => b.status)).toEqual(['firing', 'resolved']);
    } finally {
      hook.server.close();
    }
  });

  it('two checks at once (overlapping cron jobs, two stores on one file) notify once', async () => {
    const { store, location } = await tempStore();
    const other = await openStore(location);
    stores.push(other);
    const bodies: string[] = [];
    // A slow webhook: the second check runs while the first is still sending.
    const hook = await listen((body, res) => {
      bodies.push(body);
      setTimeout(() => res.writeHead(200).end(), 200);
    });
    const target = webhookTarget(hook.url, 2000);
    try {
      await store.setState(metricsKey('push-orders', 'a'), failing(), NOW);
      const [a, b] = await Promise.all([checkAlerts({ store, now: NOW, targets: [target] }), checkAlerts({ store: other, now: NOW, targets: [target] })]);
      expect(a.firing.map((x) => x.name)).toEqual(['ReconErrorRateHigh']);
      expect(b.firing.map((x) => x.name)).toEqual(['ReconErrorRateHigh']);
      expect([...a.notifications, ...b.notifications].map((n) => n.ok)).toEqual([true]);
      expect(bodies).toHaveLength(1);
      // Delivered: later checks stay quiet.
      const later = await checkAlerts({ store: other, now: NOW + 1000, targets: [target] });
      expect(later.notifications).toEqual([]);
      expect(bodies).toHaveLength(1);
    } finally {
      hook.server.close();
    }
  });

  it('a webhook that never answers costs the timeout, not the check', async () => {
    const { store } = await tempStore();
    const hook = await listen(() => undefined);
    try {
      await store.setState(metricsKey('push-orders', 'a'), failing(), NOW);
      const started = Date.now();
      const r = await checkAlerts({ store, now: NOW, targets: [webhookTarget(hook.url, 300)] });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(r.firing).toHaveLength(1);
      expect(r.notifications[0]).toMatchObject({ ok: false, error: 'timed out' });
    } finally {
      hook.server.closeAllConnections();
      hook.server.close();
    }
  });

  it('a notify command gets the alert JSON on stdin, not in its argv', async () => {
    const { store, dir } = await tempStore();
    const out = join(dir, 'alert.json');
    await store.setState(metricsKey('push-orders', 'a'), failing(), NOW);
    const r = await checkAlerts({ store, now: NOW, targets: [commandTarget(`cat > '${out}'`, 5000, process.env)] });
    expect(r.notifications).toEqual([{ alert: 'ReconErrorRateHigh:push-orders', status: 'firing', target: 'command', ok: true }]);
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ status: 'firing', alert: { name: 'ReconErrorRateHigh', connector: 'push-orders', severity: 'critical' } });
    const failed = await checkAlerts({ store, now: NOW, targets: [commandTarget('exit 7', 5000, process.env)] });
    expect(failed.notifications[0]).toMatchObject({ ok: false, error: 'the notify command exited 7' });
  });

  it('status reads without writing: states, rates and alerts per connector', async () => {
    const { store } = await tempStore();
    await store.enqueue('push-orders', [{ id: 'A', payload: {}, idempotencyKey: 'k' }], NOW - 5000);
    await store.setState(metricsKey('push-orders', 'a'), snapshot({ closed: false, updatedAt: Date.now(), recentCalls: calls(10, { at: Date.now() - 1000, ms: 20 }), lastSuccessAt: Date.now() - 1000 }), NOW);
    const report = await statusReport({ store, now: Date.now() });
    expect(report.connectors).toHaveLength(1);
    expect(report.connectors[0]).toMatchObject({ connector: 'push-orders', state: 'running', queue: { queued: 1 }, calls: 10, errorRate: 0, latency: [{ operation: 'createOrder', p95Ms: 20, baselineP95Ms: 50 }] });
    expect(await store.getState('monitor:alerts')).toBeUndefined();
  });
});

describe('on PostgreSQL', () => {
  it('the same check and status through the Store interface', async () => {
    const base = process.env.RECON_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const schema = `recon_monitor_${Math.random().toString(36).slice(2, 10)}`;
    const store = await openStore(`${base}${base.includes('?') ? '&' : '?'}schema=${schema}`);
    try {
      expect(store.engine).toBe('postgres');
      await store.setState(metricsKey('push-orders', 'a'), snapshot({ updatedAt: NOW, recentCalls: calls(10, { outcome: '5xx', status: 503 }) }), NOW);
      const r = await checkAlerts({ store, now: NOW });
      expect(r.firing.map((a) => a.name)).toEqual(['ReconErrorRateHigh']);
      expect(await store.getState('monitor:alerts')).toMatchObject({ alerts: { 'ReconErrorRateHigh:push-orders': { status: 'firing', since: NOW } } });
      const again = await checkAlerts({ store, now: NOW + 1000 });
      expect(again.firing[0]).toMatchObject({ new: false, since: new Date(NOW).toISOString() });
      expect((await statusReport({ store, now: NOW })).connectors[0]).toMatchObject({ connector: 'push-orders', state: 'failing' });
    } finally {
      await store.close();
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});

describe('the CLI', () => {
  it('monitor check and status without a store: exit 3, "run a connector first"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recon-monitor-none-'));
    dirs.push(dir);
    for (const args of [['monitor', 'check'], ['status']]) {
      const r = await runRecon(args, { cwd: dir });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`no store at ${join(dir, '.recon', 'recon.db')}: run a connector first`);
    }
  });

  it('bad flags: exit 2', async () => {
    for (const args of [['monitor', 'check', '--notify', 'ftp://x'], ['monitor', 'check', '--window', 'x'], ['status', '--watch', '0']]) {
      const r = await runRecon(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
    }
  });

  it('monitor check prints the evidence and exits 1; status shows the connector failing', async () => {
    const { store, location } = await tempStore();
    await store.setState(metricsKey('push-orders', 'a'), snapshot({ updatedAt: Date.now(), recentCalls: calls(10, { at: Date.now() - 500, outcome: 'network', failure: 'ECONNREFUSED' }) }), Date.now());
    await store.close();
    stores.length = 0;
    const r = await runRecon(['monitor', 'check', '--store', location]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('FIRING ReconErrorRateHigh critical push-orders: many calls to the vendor fail');
    expect(r.stdout).toContain('evidence: 10 of 10 calls in the last 300 s failed (100%, alert above 25%)');
    expect(r.stdout).toContain('evidence: by cause: network ECONNREFUSED ×10');
    expect(r.stdout).toContain('runbook: check first:');
    const s = await runRecon(['status', '--store', location]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/push-orders\s+failing/);
    expect(s.stdout).toContain('!! ReconErrorRateHigh');
    const j = await runRecon(['status', '--store', location, '--json']);
    expect(JSON.parse(j.stdout)).toMatchObject({ connectors: [{ connector: 'push-orders', state: 'failing', alerts: [{ name: 'ReconErrorRateHigh' }] }] });
  });

  it('status --watch redraws until Ctrl-C, then exits 0', async () => {
    const { store, location } = await tempStore();
    await store.setState(metricsKey('push-orders', 'a'), snapshot({ updatedAt: Date.now() }), Date.now());
    await store.close();
    stores.length = 0;
    const child = spawn(process.execPath, [BIN, 'status', '--store', location, '--watch', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
      const poll = setInterval(() => {
        if ((stdout.match(/^recon status at/gm) ?? []).length >= 2) {
          clearInterval(poll);
          resolve();
        }
      }, 50);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/push-orders\s+idle/);
  }, 15_000);
});
