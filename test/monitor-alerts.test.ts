/**
 * Done when: connectors run against the Acme sandbox and each condition is provoked for real —
 * the sandbox stops answering (the queue grows, calls fail), becomes slow (latency above the
 * review's p95), a pull source goes silent past its interval — and the built `recon monitor
 * check` fires exactly the right alerts with their evidence, resolves them after recovery, and a
 * loopback webhook receives each firing and each resolution once.
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorWorkspace, withAuth } from './helpers/runtime-workspace.js';
import { runRecon } from './helpers/recon-cli.js';
import { loadConnector } from '../src/runtime/connector/index.js';
import { runConnector } from '../src/runtime/run/index.js';
import { runPull } from '../src/runtime/pull/index.js';
import { openStore } from '../src/runtime/store/index.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { startRunMonitoring, type AlertMessage } from '../src/monitor/index.js';

const SECRET = 'monitor-alerts-secret';
const API_KEY = 'monitor-alerts-api-key';
// An API key rather than OAuth: a run that starts while the vendor is down then makes its calls
// (each failing) instead of stopping at the token request.
const env = { ACME_API_KEY: API_KEY };
const API_KEY_AUTH = '{ type: apiKey, in: header, name: X-Api-Key, value: "${env:ACME_API_KEY}" }';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'monitor');
const WINDOW = 5;
let dir: string;
let sandbox: RunningSandbox;
let port: number;
let webhook: Server;
let hookUrl: string;
const received: AlertMessage[] = [];

const sandboxAt = (latencyMs = 0) => startSandbox({ port, faults: false, rateLimit: false, latencyMs, credentials: { clientSecret: SECRET, apiKey: API_KEY } });

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, faults: false, rateLimit: false, credentials: { clientSecret: SECRET, apiKey: API_KEY } });
  port = sandbox.port;
  dir = await mkdtemp(join(tmpdir(), 'recon-monitor-alerts-'));
  await connectorWorkspace(dir, sandbox.url, {
    'push-orders': await readFile(join(FIXTURES, 'push-orders.yaml'), 'utf8'),
    'pull-customers': await readFile(join(FIXTURES, 'pull-customers.yaml'), 'utf8'),
  }, withAuth(API_KEY_AUTH));
  await copyFile(join(FIXTURES, 'integration-spec.yaml'), join(dir, 'integration-spec.yaml'));
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as AlertMessage);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hooks/T000/B000/secret-token`;
});
afterAll(async () => {
  await sandbox.close();
  webhook.close();
  await rm(dir, { recursive: true, force: true });
});

let orderNo = 1;
async function* orders(n: number): AsyncGenerator<{ line: number; record: unknown }> {
  for (let i = 0; i < n; i++) yield { line: i + 1, record: { orderNo: `SO-${orderNo++}`, customer: 10001 + (i % 5), product: 5001 + (i % 3), qty: 1 } };
}

/** One `recon run` as the CLI does it: monitoring started, the run, monitoring closed. */
async function run(connector: 'push-orders' | 'pull-customers', n = 0): Promise<void> {
  const loaded = await loadConnector(join(dir, 'connectors', `${connector}.yaml`), { env });
  const store = await openStore(`sqlite:${join(dir, '.recon', 'recon.db')}`);
  const owner = `test:${connector}:${Math.random().toString(36).slice(2)}`;
  const monitoring = await startRunMonitoring({ store, loaded, owner });
  try {
    if (connector === 'pull-customers') await runPull({ loaded, store, observer: monitoring.observer });
    else await runConnector({ loaded, store, owner, ...(n > 0 ? { input: orders(n) } : {}), observer: monitoring.observer, unreachableAfter: 6 });
  } finally {
    await monitoring.close();
    await store.close();
  }
}

interface CheckJson {
  firing: { name: string; connector: string; labels: Record<string, string>; evidence: string[]; runbook: string; new: boolean }[];
  resolved: { name: string; connector: string }[];
  notes: string[];
}

async function check(): Promise<{ code: number | null; json: CheckJson; stderr: string }> {
  const r = await runRecon(['monitor', 'check', '--notify', hookUrl, '--window', String(WINDOW), '--json'], { cwd: dir });
  expect(r.stderr).not.toContain('secret-token');
  return { code: r.code, json: JSON.parse(r.stdout) as CheckJson, stderr: r.stderr };
}

const names = (j: CheckJson) => j.firing.map((a) => `${a.name} ${a.connector}${a.labels.operation ? ` ${a.labels.operation}` : ''}${a.labels.source ? ` ${a.labels.source}` : ''}`).sort();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hooks = () => received.map((m) => `${m.status} ${m.alert.name}`).sort();

