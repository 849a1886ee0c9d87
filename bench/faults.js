// The crash and fault matrix (issue 10, point 2): connectors × conditions × stores. Each cell
// runs the built CLI (`bin/recon.js run`) against a fresh Acme sandbox behind the fault proxy,
// drives its condition (SIGKILL at random points, the vendor down then back, one proxy fault
// kind, a full disk under the SQLite store), runs recon again until the queue is empty, then
// counts at the vendor and in the store: accepted, delivered exactly once, dead with reason,
// lost, duplicated, audit chain.
//
// `npm test` runs it small (test/matrix-*.test.ts imports runCell from here); this file run
// alone runs it large and prints a Markdown section for bench/RESULTS.md:
//
//   node bench/faults.js [messages=400] [--store sqlite|postgres://…] [--only cond,cond] [--write]
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connectorYaml } from './connector-templates.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..');
const BIN = join(ROOT, 'bin', 'recon.js');
const dist = (path) => import(pathToFileURL(join(ROOT, 'dist', path)).href);

const SECRET = 'matrix-client-secret';

/** Faults hit the API only: a token endpoint that fails is another test (the run stops by design). */
const API_ONLY = 'path=/api/v1/*';

/** Every condition of the matrix. `spec`: the proxy's faults for the whole cell. */
export const CONDITIONS = {
  sigkill: { what: 'SIGKILL of recon run at random points (3 kills, then a run to the end)', spec: 'lost=0' },
  'vendor-down': { what: 'the vendor (proxy) closed mid-run, then back on the same port', spec: 'lost=0' },
  'reset-before': { what: 'connection reset before the request reaches the vendor', spec: `reset-before=0.2,${API_ONLY}` },
  lost: { what: 'the vendor acts, then the connection is reset (response lost)', spec: `lost=0.2,${API_ONLY}` },
  timeout: { what: 'no answer (held); half before, half after the vendor acted', spec: `timeout=0.2,${API_ONLY}`, alt: `timeout=0.2:processed,${API_ONLY}` },
  slow: { what: 'body at 1 byte/s (past the 300 ms call deadline)', spec: `slow=0.15,${API_ONLY}` },
  truncate: { what: 'Content-Length promises more than is sent, then close', spec: `truncate=0.2,${API_ONLY}` },
  html500: { what: 'HTML 500 page; half before, half after the vendor acted', spec: `html500=0.2,${API_ONLY}`, alt: `html500=0.2:processed,${API_ONLY}` },
  'storm-retry-after': { what: '429 storms of 4 with Retry-After: 1', spec: `storm=0.04:4:retry-after=1,${API_ONLY}` },
  'storm-bare': { what: '429 storms of 4 without Retry-After', spec: `storm=0.04:4,${API_ONLY}` },
  'wrong-type': { what: 'JSON labelled text/html, HTML labelled JSON (after the vendor acted)', spec: `wrong-type=0.2,${API_ONLY}` },
  mixed: { what: 'every fault at once, and SIGKILL (3 kills)', spec: `reset-before=0.04,lost=0.04,timeout=0.03:processed,slow=0.02,truncate=0.04,html500=0.04:processed,storm=0.01:3:retry-after=1,wrong-type=0.04,${API_ONLY}`, kills: 3 },
  'disk-full': { what: 'the SQLite store on a small tmpfs that fills up, then grows', spec: 'lost=0', sqliteOnly: true },
};

const settings = { rateLimit: { limit: 10000, windowSeconds: 1 }, concurrency: 8, timeoutMs: 300, retry: { maxAttempts: 200, baseDelayMs: 5, maxDelayMs: 100, maxElapsedMs: 600000 } };

