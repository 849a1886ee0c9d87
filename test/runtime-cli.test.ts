/**
 * `recon run`, `recon queue` and `recon audit` as a user runs them: the built bin/recon.js in its
 * own process, a workspace from `initWorkspace` pointed at the Acme sandbox, the default store.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorWorkspace, connectorYaml } from './helpers/runtime-workspace.js';
import { openStore } from '../src/runtime/store/index.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { BIN, runRecon } from './helpers/recon-cli.js';
import { printableStoreLocation, storeLocationFrom } from '../src/cli/store-flag.js';

const SECRET = 'cli-canary-secret-41d9';
const env = { ACME_CLIENT_SECRET: SECRET };

const CONNECTOR = connectorYaml('push-orders-header', {
  id: 'orderNo',
  quantity: '1',
  settings: { rateLimit: { limit: 6000, windowSeconds: 60 }, timeoutMs: 2000, retry: { baseDelayMs: 10, maxDelayMs: 20 } },
});

const line = (orderNo: string, customer = 10001) => JSON.stringify({ orderNo, customer, product: 5001 });

describe('recon run, queue and audit (built CLI)', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ faults: false, rateLimit: false, credentials: { clientSecret: SECRET } });
    dir = await mkdtemp(join(tmpdir(), 'recon-cli-run-'));
    await connectorWorkspace(dir, sandbox.url, { 'push-orders': CONNECTOR });
    await writeFile(join(dir, 'orders.ndjson'), Array.from({ length: 20 }, (_, i) => line(`SO-${i + 1}`)).join('\n') + '\n');
  });
  afterAll(async () => {
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the input, then finds nothing new in it; the store is .recon/recon.db beside recon.yaml', async () => {
    const first = await runRecon(['run', 'connectors/push-orders.yaml', '--input', 'orders.ndjson'], { cwd: dir, env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/push-orders: 20 done, 0 dead, 0 parked/);
    expect(first.stdout).toMatch(/input: 20 queued, 0 already known/);
    const again = await runRecon(['run', 'push-orders.yaml', '--input', '../orders.ndjson', '--json'], { cwd: join(dir, 'connectors'), env });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ enqueued: 0, duplicates: 20, done: 0, calls: 0, queue: { done: 20 } });
  });

  it('reads stdin, reports a bad line by number (exit 2), and exits 1 for a dead message unless --fail-on never', async () => {
    const input = [line('SO-100'), '{not json', line('SO-101', 99999)].join('\n') + '\n';
    const run = await runRecon(['run', 'connectors/push-orders.yaml', '--input', '-', '--format', 'ndjson'], { cwd: dir, env, stdin: input });
    expect(run.stderr).toMatch(/\(stdin\):2: /);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/1 done, 1 dead/);
    expect(run.stdout).toMatch(/recon queue list --connector push-orders --state dead/);

    const dead = await runRecon(['run', 'connectors/push-orders.yaml'], { cwd: dir, env });
    expect(dead.code).toBe(1);
    const never = await runRecon(['run', 'connectors/push-orders.yaml', '--fail-on', 'never'], { cwd: dir, env });
    expect(never.code).toBe(0);
  });

  it('queue status, list, inspect, retry and cancel', async () => {
    const status = await runRecon(['queue', 'status', '--json'], { cwd: dir });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject([{ connector: 'push-orders', counts: { done: 21, dead: 1, queued: 0 } }]);
    const table = await runRecon(['queue', 'status'], { cwd: dir });
    expect(table.stdout).toMatch(/^connector\s+queued\s+leased\s+done\s+dead\s+parked/);

    const list = await runRecon(['queue', 'list', '--connector', 'push-orders', '--state', 'dead'], { cwd: dir });
    expect(list.stdout).toMatch(/SO-101\s+dead\s+1 .*no such customer/);

    const inspect = await runRecon(['queue', 'inspect', 'SO-101', '--connector', 'push-orders'], { cwd: dir });
    expect(inspect.stdout).toMatch(/push-orders SO-101: dead, 1 attempt/);
    expect(inspect.stdout).toMatch(/attempt 1 POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/orders → 400 dead/);

    const retry = await runRecon(['queue', 'retry', '--connector', 'push-orders', '--dead'], { cwd: dir });
    expect(retry.stdout).toMatch(/^1 message queued again/);
    const cancel = await runRecon(['queue', 'cancel', 'SO-101', '--connector', 'push-orders'], { cwd: dir });
    expect(cancel.code).toBe(0);
    const cancelAgain = await runRecon(['queue', 'cancel', 'SO-101', '--connector', 'push-orders'], { cwd: dir });
    expect(cancelAgain).toMatchObject({ code: 2, stderr: expect.stringMatching(/SO-101 is dead, not queued/) });
    const noConnector = await runRecon(['queue', 'list'], { cwd: dir });
    expect(noConnector).toMatchObject({ code: 2, stderr: expect.stringMatching(/--connector NAME/) });
  });

  it('audit query (table, csv, json), export, prune, and verify that fails on an edited row', async () => {
    const csv = await runRecon(['audit', 'query', '--message', 'SO-101', '--format', 'csv'], { cwd: dir });
    expect(csv.stdout.split('\n')[0]).toBe('seq,at,connector,messageId,attempt,operation,method,url,status,durationMs,outcome,errorClass,idempotencyKey');
    expect(csv.stdout).toMatch(/,SO-101,1,createOrder,POST,http:\/\/[^,]+,400,\d+,dead,http-400,[0-9a-f]{32}/);
    const json = await runRecon(['audit', 'query', '--status', '201', '--since', '2020-01-01', '--json'], { cwd: dir });
    const records = JSON.parse(json.stdout) as { status: number; requestHeaders: [string, string][] }[];
    expect(records).toHaveLength(21);
    expect(JSON.stringify(records)).not.toContain(SECRET);
    const table = await runRecon(['audit', 'query', '--connector', 'push-orders', '--limit', '3'], { cwd: dir });
    expect(table.stdout.trim().split('\n')).toHaveLength(4);

    const exported = await runRecon(['audit', 'export'], { cwd: dir });
    const lines = exported.stdout.trim().split('\n').map((l) => JSON.parse(l) as { hash: string });
    expect(lines.length).toBeGreaterThanOrEqual(22);
    expect(lines.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);

    expect(await runRecon(['audit', 'verify'], { cwd: dir })).toMatchObject({ code: 0, stdout: expect.stringMatching(/audit log intact: \d+ records/) });
    const pruned = await runRecon(['audit', 'prune', '--before', '2000-01-01'], { cwd: dir });
    expect(pruned).toMatchObject({ code: 0, stdout: expect.stringMatching(/^0 records before 2000-01-01 deleted/) });

    const db = new Database(join(dir, '.recon', 'recon.db'));
    db.prepare("UPDATE recon_audit SET content = replace(content, 'SO-5', 'SO-6') WHERE message_id = 'SO-5'").run();
    db.close();
    const broken = await runRecon(['audit', 'verify'], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/audit log broken at record #\d+/);
  });

  it('exit 3 when the store cannot be opened, and when the vendor cannot be reached at all', async () => {
    const store = await runRecon(['run', 'connectors/push-orders.yaml', '--store', `sqlite:${join(dir, 'orders.ndjson', 'x.db')}`], { cwd: dir, env });
    expect(store.code).toBe(3);
    expect(store.stderr).not.toMatch(/\n\s+at /);

    const down = await mkdtemp(join(tmpdir(), 'recon-cli-down-'));
    try {
      await connectorWorkspace(down, 'http://127.0.0.1:9', { 'push-orders': CONNECTOR });
      await writeFile(join(down, 'orders.ndjson'), line('SO-1') + '\n');
      const run = await runRecon(['run', 'connectors/push-orders.yaml', '--input', 'orders.ndjson'], { cwd: down, env });
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/token request to http:\/\/127\.0\.0\.1:9\/oauth\/token failed: ECONNREFUSED/);
      const status = await runRecon(['queue', 'status', '--json'], { cwd: down });
      expect(JSON.parse(status.stdout)).toMatchObject([{ counts: { queued: 1, leased: 0 } }]);
    } finally {
      await rm(down, { recursive: true, force: true });
    }
  });

  it('exit 2 for a connector that names an unknown operation', async () => {
    await writeFile(join(dir, 'connectors', 'bad.yaml'), CONNECTOR.replace('createOrder', 'createOrdr'));
    const run = await runRecon(['run', 'connectors/bad.yaml'], { cwd: dir, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/createOrdr/);
  });

  it('Ctrl-C: stops leasing, lets the calls in flight finish, exits 130; the rest stays queued', async () => {
    const slow = await startSandbox({ faults: false, rateLimit: false, latencyMs: 100, credentials: { clientSecret: SECRET } });
    const work = await mkdtemp(join(tmpdir(), 'recon-cli-int-'));
    try {
      await connectorWorkspace(work, slow.url, { 'push-orders': CONNECTOR });
      await writeFile(join(work, 'orders.ndjson'), Array.from({ length: 200 }, (_, i) => line(`SO-${i + 1}`)).join('\n') + '\n');
      const child = spawn(process.execPath, [BIN, 'run', 'connectors/push-orders.yaml', '--input', 'orders.ndjson'], {
        cwd: work,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // Interrupt once delivery is under way.
        if (/\d+\/200 done/.test(stderr) && child.exitCode === null && !child.killed) child.kill('SIGINT');
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(130);
      expect(stderr).toMatch(/stopping: no new calls/);
      const status = await runRecon(['queue', 'status', '--json'], { cwd: work });
      const [counts] = (JSON.parse(status.stdout) as { counts: Record<string, number> }[]).map((s) => s.counts);
      expect(counts).toMatchObject({ leased: 0, dead: 0 });
      expect(counts!.done).toBeGreaterThan(0);
      expect(counts!.queued).toBeGreaterThan(0);
      expect(counts!.done + counts!.queued).toBe(200);
      expect(slow.stats().creates.orders).toBe(counts!.done);
    } finally {
      await slow.close();
      await rm(work, { recursive: true, force: true });
    }
  });

  it('--help shows examples', async () => {
    for (const command of [['run'], ['queue'], ['audit']]) {
      const help = await runRecon([...command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Examples:/);
    }
  });
});

describe('recon run --worker, RECON_STORE and the workers in queue status (built CLI)', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ faults: false, rateLimit: false, latencyMs: 20, credentials: { clientSecret: SECRET } });
    dir = await mkdtemp(join(tmpdir(), 'recon-cli-worker-'));
    await connectorWorkspace(dir, sandbox.url, { 'push-orders': CONNECTOR });
    await writeFile(join(dir, 'orders.ndjson'), Array.from({ length: 30 }, (_, i) => line(`SO-${i + 1}`)).join('\n') + '\n');
    await writeFile(join(dir, 'more.ndjson'), Array.from({ length: 150 }, (_, i) => line(`SO-${i + 1001}`)).join('\n') + '\n');
  });
  afterAll(async () => {
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** `recon run … --worker` in its own process; `waitFor` resolves when stderr matches. */
  function startWorker(args: string[], extraEnv: Record<string, string> = {}) {
    const child = spawn(process.execPath, [BIN, 'run', 'connectors/push-orders.yaml', '--worker', ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const waiters: { pattern: RegExp; resolve: () => void }[] = [];
    const check = () => {
      for (const w of waiters.splice(0)) (w.pattern.test(stderr) ? w.resolve : () => waiters.push(w))();
    };
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      check();
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    return {
      child,
      closed,
      output: () => ({ stdout, stderr }),
      waitFor: (pattern: RegExp) =>
        new Promise<void>((resolve, reject) => {
          waiters.push({ pattern, resolve });
          check();
          void closed.then(() => reject(new Error(`exited before ${pattern}: ${stderr}`)));
        }),
    };
  }

  it('stays up on an empty queue (one "idle" line), shows in queue status, and exits 0 on SIGTERM leaving nothing leased', async () => {
    const worker = startWorker(['--input', 'orders.ndjson', '--store', 'sqlite:.recon/worker.db']);
    await worker.waitFor(/idle: queue empty, waiting for messages/);
    expect(worker.output().stderr).toMatch(new RegExp(`worker \\S+:${worker.child.pid}:\\w+: delivering push-orders from sqlite:\\.recon/worker\\.db until SIGTERM`));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(worker.child.exitCode).toBeNull();
    expect(worker.output().stderr.match(/idle: queue empty/g)).toHaveLength(1);

    const status = await runRecon(['queue', 'status', '--store', 'sqlite:.recon/worker.db'], { cwd: dir });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^worker\s+connector\s+mode\s+state\s+host:pid\s+last heartbeat\s+leases\s+in flight$/m);
    expect(status.stdout).toMatch(new RegExp(`:${worker.child.pid}:\\w+\\s+push-orders\\s+worker\\s+running\\s+\\S+:${worker.child.pid}\\s+\\d+s ago\\s+0\\s+0`));
    const json = await runRecon(['queue', 'status', '--json', '--store', 'sqlite:.recon/worker.db'], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject([{ connector: 'push-orders', counts: { done: 30 }, workers: [{ mode: 'worker', state: 'running', pid: worker.child.pid, leases: 0, stale: false }] }]);

    worker.child.kill('SIGTERM');
    expect(await worker.closed).toBe(0);
    expect(worker.output().stderr).toMatch(/stopping \(SIGTERM\)/);
    expect(worker.output().stdout).toMatch(/push-orders: 30 done/);
    const after = await runRecon(['queue', 'status', '--json', '--store', 'sqlite:.recon/worker.db'], { cwd: dir });
    expect(JSON.parse(after.stdout)).toMatchObject([{ counts: { done: 30, leased: 0, queued: 0 }, workers: [] }]);
    const text = await runRecon(['queue', 'status', '--store', 'sqlite:.recon/worker.db'], { cwd: dir });
    expect(text.stdout).not.toMatch(/^worker\s/m);
  });

  it('SIGTERM in the middle of delivery: the calls in flight finish, unsent leases go back, exit 0', async () => {
    const worker = startWorker(['--input', 'more.ndjson', '--store', 'sqlite:.recon/busy.db']);
    await worker.waitFor(/\d+\/150 done/);
    worker.child.kill('SIGTERM');
    expect(await worker.closed).toBe(0);
    const status = await runRecon(['queue', 'status', '--json', '--store', 'sqlite:.recon/busy.db'], { cwd: dir });
    const [row] = JSON.parse(status.stdout) as { counts: Record<string, number>; workers: unknown[] }[];
    expect(row!.counts).toMatchObject({ leased: 0, dead: 0 });
    expect(row!.counts.done! + row!.counts.queued!).toBe(150);
    expect(row!.counts.queued).toBeGreaterThan(0);
    expect(row!.workers).toEqual([]);
  });

  it('RECON_STORE names the store when --store is not given; --store still wins', async () => {
    const elsewhere = join(dir, 'elsewhere', 'shared.db');
    const run = await runRecon(['run', 'connectors/push-orders.yaml', '--input', 'orders.ndjson'], { cwd: dir, env: { ...env, RECON_STORE: `sqlite:${elsewhere}` } });
    expect(run.code).toBe(0);
    expect(existsSync(elsewhere)).toBe(true);
    expect(existsSync(join(dir, '.recon', 'recon.db'))).toBe(false);
    const status = await runRecon(['queue', 'status', '--json'], { cwd: dir, env: { RECON_STORE: `sqlite:${elsewhere}` } });
    expect(JSON.parse(status.stdout)).toMatchObject([{ connector: 'push-orders', counts: { done: 30 } }]);
    const audit = await runRecon(['audit', 'verify'], { cwd: dir, env: { RECON_STORE: `sqlite:${elsewhere}` } });
    expect(audit).toMatchObject({ code: 0, stdout: expect.stringMatching(/audit log intact: 30 records/) });
    const flagWins = await runRecon(['queue', 'status', '--json', '--store', 'sqlite:.recon/worker.db'], { cwd: dir, env: { RECON_STORE: `sqlite:${elsewhere}` } });
    expect(JSON.parse(flagWins.stdout)).toMatchObject([{ counts: { done: 30 } }]);
    const unknown = await runRecon(['queue', 'status'], { cwd: dir, env: { RECON_STORE: 'mysql://recon:hunter2-secret@127.0.0.1:9/recon' } });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/mysql:\/\//);
    expect(unknown.stdout + unknown.stderr).not.toContain('hunter2-secret');
  });

  it('queue status marks a worker whose heartbeat is older than its lease as stale', async () => {
    const file = join(dir, '.recon', 'stale.db');
    const store = await openStore(`sqlite:${file}`);
    const then = Date.now() - 120_000;
    await store.enqueue('push-orders', [{ id: 'SO-1', payload: {}, idempotencyKey: 'k1' }, { id: 'SO-2', payload: {}, idempotencyKey: 'k2' }], then);
    await store.lease('push-orders', 'gone:1:abc', 2, 60_000, then);
    await store.heartbeat({ owner: 'gone:1:abc', connector: 'push-orders', host: 'gone', pid: 1, startedAt: then, state: 'running', inFlight: 2, mode: 'worker' }, 60_000, then);
    await store.heartbeat({ owner: 'alive:2:def', connector: 'push-orders', host: 'alive', pid: 2, startedAt: then, state: 'stopping', inFlight: 0, mode: 'run' }, 60_000, Date.now());
    await store.close();
    const status = await runRecon(['queue', 'status', '--store', `sqlite:${file}`], { cwd: dir });
    expect(status.stdout).toMatch(/^alive:2:def\s+push-orders\s+run\s+stopping\s+alive:2\s+\d+s ago\s+0\s+0$/m);
    expect(status.stdout).toMatch(/^gone:1:abc\s+push-orders\s+worker\s+stale \(lease will run out\)\s+gone:1\s+2m ago\s+2\s+2$/m);
  });

  it('storeLocationFrom: the flag, else RECON_STORE (not blank), else the fallback; printable locations hide passwords', async () => {
    const fallback = () => 'sqlite:/srv/.recon/recon.db';
    expect(await storeLocationFrom('sqlite:q.db', { RECON_STORE: 'sqlite:env.db' }, fallback)).toBe('sqlite:q.db');
    expect(await storeLocationFrom(undefined, { RECON_STORE: ' postgres://recon@db/recon?schema=recon ' }, fallback)).toBe('postgres://recon@db/recon?schema=recon');
    expect(await storeLocationFrom(undefined, { RECON_STORE: '  ' }, fallback)).toBe('sqlite:/srv/.recon/recon.db');
    expect(await storeLocationFrom(undefined, {}, async () => 'found')).toBe('found');
    expect(await storeLocationFrom(undefined, {}, 'given')).toBe('given');
    expect(printableStoreLocation('postgres://recon:s3cret@db:5432/recon?schema=recon')).toBe('postgres://recon:***@db:5432/recon?schema=recon');
    expect(printableStoreLocation('postgresql://db/recon?user=recon&password=s3cret&sslmode=require')).toBe('postgresql://db/recon?user=recon&password=***&sslmode=require');
    expect(printableStoreLocation('postgres://u:p@ss@db/recon')).toBe('postgres://u:***@db/recon');
    expect(printableStoreLocation('postgres://recon@db/recon')).toBe('postgres://recon@db/recon');
    expect(printableStoreLocation('sqlite:/srv/a:b@c.db')).toBe('sqlite:/srv/a:b@c.db');
  });

  it('--metrics-port serves /metrics while a worker runs, and says where on stderr', async () => {
    const worker = startWorker(['--store', 'sqlite:.recon/metrics.db', '--metrics-port', '0']);
    await worker.waitFor(/idle: queue empty/);
    const url = /metrics: (http:\/\/\S+)/.exec(worker.output().stderr)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await fetch(url!);
    expect(res.status).toBe(200);
    await res.text();
    worker.child.kill('SIGTERM');
    expect(await worker.closed).toBe(0);
  });
});