describe('recon monitor check against the sandbox', () => {
  it('fires exactly the right alerts with evidence, resolves them, and notifies each once', async () => {
    // Healthy: nothing fires, nobody is told anything.
    await run('push-orders', 10);
    let c = await check();
    expect(c.code, c.stderr + JSON.stringify(c.json, null, 1)).toBe(0);
    expect(c.json.firing).toEqual([]);

    // The sandbox stops answering: the queue grows and every call fails.
    await sandbox.close();
    await run('push-orders', 30);
    await run('push-orders', 30);
    c = await check();
    expect(c.code).toBe(1);
    expect(names(c.json)).toEqual(['ReconErrorRateHigh push-orders', 'ReconQueueGrowingFast push-orders']);
    const errors = c.json.firing.find((a) => a.name === 'ReconErrorRateHigh')!;
    expect(errors.evidence.join('\n')).toMatch(/\d+ of \d+ calls in the last 5 s failed/);
    expect(errors.evidence.join('\n')).toContain('network ECONNREFUSED');
    expect(errors.runbook).toMatch(/^check first: /);
    expect(c.json.firing.find((a) => a.name === 'ReconQueueGrowingFast')!.evidence[0]).toMatch(/queued \d+ → 60 in/);
    expect(hooks()).toEqual(['firing ReconErrorRateHigh', 'firing ReconQueueGrowingFast']);
    expect(received[0]!.text).toMatch(/FIRING Recon/);

    // Still down at the next check: still firing, nobody told twice.
    c = await check();
    expect(c.code).toBe(1);
    expect(c.json.firing.every((a) => !a.new)).toBe(true);
    expect(received).toHaveLength(2);

    // Back up: the queue drains, the failures leave the window, both resolve once.
    sandbox = await sandboxAt();
    await run('push-orders');
    await sleep(WINDOW * 1000 + 200);
    c = await check();
    expect(c.code, JSON.stringify(c.json)).toBe(0);
    expect(c.json.resolved.map((r) => r.name).sort()).toEqual(['ReconErrorRateHigh', 'ReconQueueGrowingFast']);
    expect(hooks()).toEqual(['firing ReconErrorRateHigh', 'firing ReconQueueGrowingFast', 'resolved ReconErrorRateHigh', 'resolved ReconQueueGrowingFast']);

    // Slow: every answer takes 1.2 s against a baseline p95 of 400 ms.
    await sandbox.close();
    sandbox = await sandboxAt(1200);
    await run('push-orders', 8);
    c = await check();
    expect(c.code).toBe(1);
    expect(names(c.json)).toEqual(['ReconLatencyAboveBaseline push-orders createOrder']);
    expect(c.json.firing[0]!.evidence.join('\n')).toMatch(/p95 1\d\d\d(\.\d+)? ms over \d+ answered POST \/orders calls[\s\S]*baseline p95 400 ms/);

    // Fast again.
    await sandbox.close();
    sandbox = await sandboxAt();
    await sleep(WINDOW * 1000 + 200);
    await run('push-orders', 10);
    c = await check();
    expect(c.code, JSON.stringify(c.json)).toBe(0);
    expect(c.json.resolved.map((r) => r.name)).toEqual(['ReconLatencyAboveBaseline']);

    // A pull source that yields every two seconds goes silent: nothing new for over four seconds.
    await run('pull-customers');
    c = await check();
    expect(c.json.firing).toEqual([]);
    await sleep(4300);
    await run('pull-customers');
    c = await check();
    expect(c.code).toBe(1);
    expect(names(c.json)).toEqual(['ReconUpstreamSilent pull-customers listCustomers']);
    expect(c.json.firing[0]!.evidence.join('\n')).toMatch(/last record from listCustomers received .*, \d+(\.\d+)? s ago[\s\S]*expected every 2 s/);

    // A new customer at the vendor, pulled: the source speaks again.
    await createCustomer();
    await run('pull-customers');
    c = await check();
    expect(c.code, JSON.stringify(c.json)).toBe(0);
    expect(c.json.resolved.map((r) => r.name)).toEqual(['ReconUpstreamSilent']);

    // Each alert reached the webhook once firing and once resolved.
    expect(hooks()).toEqual([
      'firing ReconErrorRateHigh',
      'firing ReconLatencyAboveBaseline',
      'firing ReconQueueGrowingFast',
      'firing ReconUpstreamSilent',
      'resolved ReconErrorRateHigh',
      'resolved ReconLatencyAboveBaseline',
      'resolved ReconQueueGrowingFast',
      'resolved ReconUpstreamSilent',
    ]);
  }, 60_000);
});

async function createCustomer(): Promise<void> {
  const created = await fetch(`${sandbox.url}/api/v1/customers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify({ name: 'Nordlys AS', organizationNumber: '987654321', email: 'post@nordlys.no', address: { street: 'Storgata 1', postalCode: '0155', city: 'Oslo' } }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
}
