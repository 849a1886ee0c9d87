// Scale-out (issue 8): `recon run --worker` processes against one store.
//
//   node bench/workers.js throughput [messages] [pgUrl]  → JSON lines: messages/s with 1, 2 and 4
//       workers on PostgreSQL and, side by side, on SQLite (one file), against a local server with
//       no limit. The clock runs from the workers' start to the last message done (start-up included).
//   node bench/workers.js limited [seconds] [pgUrl]      → one JSON line: 4 workers on PostgreSQL
//       against express-rate-limit at 10 requests/s: share of the limit achieved and 429s seen.
//
// pgUrl defaults to RECON_TEST_PG or postgres://postgres@127.0.0.1:5432/postgres; each run uses a
// schema of its own and drops it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { limitedVendor, unlimitedVendor, workspace } from './runtime-workspace.js';

const { openStore, idempotencyKeyFor } = await import('../dist/runtime/index.js');
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'recon.js');
const PG = process.argv[4] ?? process.env.RECON_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function pgLocation() {
  const schema = `recon_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(PG);
  url.searchParams.set('schema', schema);
  return { location: url.toString(), schema };
}

async function dropSchema(schema) {
  const client = new pg.Client({ connectionString: PG });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Queue `n` messages directly in the store (what `--input` would do), so only delivery is timed. */
async function enqueue(location, n) {
  const store = await openStore(location);
  try {
    for (let from = 1; from <= n; from += 1000) {
      const batch = [];
      for (let i = from; i < Math.min(from + 1000, n + 1); i++) batch.push({ id: `item-${i}`, payload: { id: `item-${i}`, name: `Item ${i}`, amount: i * 1.5 }, idempotencyKey: idempotencyKeyFor('push-items', `item-${i}`) });
      await store.enqueue('push-items', batch, Date.now());
    }
  } finally {
    await store.close();
  }
}

function startWorker(dir, location) {
  const child = spawn(process.execPath, [BIN, 'run', join(dir, 'push.yaml'), '--worker', '--store', location], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { child, exited };
}

/** Start `count` workers, wait until `n` messages are done, stop them (SIGTERM). */
async function deliver(dir, location, count, n, timeoutMs = 600_000) {
  const started = performance.now();
  const workers = Array.from({ length: count }, () => startWorker(dir, location));
  const store = await openStore(location);
  let done = 0;
  try {
    for (;;) {
      const [stats] = await store.stats('push-items');
      done = stats?.counts.done ?? 0;
      if (done >= n || performance.now() - started > timeoutMs) break;
      await sleep(50);
    }
  } finally {
    await store.close();
  }
  const ms = performance.now() - started;
  for (const w of workers) w.child.kill('SIGTERM');
  const exits = await Promise.all(workers.map((w) => w.exited));
  const failed = exits.filter((e) => e.code !== 0);
  if (failed.length > 0) console.error(failed.map((e) => e.stderr).join('\n'));
  return { ms, done };
}

if (process.argv[2] === 'throughput') {
  const n = Number(process.argv[3] ?? 5000);
  const { base, counts, close } = await unlimitedVendor();
  try {
    for (const engine of ['postgres', 'sqlite']) {
      for (const count of [1, 2, 4]) {
        const dir = workspace(base, { limit: 1_000_000_000, windowSeconds: 1 }, 8);
        const { location, schema } = engine === 'postgres' ? pgLocation() : { location: `sqlite:${join(dir, 'recon.db')}` };
        try {
          await enqueue(location, n);
          const before = counts.created;
          const { ms, done } = await deliver(dir, location, count, n);
          const store = await openStore(location);
          const verify = await store.verifyAudit();
          await store.close();
          console.log(JSON.stringify({ engine, workers: count, messages: n, done, createdAtVendor: counts.created - before, seconds: +(ms / 1000).toFixed(2), perSecond: Math.round(done / (ms / 1000)), auditOk: verify.ok, auditRecords: verify.records }));
        } finally {
          if (schema) await dropSchema(schema);
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    close();
  }
} else if (process.argv[2] === 'limited') {
  const seconds = Number(process.argv[3] ?? 120);
  const { dir, counts, close } = await limitedVendor();
  const { location, schema } = pgLocation();
  try {
    // More messages than fit: the run is cut at `seconds`.
    await enqueue(location, seconds * 12);
    const workers = Array.from({ length: 4 }, () => startWorker(dir, location));
    // Measure from the first creation, so the workers' start-up does not count against them.
    while (counts.created === 0) await sleep(5);
    const from = { at: performance.now(), ...counts };
    await sleep(seconds * 1000);
    const elapsed = (performance.now() - from.at) / 1000;
    const got = counts.created - from.created;
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    const store = await openStore(location);
    const audited429 = (await store.queryAudit({ status: 429 })).length;
    await store.close();
    console.log(JSON.stringify({ run: '4 recon workers (PostgreSQL) against express-rate-limit 10/s', seconds: +elapsed.toFixed(1), created: got, perSecond: +(got / elapsed).toFixed(2), shareOfLimit: +(got / elapsed / 10).toFixed(3), refused429: counts.refused - from.refused, audited429 }));
  } finally {
    close();
    await dropSchema(schema);
  }
} else {
  console.error('usage: node bench/workers.js throughput [messages] [pgUrl] | limited [seconds] [pgUrl]');
  process.exit(2);
}
