// Connector runtime throughput: `runConnector` with durable state (SQLite, WAL) and the audit
// log on, against a local server with no limit, side by side with a bare undici loop sending
// the same requests at the same concurrency; then a 2-minute run against express-rate-limit at
// 10 requests/s (achieved share of the limit, 429s).
//
//   node bench/runtime.js throughput [messages]   → JSON lines
//   node bench/runtime.js limited [seconds]       → one JSON line
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { limitedVendor, unlimitedVendor, workspace } from './runtime-workspace.js';

const { loadConnector, openStore, runConnector, readInput } = await import('../dist/runtime/index.js');

async function* records(n) {
  for (let i = 1; i <= n; i++) yield { line: i, record: { id: `item-${i}`, name: `Item ${i}`, amount: i * 1.5 } };
}

async function runRecon(dir, n) {
  const loaded = await loadConnector(join(dir, 'push.yaml'));
  const store = await openStore(`sqlite:${join(dir, 'recon.db')}`);
  const started = performance.now();
  try {
    const summary = await runConnector({ loaded, store, input: records(n) });
    const ms = performance.now() - started;
    const verify = await store.verifyAudit();
    return { ms, summary, auditRecords: verify.records, auditOk: verify.ok };
  } finally {
    await store.close();
  }
}

if (process.argv[2] === 'throughput') {
  const n = Number(process.argv[3] ?? 5000);
  const concurrency = 8;
  const { base, close } = await unlimitedVendor();
  try {
    // The bare loop: the same POSTs, the same concurrency, nothing kept.
    const agent = new Agent({ connections: concurrency });
    const bareStarted = performance.now();
    let i = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (i < n) {
          const k = ++i;
          const res = await request(`${base}/api/items`, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json', 'idempotency-key': `k${k}` }, body: JSON.stringify({ name: `Item ${k}`, amount: k * 1.5 }) });
          await res.body.text();
        }
      }),
    );
    const bareMs = performance.now() - bareStarted;
    await agent.close();
    console.log(JSON.stringify({ run: 'bare undici loop', messages: n, seconds: +(bareMs / 1000).toFixed(2), perSecond: Math.round(n / (bareMs / 1000)) }));
    const dir = workspace(base, { limit: 1_000_000_000, windowSeconds: 1 }, concurrency);
    try {
      const recon = await runRecon(dir, n);
      console.log(JSON.stringify({ run: 'recon run (SQLite WAL, synchronous=NORMAL, audit on)', messages: n, done: recon.summary.counts?.done ?? recon.summary.done, seconds: +(recon.ms / 1000).toFixed(2), perSecond: Math.round(n / (recon.ms / 1000)), auditRecords: recon.auditRecords, auditOk: recon.auditOk }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    close();
  }
} else if (process.argv[2] === 'limited') {
  const seconds = Number(process.argv[3] ?? 120);
  const { dir, counts, close } = await limitedVendor();
  try {
    const loaded = await loadConnector(join(dir, 'push.yaml'));
    const store = await openStore(`sqlite:${join(dir, 'recon.db')}`);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), seconds * 1000);
    const started = performance.now();
    // More messages than fit: the run is cut at `seconds`.
    const summary = await runConnector({ loaded, store, input: records(seconds * 12), signal: stop.signal });
    const elapsed = (performance.now() - started) / 1000;
    const rows = await store.queryAudit({ status: 429 });
    await store.close();
    console.log(JSON.stringify({ run: 'recon run against express-rate-limit 10/s', seconds: +elapsed.toFixed(1), created: counts.created, perSecond: +(counts.created / elapsed).toFixed(2), shareOfLimit: +((counts.created / elapsed) / 10).toFixed(3), refused429: rows.length, summary: summary.counts ?? summary }));
  } finally {
    close();
  }
} else {
  console.error('usage: node bench/runtime.js throughput [messages] | limited [seconds]');
  process.exit(2);
}
