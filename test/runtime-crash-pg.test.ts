/**
 * The crash test on PostgreSQL (issue 8, "Done when"): four `recon run --worker` processes per
 * connector against one database, killed with SIGKILL and restarted at random, against a
 * sandbox that fails at random — once with only the kills, once with the PostgreSQL server
 * restarted mid-run as well. At the end the vendor holds exactly one invoice (`lookup`) and one
 * order (`header`) per input record, every message is done, and the audit chain verifies.
 *
 * The database is a private cluster of this file's own (test/helpers/pg-cluster.ts), so that
 * restarting it disturbs no other test file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/runtime/store/index.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { CRASH_CONNECTORS, CRASH_SECRET, crashRecords, invoiceRefs, prng } from './helpers/crash.js';
import { startPrivateCluster, type PrivateCluster } from './helpers/pg-cluster.js';
import { BIN, runRecon } from './helpers/recon-cli.js';
import { connectorWorkspace } from './helpers/runtime-workspace.js';

const N = 400;
const WORKERS = 4;
const KILLS = 8;
const NAMES = Object.keys(CRASH_CONNECTORS) as (keyof typeof CRASH_CONNECTORS)[];

describe('crash test on PostgreSQL: 4 workers per connector killed at random, the server restarted', () => {
  let sandbox: RunningSandbox;
  let cluster: PrivateCluster;
  let dir: string;
  beforeAll(async () => {
    cluster = await startPrivateCluster();
    sandbox = await startSandbox({ faults: false, rateLimit: false, deliveryFaults: { rate: 0.2, slowMs: 600 }, credentials: { clientSecret: CRASH_SECRET } });
    dir = await mkdtemp(join(tmpdir(), 'recon-crash-pg-'));
    await connectorWorkspace(dir, sandbox.url, CRASH_CONNECTORS);
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const restartServer of [false, true]) {
    it(`delivers exactly ${N} invoices and ${N} orders with ${KILLS} kills${restartServer ? ' and one PostgreSQL restart' : ''}`, async () => {
      const tag = restartServer ? 'R' : 'K';
      const location = `${cluster.url}?schema=crash_${tag.toLowerCase()}`;
      for (const name of NAMES) await writeFile(join(dir, `${name}-${tag}.ndjson`), crashRecords(`${tag}-${name}`, N));
      const random = prng(restartServer ? 11 : 5);
      const env = { ACME_CLIENT_SECRET: CRASH_SECRET, RECON_STORE: location };
      const start = (name: string): Worker => worker(['run', `connectors/${name}.yaml`, '--worker', '--input', `${name}-${tag}.ndjson`], dir, env);
      const workers = NAMES.flatMap((name) => Array.from({ length: WORKERS }, () => ({ name, process: start(name) })));

      const createsAtStart = sandbox.stats().creates;
      const before = { invoices: createsAtStart.invoices, orders: createsAtStart.orders };
      let kills = 0;
      let restarted = false;
      const deadline = Date.now() + 150_000;
      try {
        // Kill a random worker each time the vendor has seen a random number of requests more,
        // and start a new one in its place; restart the server once, a third of the way in.
        let mark = sandbox.requestCount();
        let next = 20 + Math.floor(random() * 60);
        // Until KILLS kills — or, once delivery started, the vendor has heard nothing for 10 s:
        // the queue is through.
        const first = mark;
        let last = { count: mark, at: Date.now() };
        while (kills < KILLS && Date.now() < deadline && !(last.count > first && Date.now() - last.at >= 10_000)) {
          await sleep(5);
          if (sandbox.requestCount() !== last.count) last = { count: sandbox.requestCount(), at: Date.now() };
          if (restartServer && !restarted && sandbox.requestCount() - mark >= next / 2 && kills === Math.floor(KILLS / 3)) {
            await cluster.restart();
            restarted = true;
          }
          if (sandbox.requestCount() - mark < next) continue;
          const victim = workers[Math.floor(random() * workers.length)]!;
          victim.process.child.kill('SIGKILL');
          await victim.process.exited;
          kills++;
          victim.process = start(victim.name);
          mark = sandbox.requestCount();
          next = 20 + Math.floor(random() * 60);
        }
        // Kills land mid-delivery every few dozen requests; on a slow machine the queue may be
        // through before the last of them.
        expect(kills).toBeGreaterThanOrEqual(KILLS - 2);
        if (restartServer) expect(restarted).toBe(true);

        // Then let the workers finish the queue.
        const store = await openStore(location);
        try {
          for (;;) {
            const stats = await store.stats();
            const finished = NAMES.every((name) => {
              const s = stats.find((x) => x.connector === name);
              return s !== undefined && s.counts.done + s.counts.dead + s.counts.parked === N;
            });
            if (finished) break;
            if (Date.now() > deadline) throw new Error(`not finished in time: ${JSON.stringify(stats.map((s) => [s.connector, s.counts]))}`);
            await sleep(200);
          }
          for (const name of NAMES) {
            const [s] = await store.stats(name);
            expect(s?.counts).toEqual({ queued: 0, leased: 0, done: N, dead: 0, parked: 0 });
            const done = await store.list(name, { state: 'done', limit: N });
            expect(new Set(done.map((m) => m.vendorId)).size).toBe(N);
          }
        } finally {
          await store.close();
        }
      } finally {
        // A worker stops cleanly on SIGTERM: exit 0 (one started a moment ago may still be
        // loading, before it listens for signals: it ends by the signal, holding nothing).
        const exits = await Promise.all(workers.map(async (w) => (w.process.child.kill('SIGTERM'), w.process.exited)));
        expect(exits.filter((e) => e.code !== 0 && e.signal !== 'SIGTERM')).toEqual([]);
      }

      const created = sandbox.stats().creates;
      expect(created.invoices - before.invoices).toBe(N);
      expect(created.orders - before.orders).toBe(N);
      const refs = await invoiceRefs(sandbox, `${tag}-push-invoices-`);
      expect(refs.size).toBe(N);
      expect([...refs.values()].every((count) => count === 1)).toBe(true);

      const verify = await runRecon(['audit', 'verify', '--store', location], { cwd: dir });
      expect(verify.stdout).toMatch(/audit log intact/);
      expect(verify.code).toBe(0);
      const status = await runRecon(['queue', 'status', '--json', '--store', location], { cwd: dir });
      expect(status.code).toBe(0);
    }, 200_000);
  }
});

interface Worker {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr?: string }>;
}

function worker(args: string[], cwd: string, env: Record<string, string>): Worker {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr?: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, ...(code !== 0 && signal === null ? { stderr } : {}) }));
  });
  return { child, exited };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
