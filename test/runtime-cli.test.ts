/**
 * `recon run`, `recon queue` and `recon audit` as a user runs them: the built bin/recon.js in its
 * own process, a workspace from `initWorkspace` pointed at the Acme sandbox, the default store.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorWorkspace } from './helpers/runtime-workspace.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { BIN, runRecon, type Run } from './helpers/recon-cli.js';

const SECRET = 'cli-canary-secret-41d9';
const env = { ACME_CLIENT_SECRET: SECRET };

const CONNECTOR = `name: push-orders
config: ../recon.yaml
operation: createOrder
messageId: /orderNo
rateLimit: { limit: 6000, windowSeconds: 60 }
request:
  body:
    customerId: \${/customer}
    items:
      - productId: \${/product}
        quantity: 1
idempotency: { strategy: header }
vendorId: /id
timeoutMs: 2000
retry: { baseDelayMs: 10, maxDelayMs: 20 }
`;

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
    const run = await runWithStdin(['run', 'connectors/push-orders.yaml', '--input', '-', '--format', 'ndjson'], input, dir);
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

/** The built CLI with `input` on its stdin. */
function runWithStdin(args: string[], input: string, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