/** The two connectors of test/runtime-crash.test.ts: invoices by `lookup`, orders by `header`. */
export const CONNECTORS = {
  'push-invoices': connectorYaml('push-invoices-lookup', { id: 'ref', settings }),
  'push-orders': connectorYaml('push-orders-header', { id: 'ref', settings }),
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Spawn `recon` with the workspace's environment; SIGKILL it once `killWhen()` says so. */
function recon(args, cwd, killWhen) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ACME_CLIENT_SECRET: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const watch = killWhen ? setInterval(() => killWhen() && child.kill('SIGKILL'), 2) : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(watch);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Where a cell's store lives: a SQLite file in the cell's folder, or a PostgreSQL schema of its own. */
function storeLocation(store, dir, cell) {
  if (store === 'sqlite') return `sqlite:${join(dir, 'store', 'recon.db')}`;
  const url = new URL(store);
  if (url.searchParams.has('schema')) return url.href;
  url.searchParams.set('schema', `recon_matrix_${cell.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}`);
  return url.href;
}

/** A small tmpfs for the store, or why there cannot be one. */
function mountTmpfs(dir, sizeKb) {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs (${String(error.stderr ?? error.message).trim().split('\n')[0]}): run as root with CAP_SYS_ADMIN`;
  }
}

/**
 * One cell of the matrix. Returns the counts; never throws for a recon failure (the counts say
 * it), only for a broken harness.
 *
 * @example const row = await runCell({ connector: 'push-orders', condition: 'lost', store: 'sqlite', n: 30 });
 */
export async function runCell({ connector, condition, store = 'sqlite', n = 30, seed = 1, kills, downMs, diskKb, keep = false }) {
  const cond = CONDITIONS[condition];
  if (!cond) throw new Error(`unknown condition ${condition}`);
  const name = connector;
  const started = performance.now();
  const { startSandbox, startFaultProxy } = await dist('sandbox/index.js');
  const { initWorkspace } = await dist('init/index.js');
  const { openStore } = await dist('runtime/store/index.js');
  // mulberry32, the sandbox's generator: kill points are random, and the same for a seed.
  const { mulberry32 } = await dist('sandbox/prng.js');
  const dir = mkdtempSync(join(tmpdir(), `recon-matrix-${condition}-`));
  const sandbox = await startSandbox({ faults: false, rateLimit: false, credentials: { clientSecret: SECRET }, seed });
  let proxy = await startFaultProxy({ target: sandbox.url, spec: cond.spec, seed });
  const port = proxy.port;
  const faults = {};
  const addFaults = (p) => {
    for (const [kind, count] of Object.entries(p.stats().faults)) if (count > 0) faults[kind] = (faults[kind] ?? 0) + count;
  };
  const random = mulberry32(seed * 7919 + n);
  const runs = [];
  let mounted;
  let skipped;
  let atFull;
  try {
    await initWorkspace(dir, { sandboxUrl: proxy.url });
    mkdirSync(join(dir, 'connectors'), { recursive: true });
    writeFileSync(join(dir, 'connectors', `${name}.yaml`), CONNECTORS[name]);
    const prefix = `M-${condition}-${name}`.toUpperCase();
    writeFileSync(
      join(dir, 'input.ndjson'),
      Array.from({ length: n }, (_, i) => JSON.stringify({ ref: `${prefix}-${i + 1}`, customer: 10001 + (i % 7), product: 5001 + (i % 5), qty: 1 + (i % 3) })).join('\n') + '\n',
    );
    const location = storeLocation(store, dir, `${condition}_${name}`);
    const args = ['run', `connectors/${name}.yaml`, '--input', 'input.ndjson', '--store', location, '--json'];
    const requests = () => sandbox.requestCount();

    if (condition === 'disk-full') {
      if (store !== 'sqlite') return { connector, condition, store: 'postgres', skipped: 'disk-full is a SQLite cell' };
      mounted = join(dir, 'store');
      skipped = mountTmpfs(mounted, diskKb ?? 128 + 4 * n);
      if (skipped) return { connector, condition, store, skipped };
      const full = await recon(args, dir);
      runs.push(full);
      // What the store held when the disk was full: everything accepted is still there.
      try {
        const s = await openStore(location, { cwd: dir });
        try {
          atFull = (await s.stats(name))[0]?.counts;
        } finally {
          await s.close();
        }
      } catch (error) {
        atFull = { unreadable: String(error.message) };
      }
      // Space freed: the same file system, grown.
      execFileSync('mount', ['-o', 'remount,size=65536k', mounted], { stdio: 'pipe' });
    } else if (condition === 'sigkill' || cond.kills) {
      for (let k = 0; k < (kills ?? cond.kills ?? 3); k++) {
        const start = requests();
        const after = 1 + Math.floor(random() * Math.max(2, n * 0.8));
        runs.push(await recon(args, dir, () => requests() - start >= after));
      }
    } else if (condition === 'vendor-down') {
      const start = requests();
      const downAfter = 1 + Math.floor(random() * Math.max(2, n / 2));
      const run = recon(args, dir);
      while (requests() - start < downAfter) await sleep(2);
      addFaults(proxy);
      await proxy.close();
      await sleep(downMs ?? (n >= 200 ? 3000 : 800));
      proxy = await startFaultProxy({ target: sandbox.url, spec: cond.spec, seed, port });
      runs.push(await run);
    } else if (cond.alt) {
      // Half the messages under one variant, the rest under the other.
      const start = requests();
      let finished = false;
      const run = recon(args, dir).then((r) => ((finished = true), r));
      while (!finished && requests() - start < n / 2) await sleep(5);
      addFaults(proxy);
      await proxy.close();
      proxy = await startFaultProxy({ target: sandbox.url, spec: cond.alt, seed: seed + 1, port });
      runs.push(await run);
    }
    // Then recon again until the queue is empty (a killed or stopped run resumes), at most 8 times.
    for (let i = 0; i < 8; i++) {
      const last = await recon(args, dir);
      runs.push(last);
      if (last.code === 0 || last.code === 1) break;
      await sleep(200);
    }
    addFaults(proxy);

    // Count in the store.
    const s = await openStore(location, { cwd: dir });
    let counts;
    let done;
    let dead;
    let audit;
    try {
      counts = (await s.stats(name))[0]?.counts ?? { queued: 0, leased: 0, done: 0, dead: 0, parked: 0 };
      done = await s.list(name, { state: 'done', limit: n * 2 });
      dead = await s.list(name, { state: 'dead', limit: n * 2 });
      audit = await s.verifyAudit();
    } finally {
      await s.close();
    }
    // Count at the vendor.
    const vendor = await vendorCounts(sandbox, name, prefix);
    const accepted = counts.queued + counts.leased + counts.done + counts.dead + counts.parked;
    let deliveredOnce;
    let duplicates;
    let lostDone;
    if (name === 'push-invoices') {
      deliveredOnce = done.filter((m) => vendor.byRef.get(m.id) === 1).length;
      lostDone = done.filter((m) => !vendor.byRef.has(m.id)).length;
      duplicates = [...vendor.byRef.values()].reduce((sum, c) => sum + Math.max(0, c - 1), 0);
    } else {
      const withId = done.filter((m) => m.vendorId !== undefined);
      // Orders carry no reference of ours: a done message is delivered once when its order id is at
      // the vendor and no other message claims it, and every create beyond one per message is a duplicate.
      deliveredOnce = withId.filter((m) => vendor.ids.has(m.vendorId)).length - (withId.length - new Set(withId.map((m) => m.vendorId)).size);
      lostDone = withId.filter((m) => !vendor.ids.has(m.vendorId)).length;
      duplicates = Math.max(0, sandbox.stats().creates.orders - done.length - dead.length) + (withId.length - new Set(withId.map((m) => m.vendorId)).size);
      // Done without the vendor's id (its answer was cut or unreadable): delivered, as the create count shows.
      if (sandbox.stats().creates.orders === done.length + dead.length) deliveredOnce += done.length - withId.length;
    }
    const reasons = {};
    for (const m of dead) {
      const why = String(m.reason ?? '').replace(/\d+/g, 'N').slice(0, 80);
      reasons[why] = (reasons[why] ?? 0) + 1;
    }
    const exits = runs.map((r) => (r.signal ? r.signal : String(r.code)));
    const diskFull = runs.find((r) => /RECON_STORE_DISK_FULL|disk full/.test(r.stderr));
    return {
      connector,
      condition,
      store: store === 'sqlite' ? 'sqlite' : 'postgres',
      messages: n,
      accepted,
      deliveredOnce,
      dead: counts.dead,
      deadReasons: reasons,
      parked: counts.parked,
      pending: counts.queued + counts.leased,
      /** Done, but the vendor's id could not be read from its answer (cut off, or not JSON). */
      doneWithoutVendorId: done.filter((m) => m.vendorId === undefined).length,
      lost: lostDone + (n - accepted),
      duplicates,
      auditOk: audit.ok,
      auditRecords: audit.records,
      faults,
      requests: sandbox.requestCount(),
      runs: exits,
      ...(condition === 'disk-full' ? { diskFull: diskFull ? { code: diskFull.code, message: diskFull.stderr.trim().split('\n').find((l) => /disk full/.test(l)), atFull } : undefined } : {}),
      seconds: +((performance.now() - started) / 1000).toFixed(1),
      ...(keep ? { dir } : {}),
      lastStderr: runs.at(-1)?.stderr.slice(0, 2000),
    };
  } finally {
    await proxy.close();
    await sandbox.close();
    if (store !== 'sqlite' && !new URL(store).searchParams.has('schema')) await dropSchema(storeLocation(store, dir, `${condition}_${name}`));
    if (mounted) {
      try {
        execFileSync('umount', [mounted], { stdio: 'pipe' });
      } catch {
        // not mounted
      }
    }
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** A cell's own PostgreSQL schema, dropped after the cell (the caller's schemas are the caller's). */
async function dropSchema(location) {
  const { default: pg } = await import('pg');
  const url = new URL(location);
  const schema = url.searchParams.get('schema');
  url.search = '';
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Invoices by externalRef (how many of each), and the ids of every order, straight from the sandbox. */
async function vendorCounts(sandbox, name, prefix) {
  const byRef = new Map();
  const ids = new Set();
  const resource = name === 'push-invoices' ? 'invoices' : 'orders';
  for (let page = 1; ; page++) {
    const res = await fetch(`${sandbox.url}/api/v1/${resource}?page=${page}&pageSize=100`, { headers: { 'X-Api-Key': sandbox.credentials.apiKey } });
    const body = await res.json();
    for (const item of body.data) {
      ids.add(String(item.id));
      if (typeof item.externalRef === 'string' && item.externalRef.startsWith(prefix)) byRef.set(item.externalRef, (byRef.get(item.externalRef) ?? 0) + 1);
    }
    if (body.data.length < 100) break;
  }
  return { byRef, ids };
}

/** One Markdown row per cell. */
export function markdownRow(r) {
  if (r.skipped) return `| ${r.connector} | ${r.condition} | ${r.store} | skipped: ${r.skipped} ||||||||||`;
  const faults = Object.entries(r.faults).map(([k, v]) => `${k} ${v}`).join(', ') || '—';
  const reasons = Object.entries(r.deadReasons).map(([k, v]) => `${v}× ${k}`).join('; ');
  return `| ${r.connector} | ${r.condition} | ${r.store} | ${r.accepted} | ${r.deliveredOnce} | ${r.dead}${reasons ? ` (${reasons})` : ''} | ${r.lost} | ${r.duplicates} | ${r.doneWithoutVendorId} | ${r.auditOk ? `ok (${r.auditRecords})` : 'BROKEN'} | ${faults} | ${r.runs.join(' ')} | ${r.seconds} |`;
}

export const MARKDOWN_HEAD = '| connector | condition | store | accepted | delivered once | dead (reason) | lost | duplicated | done without vendor id | audit verify (records) | faults injected | recon exits | s |\n|---|---|---|---:|---:|---|---:|---:|---:|---|---|---|---:|';

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const n = Number(argv.find((a) => /^\d+$/.test(a)) ?? 400);
  const at = (flag) => (argv.indexOf(flag) >= 0 ? argv[argv.indexOf(flag) + 1] : undefined);
  const stores = (at('--store') ?? 'sqlite').split(',');
  const only = at('--only')?.split(',');
  const lines = [
    `## Crash and fault matrix — ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. \`node bench/faults.js ${n}\`: ${n} messages per cell, the built CLI against a fresh Acme sandbox behind the fault proxy (seed 1), concurrency 8, call deadline 300 ms. "lost" and "duplicated" must be 0 in every cell.`,
    '',
    MARKDOWN_HEAD,
  ];
  for (const line of lines) console.log(line);
  for (const store of stores) {
    for (const condition of Object.keys(CONDITIONS).filter((c) => (!only || only.includes(c)) && (store === 'sqlite' || !CONDITIONS[c].sqliteOnly))) {
      for (const connector of Object.keys(CONNECTORS)) {
        const row = await runCell({ connector, condition, store, n });
        const line = markdownRow(row);
        lines.push(line);
        console.log(line);
        if (!row.skipped && (row.lost !== 0 || row.duplicates !== 0 || !row.auditOk || row.pending !== 0)) console.error(JSON.stringify(row, null, 2));
      }
    }
  }
  lines.push('');
  if (argv.includes('--write')) appendFileSync(join(here, 'RESULTS.md'), '\n' + lines.join('\n') + '\n');
}

