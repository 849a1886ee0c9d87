/**
 * Bug found by the fault matrix (issue 10): a create whose 2xx answer broke off mid-body — a
 * body trickling past the call deadline, or a Content-Length the vendor never filled — was
 * recorded done without the vendor's id, although `header` (re-send with the same key: the
 * vendor replays) and `lookup` can learn it. Now such an attempt's outcome is unknown.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from '../src/http/index.js';
import { classifyAttempt } from '../src/runtime/run/index.js';
import { openStore } from '../src/runtime/store/index.js';
import { startFaultProxy, type RunningFaultProxy } from '../src/sandbox/faults/index.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { runRecon } from './helpers/recon-cli.js';
import { connectorWorkspace, connectorYaml } from './helpers/runtime-workspace.js';

const policy = { retryStatuses: [408, 425, 429, 500, 502, 503, 504] };
const cut = (status: number, code: string): Exchange => ({
  startedAt: new Date(0),
  time: 1,
  request: { method: 'POST', url: 'http://x/', headers: [] },
  timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 },
  response: { status, statusText: '', httpVersion: 'HTTP/1.1', headers: [['content-length', '40']], body: Buffer.from('{"id":12'), bodySize: 8, truncated: true },
  failure: { code, message: 'x' },
});

describe('a 2xx answer cut off mid-body', () => {
  it.each([
    ['201, connection closed mid-body', cut(201, 'ECONNRESET'), { kind: 'unknown', errorClass: 'ECONNRESET', reason: 'the vendor answered 201, but the body was cut off (ECONNRESET: x)' }],
    ['200, call deadline mid-body', cut(200, 'RECON_TIMEOUT'), { kind: 'unknown', errorClass: 'RECON_TIMEOUT', reason: 'the vendor answered 200, but the body was cut off (timed out: x)' }],
    ['500 cut off: still a retry that may have applied', cut(500, 'ECONNRESET'), { kind: 'retry', mayHaveApplied: true }],
  ])('%s', (_name, given, want) => {
    expect(classifyAttempt(given, policy, new Date(0))).toMatchObject(want);
  });

  it('a whole 2xx body cut at the client cap (no failure) is still done', () => {
    const capped = { ...cut(201, 'x'), failure: undefined } as unknown as Exchange;
    delete (capped as { failure?: unknown }).failure;
    expect(classifyAttempt(capped, policy, new Date(0))).toMatchObject({ kind: 'done' });
  });
});

describe('end to end through the fault proxy: every done message carries its vendor id', () => {
  const SECRET = 'cut-answer-secret';
  let sandbox: RunningSandbox;
  let proxy: RunningFaultProxy;
  let dir: string;
  const settings = { rateLimit: { limit: 10000, windowSeconds: 1 }, concurrency: 4, timeoutMs: 300, retry: { maxAttempts: 50, baseDelayMs: 5, maxDelayMs: 20, maxElapsedMs: 600000 } };
  beforeAll(async () => {
    sandbox = await startSandbox({ faults: false, rateLimit: false, credentials: { clientSecret: SECRET } });
    // Half the creates answer at 1 byte/s or with half a body.
    proxy = await startFaultProxy({ target: sandbox.url, spec: 'slow=0.25,truncate=0.25,method=POST,path=/api/v1/*', seed: 3 });
    dir = await mkdtemp(join(tmpdir(), 'recon-cut-answer-'));
    await connectorWorkspace(dir, proxy.url, {
      'push-orders': connectorYaml('push-orders-header', { id: 'ref', quantity: '1', settings }),
      'push-invoices': connectorYaml('push-invoices-lookup', { id: 'ref', quantity: '1', settings }),
    });
    const records = (prefix: string) => Array.from({ length: 16 }, (_, i) => JSON.stringify({ ref: `${prefix}-${i + 1}`, customer: 10001 + (i % 7), product: 5001 + (i % 5) })).join('\n') + '\n';
    await writeFile(join(dir, 'orders.ndjson'), records('CUT-ORD'));
    await writeFile(join(dir, 'invoices.ndjson'), records('CUT-INV'));
  });
  afterAll(async () => {
    await proxy?.close();
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['push-orders', 'orders.ndjson', 'orders'],
    ['push-invoices', 'invoices.ndjson', 'invoices'],
  ] as const)('%s', async (name, input, resource) => {
    const before = sandbox.stats().creates[resource];
    const run = await runRecon(['run', `connectors/${name}.yaml`, '--input', input, '--json'], { cwd: dir, env: { ACME_CLIENT_SECRET: SECRET } });
    expect(run.code, run.stderr).toBe(0);
    expect(sandbox.stats().creates[resource] - before).toBe(16);
    const store = await openStore(`sqlite:${join(dir, '.recon', 'recon.db')}`);
    try {
      const done = await store.list(name, { state: 'done', limit: 100 });
      expect(done).toHaveLength(16);
      expect(done.filter((m) => m.vendorId === undefined)).toEqual([]);
      expect(new Set(done.map((m) => m.vendorId)).size).toBe(16);
    } finally {
      await store.close();
    }
    expect(proxy.stats().faults.slow + proxy.stats().faults.truncate).toBeGreaterThan(0);
  });
});
