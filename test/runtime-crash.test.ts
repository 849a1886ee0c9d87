/**
 * The crash test (issue 7, "Done when"): `recon run` killed with SIGKILL at random points, again
 * and again, against a sandbox that fails at random (503, HTML 500, created-then-slow past the
 * timeout, created-then-connection-dropped) — and at the end the vendor holds exactly one
 * invoice and one order per input record, with both the `lookup` and the `header` strategy,
 * every message is done, and the audit chain verifies.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorWorkspace } from './helpers/runtime-workspace.js';
import { openStore } from '../src/runtime/store/index.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { BIN, runRecon } from './helpers/recon-cli.js';
import { CRASH_CONNECTORS, CRASH_SECRET, crashRecords, invoiceRefs, prng } from './helpers/crash.js';

const N = 1000;
const KILLS_PER_CONNECTOR = 6;
const SECRET = CRASH_SECRET;
const CONNECTORS = CRASH_CONNECTORS;

describe('crash test: SIGKILL at random points, nothing lost, nothing duplicated', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ faults: false, rateLimit: false, deliveryFaults: { rate: 0.2, slowMs: 600 }, credentials: { clientSecret: SECRET } });
    dir = await mkdtemp(join(tmpdir(), 'recon-crash-'));
    await connectorWorkspace(dir, sandbox.url, CONNECTORS);
    await writeFile(join(dir, 'push-invoices.ndjson'), crashRecords('CRASH-INV', N));
    await writeFile(join(dir, 'push-orders.ndjson'), crashRecords('CRASH-ORD', N));
  });
  afterAll(async () => {
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`holds exactly ${N} invoices (lookup) and ${N} orders (header) after ${2 * KILLS_PER_CONNECTOR} kills`, async () => {
    const random = prng(7);
    const env = { ACME_CLIENT_SECRET: SECRET };
    let kills = 0;
    for (let round = 0; round < KILLS_PER_CONNECTOR; round++) {
      for (const name of Object.keys(CONNECTORS)) {
        // Kill at a random point of delivery: after a random number of requests reached the vendor
        // (counted there, so a slow start-up on a busy machine does not move the kill points).
        const afterRequests = 1 + Math.floor(random() * 400);
        const exit = await runAndKill(['run', `connectors/${name}.yaml`, '--input', `${name}.ndjson`], { cwd: dir, env }, () => sandbox.requestCount(), afterRequests);
        if (exit.signal === 'SIGKILL') kills++;
      }
    }
    expect(kills).toBeGreaterThanOrEqual(10);
    // The kills hit mid-delivery: some messages done, some left leased by a killed run.
    const midway = await openStore(`sqlite:${join(dir, '.recon', 'recon.db')}`);
    try {
      const counts = (await midway.stats()).map((s) => s.counts);
      expect(counts.some((c) => c.done > 0 && c.done < N)).toBe(true);
      expect(counts.some((c) => c.leased > 0)).toBe(true);
    } finally {
      await midway.close();
    }

    for (const name of Object.keys(CONNECTORS)) {
      const run = await runRecon(['run', `connectors/${name}.yaml`, '--input', `${name}.ndjson`, '--json'], { cwd: dir, env });
      expect(run.stderr).not.toContain('error');
      expect(run.code).toBe(0);
    }

    const stats = sandbox.stats();
    expect(stats.deliveryFaults.dropped + stats.deliveryFaults.slow).toBeGreaterThan(10);
    expect(stats.creates.invoices).toBe(N);
    expect(stats.creates.orders).toBe(N);

    // Invoices: exactly one per externalRef at the vendor.
    const refs = await invoiceRefs(sandbox, 'CRASH-INV-');
    expect(refs.size).toBe(N);
    expect([...refs.values()].every((count) => count === 1)).toBe(true);

    const store = await openStore(`sqlite:${join(dir, '.recon', 'recon.db')}`);
    try {
      for (const name of Object.keys(CONNECTORS)) {
        const [s] = await store.stats(name);
        expect(s?.counts).toEqual({ queued: 0, leased: 0, done: N, dead: 0, parked: 0 });
        const done = await store.list(name, { state: 'done', limit: N });
        // Orders: every message done with its own order id at the vendor.
        expect(new Set(done.map((m) => m.vendorId)).size).toBe(N);
      }
      const lookups = await store.queryAudit({ connector: 'push-invoices', operation: 'listInvoices' });
      expect(lookups.some((r) => r.outcome === 'lookup-found')).toBe(true);
    } finally {
      await store.close();
    }

    const verify = await runRecon(['audit', 'verify'], { cwd: dir });
    expect(verify.stdout).toMatch(/audit log intact/);
    expect(verify.code).toBe(0);
  }, 120_000);
});

/** Spawn the built CLI and SIGKILL it once the vendor has seen `after` more requests (unless it ended first). */
function runAndKill(
  args: string[],
  options: { cwd: string; env: Record<string, string> },
  requests: () => number,
  after: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const start = requests();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const watch = setInterval(() => {
      if (requests() - start >= after) child.kill('SIGKILL');
    }, 2);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(watch);
      resolve({ code, signal });
    });
  });
}
