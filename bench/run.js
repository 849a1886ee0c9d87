// `npm run bench`: every benchmark, side by side with its baseline in the same run, printed as
// Markdown to paste into bench/RESULTS.md (with `--write`, appended there directly).
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
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

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

if (!process.argv.includes('--only-probe')) {
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

if (!process.argv.includes('--only-spec')) {
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
if (process.argv.includes('--write')) appendFileSync(join(here, 'RESULTS.md'), '\n' + lines.join('\n') + '\n');
