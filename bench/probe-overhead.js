// Probe overhead: calls per second against the local Acme sandbox (rate limit lifted, no
// faults) through recon's client with recording and redaction on, side by side with a bare
// undici loop making the same calls at the same concurrency (the limit).
// `node bench/probe-overhead.js` prints one JSON line per variant.
import { request, Agent } from 'undici';
import { performance } from 'node:perf_hooks';

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
const { createHttpClient } = await import('../dist/http/client.js');
const { createRedactor } = await import('../dist/http/redact/index.js');
const { HarRecorder } = await import('../dist/http/har/index.js');

const CALLS = Number(process.env.PROBE_BENCH_CALLS ?? 3000);
const CONCURRENCY = Number(process.env.PROBE_BENCH_CONCURRENCY ?? 4);
const ROUNDS = Number(process.env.PROBE_BENCH_ROUNDS ?? 3);
const LATENCY = Number(process.env.PROBE_BENCH_LATENCY_MS ?? 0);

// The sandbox runs in its own process, as a vendor would: the client's work (recording,
// redaction) must not steal the server's event loop, or the bench would measure the server.
const sandboxProcess = spawn(process.execPath, [fileURLToPath(new URL('../bin/recon.js', import.meta.url)), 'sandbox', '--port', '0', '--json', '--no-faults', '--rate-limit', '1000000000', '--latency', String(LATENCY)], { stdio: ['ignore', 'pipe', 'ignore'] });
const sandbox = await new Promise((resolve, reject) => {
  let text = '';
  sandboxProcess.stdout.on('data', (d) => {
    text += d;
    try {
      resolve(JSON.parse(text));
    } catch {
      // not all of it yet
    }
  });
  sandboxProcess.on('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
});
const api = sandbox.api;
const key = sandbox.credentials.apiKey;
// The same mix a probe makes: list pages and detail records of every resource.
const paths = ['/customers', '/customers?page=2', '/products', '/invoices', '/orders', '/customers/10001', '/products/5001', '/orders/70001'];
const urls = Array.from({ length: CALLS }, (_, i) => `${api}${paths[i % paths.length]}`);

async function pool(work) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < urls.length) await work(urls[next++]);
    }),
  );
  return performance.now() - started;
}

async function bare() {
  const agent = new Agent({ connections: CONCURRENCY });
  const ms = await pool(async (url) => {
    const response = await request(url, { dispatcher: agent, headers: { 'x-api-key': key, accept: 'application/json' } });
    await response.body.arrayBuffer();
  });
  await agent.close();
  return { ms };
}

async function reconClientOnly() {
  const client = createHttpClient({ connections: CONCURRENCY });
  const ms = await pool(async (url) => {
    await client.send({ method: 'GET', url, headers: [['x-api-key', key], ['accept', 'application/json']] });
  });
  await client.close();
  return { ms };
}

async function recon() {
  const redactor = createRedactor({ secrets: [key] });
  const recorder = new HarRecorder({ redactor, creator: { name: 'recon-bench', version: '0' } });
  const client = createHttpClient({ connections: CONCURRENCY, onExchange: (exchange) => recorder.add(exchange) });
  const ms = await pool(async (url) => {
    await client.send({ method: 'GET', url, headers: [['x-api-key', key], ['accept', 'application/json']] });
  });
  await client.close();
  const har = JSON.stringify(recorder.toHar());
  if (har.includes(key)) throw new Error('the API key reached the recording');
  return { ms, entries: recorder.size, harBytes: har.length };
}

const variants = { bare, client: reconClientOnly, recon };
const results = { bare: [], client: [], recon: [] };
for (const run of Object.values(variants)) await run(); // warm-up: JIT and the sandbox's caches
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order so no variant always runs on a warmer machine.
  const names = Object.keys(variants);
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + round) % names.length];
    results[name].push(await variants[name]());
  }
}
sandboxProcess.kill('SIGTERM');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bareRate = CALLS / (median(results.bare.map((r) => r.ms)) / 1000);
const reconRate = CALLS / (median(results.recon.map((r) => r.ms)) / 1000);
const clientRate = CALLS / (median(results.client.map((r) => r.ms)) / 1000);
console.log(JSON.stringify({ variant: 'bare undici loop', callsPerSecond: Math.round(bareRate), calls: CALLS, concurrency: CONCURRENCY, rounds: ROUNDS, latencyMs: LATENCY }));
console.log(JSON.stringify({ variant: 'recon client, no recording', callsPerSecond: Math.round(clientRate), calls: CALLS, concurrency: CONCURRENCY, rounds: ROUNDS }));
console.log(JSON.stringify({ variant: 'recon client + redaction + HAR recording', callsPerSecond: Math.round(reconRate), calls: CALLS, concurrency: CONCURRENCY, rounds: ROUNDS, harBytes: results.recon[0].harBytes }));
console.log(JSON.stringify({ overheadPercent: Math.round((1 - reconRate / bareRate) * 1000) / 10, recordingPercent: Math.round((1 - reconRate / clientRate) * 1000) / 10 }));
