// `npm run bench`: every benchmark, side by side with its baseline in the same run, printed as
// Markdown to paste into bench/RESULTS.md (with `--write`, appended there directly).
// `npm run bench -- --only drift,limits` runs some sections: spec, probe, limits, drift, workers, faults.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const documents = [
  'fixtures/specs/tripletex/tripletex-swagger-2.0.json',
  'fixtures/specs/tripletex/tripletex-openapi-3.0.json',
];
const tools = ['recon', 'recon-load', 'swagger-parser', 'redocly'];

function once(tool, file) {
  const out = execFileSync(process.execPath, [join(here, 'spec-load.js'), tool, file], { cwd: join(here, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out.trim().split('\n').pop());
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const lines = [];
const say = (line = '') => {
  lines.push(line);
  console.log(line);
};

const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set((process.argv[onlyAt + 1] ?? '').split(',')) : undefined;
const runs = (section) => only === undefined || only.has(section);

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

if (runs('spec')) {
say(`## Spec loading — ${new Date().toISOString().slice(0, 10)}`);
say();
say(`Machine: ${machine}. Median of ${RUNS} runs, each in a fresh process; peak memory is the process's max RSS.`);
say();
say('recon = load + Swagger→OpenAPI conversion + normalise and compile every request/response schema (what drift needs); recon-load = load + inventory (what `recon spec` does); swagger-parser = `validate()`; redocly = `bundle()`.');
say();
say('| document | tool | wall time (ms) | peak RSS (MB) | notes |');
say('|---|---|---:|---:|---|');
for (const file of documents) {
  for (const tool of tools) {
    const runs = [];
    // One warm-up run fills the OS file cache, so every tool reads the file from memory.
    once(tool, file);
    for (let i = 0; i < RUNS; i++) runs.push(once(tool, file));
    const notes = Object.entries(runs[0]).filter(([k]) => !['tool', 'ms', 'maxRssMb'].includes(k)).map(([k, v]) => `${k} ${v}`).join(', ');
    say(`| ${file.split('/').pop()} | ${tool} | ${median(runs.map((r) => r.ms))} | ${Math.max(...runs.map((r) => r.maxRssMb))} | ${notes} |`);
  }
}
say();

}

if (runs('probe')) {
  // Probe overhead: recording and redaction against a bare undici loop, same calls, same run,
  // first on a vendor that answers at once (the worst case), then on one 20 ms away.
  say(`## Probe overhead — ${new Date().toISOString().slice(0, 10)}`);
  say();
  say(`Machine: ${machine}. GET calls against the local Acme sandbox in its own process (rate limit lifted, no faults), the variants rotating, median of 3 rounds.`);
  say();
  say('| sandbox latency | calls × concurrency | bare undici loop (calls/s) | recon client, no recording | recon client + redaction + HAR | recording cost vs bare |');
  say('|---:|---|---:|---:|---:|---:|');
  for (const setting of [{ latency: 0, calls: 3000, concurrency: 4 }, { latency: 20, calls: 600, concurrency: 8 }]) {
    const env = { ...process.env, PROBE_BENCH_LATENCY_MS: String(setting.latency), PROBE_BENCH_CALLS: String(setting.calls), PROBE_BENCH_CONCURRENCY: String(setting.concurrency) };
    const out = execFileSync(process.execPath, [join(here, 'probe-overhead.js')], { cwd: join(here, '..'), encoding: 'utf8', env });
    const [bareRow, clientRow, reconRow, overhead] = out.trim().split('\n').map((line) => JSON.parse(line));
    say(`| ${setting.latency} ms | ${setting.calls} × ${setting.concurrency} | ${bareRow.callsPerSecond} | ${clientRow.callsPerSecond} | ${reconRow.callsPerSecond} | ${overhead.overheadPercent}% |`);
  }
  say();
}
if (runs('limits')) {
  // recon limits against real rate limiters (bench/limits.js): estimate vs configured truth, calls spent.
  say(`## Rate-limit measurement — ${new Date().toISOString().slice(0, 10)}`);
  say();
  say(`Machine: ${machine}. \`bench/limits.js\`: one run per limiter, budget 150, --max-rate 40/s, on loopback.`);
  say();
  const out = execFileSync(process.execPath, [join(here, 'limits.js')], { cwd: join(here, '..'), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const rows = out.trim().split('\n').map((line) => JSON.parse(line));
  say('| limiter | configured truth | recon estimate | source (confidence) | limit error | window right | calls (target) | seconds |');
  say('|---|---|---|---|---:|---|---:|---:|');
  for (const r of rows.filter((x) => !x.throttle)) {
    if (r.error) say(`| ${r.limiter} | | ${r.error} | | | | | |`);
    else say(`| ${r.limiter} | ${r.truth} | ${r.estimate} | ${r.source} (${r.confidence}) | ${r.limitErrorPercent}% | ${r.windowRight ? 'yes' : 'no'} | ${r.calls} (≤ ${r.callTarget}${r.callsWithinTarget ? '' : ', missed'}) | ${r.seconds} |`);
  }
  const throttle = rows.filter((x) => x.throttle);
  if (throttle.length > 0) {
    say();
    say('| sender (against express-rate-limit) | seconds | sent | answered | 429s | achieved/s | share of true limit |');
    say('|---|---:|---:|---:|---:|---:|---:|');
    for (const r of throttle) say(`| ${r.sender} | ${r.seconds} | ${r.sent} | ${r.answered} | ${r.refused429} | ${r.achievedPerSecond} | ${r.shareOfTrueLimit} |`);
  }
  say();
}
if (runs('drift')) {
  // Drift over a large recording (bench/drift.js) against the floor: JSON.parse + a precompiled
  // Ajv validate of the same bodies, each in a fresh process; and peak memory at two sizes, to
  // show it does not grow with the number of exchanges.
  const drift = (...args) => JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=4096', '--expose-gc', join(here, 'drift.js'), ...args], { cwd: join(here, '..'), encoding: 'utf8' }).trim().split('\n').pop());
  const dir = mkdtempSync(join(tmpdir(), 'recon-bench-drift-'));
  try {
    say(`## Drift throughput — ${new Date().toISOString().slice(0, 10)}`);
    say();
    const big = drift('generate', join(dir, 'big.har'), '10000', '10500');
    const small = drift('generate', join(dir, 'small.har'), '2000', '10500');
    say(`Machine: ${machine}. Recordings of the Tripletex document's list operations, generated from its own schemas (src/drift/conformant-har.ts): ${big.entries} exchanges, ${big.mb} MB, and ${small.entries} exchanges, ${small.mb} MB. Median of 3 runs, each in a fresh process.`);
    say();
    say('| run | exchanges | body MB | wall time (s) | body MB/s | peak RSS (MB) | heap held after the run (MB) | vs floor |');
    say('|---|---:|---:|---:|---:|---:|---:|---:|');
    const floorRuns = [0, 1, 2].map(() => drift('floor', join(dir, 'big.har')));
    const floor = floorRuns.sort((a, b) => a.ms - b.ms)[1];
    const reconRuns = [0, 1, 2].map(() => drift('recon', join(dir, 'big.har'))).sort((a, b) => a.ms - b.ms);
    const recon = reconRuns[1];
    const smallRecon = drift('recon', join(dir, 'small.har'));
    const mbps = (ms) => (floor.bodyMb / (ms / 1000)).toFixed(1);
    say(`| floor: JSON.parse + precompiled Ajv (bodies already in memory; parse alone ${(floor.parseMs / 1000).toFixed(1)} s) | ${floor.bodies} | ${floor.bodyMb} | ${(floor.ms / 1000).toFixed(1)} | ${mbps(floor.ms)} | ${floor.maxRssMb} | | 1.00× |`);
    say(`| recon drift (streams the HAR from disk, decodes, matches, checks, folds) | ${recon.exchanges} | ${floor.bodyMb} | ${(recon.ms / 1000).toFixed(1)} | ${mbps(recon.ms)} | ${recon.maxRssMb} | ${recon.retainedHeapMb} | ${(recon.ms / floor.ms).toFixed(2)}× |`);
    say(`| recon drift, a fifth of the recording | ${smallRecon.exchanges} | | ${(smallRecon.ms / 1000).toFixed(1)} | | ${smallRecon.maxRssMb} | ${smallRecon.retainedHeapMb} | |`);
    say();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (runs('workers')) {
  // Scale-out (bench/workers.js): `recon run --worker` processes on PostgreSQL and, side by side,
  // on one SQLite file; then 4 PostgreSQL workers sharing a 10/s limit.
  const bench = (...args) => execFileSync(process.execPath, [join(here, 'workers.js'), ...args], { cwd: join(here, '..'), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }).trim().split('\n').map((l) => JSON.parse(l));
  say(`## Workers on PostgreSQL and SQLite — ${new Date().toISOString().slice(0, 10)}`);
  say();
  say(`Machine: ${machine}, PostgreSQL on the same machine. 5,000 messages queued, then N \`recon run --worker\` processes started; the clock runs from their start to the last message done.`);
  say();
  say('| store | workers | messages | seconds | messages/s | audit verifies |');
  say('|---|---:|---:|---:|---:|---|');
  for (const r of bench('throughput', '5000')) say(`| ${r.engine} | ${r.workers} | ${r.done} | ${r.seconds} | ${r.perSecond} | ${r.auditOk ? 'yes' : 'NO'} (${r.auditRecords}) |`);
  say();
  const [limited] = bench('limited', '120');
  say(`4 PostgreSQL workers against express-rate-limit at 10 requests/s for ${limited.seconds} s: ${limited.created} created, ${limited.perSecond}/s, **${(limited.shareOfLimit * 100).toFixed(1)} % of the limit, ${limited.refused429} 429s** (target ≥ 97 %, 0).`);
  say();
}

if (runs('faults')) {
  // The crash and fault matrix at a large size (bench/faults.js): every cell on SQLite and
  // PostgreSQL, messages accepted, delivered once, dead, lost, duplicated, audit verified.
  const pgUrl = process.env.RECON_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const out = execFileSync(process.execPath, [join(here, 'faults.js'), '400', '--store', `sqlite,${pgUrl}`], { cwd: join(here, '..'), encoding: 'utf8', maxBuffer: 64 << 20 });
  for (const line of out.trim().split('\n')) say(line);
  say();
}

if (process.argv.includes('--write')) appendFileSync(join(here, 'RESULTS.md'), '\n' + lines.join('\n') + '\n');
