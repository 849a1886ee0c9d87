// `npm run bench -- --only limits` (or `node bench/limits.js [name…]`): `recon limits` against real rate limiters recon did not write
// (express-rate-limit in every header mode, nginx limit_req), each estimate against the
// configured truth, with the calls it spent. Prints one JSON line per scenario (bench/run.js
// turns them into a Markdown table). Never part of `npm test`.
import { buildTarget } from '../dist/config/defaults.js';
import { chooseOperations, measureLimits } from '../dist/limits/index.js';
import { ensureNginx, startExpress, startNginx } from './limits/servers.js';

const WINDOW_MS = Number(process.env.LIMITS_BENCH_WINDOW_MS ?? 10_000);
const LIMIT = Number(process.env.LIMITS_BENCH_LIMIT ?? 50);
const NGINX = { rate: 5, burst: 10 };

async function measure(url) {
  const target = buildTarget('bench', { baseUrl: url });
  const operations = chooseOperations({ target, paths: ['/items'] });
  const started = Date.now();
  const result = await measureLimits({ target, operations, budget: 150, maxDurationMs: 120_000, maxRatePerSecond: 40 });
  return { result, wallMs: Date.now() - started };
}

function row(name, truth, { result, wallMs }, quota, headersComplete) {
  const e = result.estimate;
  const limit = e.limit?.value;
  const window = e.windowSeconds?.value;
  const limitErrorPercent = limit === undefined ? null : Math.round(((limit - truth.limit) / truth.limit) * 1000) / 10;
  const callTarget = headersComplete ? 2 : Math.floor(quota * 1.2);
  return {
    limiter: name,
    truth: `${truth.limit} per ${truth.windowSeconds} s, ${truth.policy}${truth.burst ? `, burst ${truth.burst}` : ''}`,
    estimate: limit === undefined ? result.conclusion : `${limit} per ${window ?? '?'} s, ${e.policy?.value ?? '?'}${e.burst ? `, burst ${e.burst.value}` : ''}`,
    source: e.limit?.source ?? '-',
    confidence: e.limit?.confidence ?? null,
    limitErrorPercent,
    limitWithin5: limitErrorPercent !== null && Math.abs(limitErrorPercent) <= 5,
    windowRight: window === truth.windowSeconds,
    calls: result.requests,
    callTarget,
    callsWithinTarget: result.requests <= callTarget,
    seconds: Math.round(wallMs / 100) / 10,
  };
}

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const modes = ['draft-6', 'draft-7', 'draft-8', 'legacy', 'none'];
for (const mode of modes) {
  if (only.length > 0 && !only.includes(mode)) continue;
  const server = await startExpress({ mode, limit: LIMIT, windowMs: WINDOW_MS });
  try {
    const truth = { limit: LIMIT, windowSeconds: WINDOW_MS / 1000, policy: 'fixed-window' };
    console.log(JSON.stringify(row(`express-rate-limit ${mode === 'none' ? 'standardHeaders: false, legacyHeaders: false' : mode === 'legacy' ? 'legacyHeaders (X-RateLimit-*)' : `standardHeaders '${mode}'`}`, truth, await measure(server.url), LIMIT, mode !== 'none')));
  } finally {
    await server.close();
  }
}
if (only.length === 0 || only.includes('nginx')) {
  const found = ensureNginx();
  if (found.error) console.log(JSON.stringify({ limiter: 'nginx limit_req', error: found.error }));
  else {
    for (const nodelay of [true, false]) {
      const server = await startNginx(found.nginx, { ...NGINX, nodelay });
      try {
        const truth = { limit: NGINX.rate, windowSeconds: 1, policy: `leaky bucket${nodelay ? ' (nodelay)' : ' (delays)'}`, ...(nodelay ? { burst: NGINX.burst + 1 } : {}) };
        console.log(JSON.stringify(row(`nginx limit_req rate=${NGINX.rate}r/s burst=${NGINX.burst}${nodelay ? ' nodelay' : ''}`, truth, await measure(server.url), NGINX.burst + 1 + NGINX.rate, false)));
      } finally {
        await server.close();
      }
    }
  }
}

// The throttle of src/limits/throttle.ts, fed what recon limits measured (draft-7 headers), for
// LIMITS_BENCH_THROTTLE_SECONDS (default 120; 0 skips it) against a naive fixed-interval sender.
const throttleSeconds = Number(process.env.LIMITS_BENCH_THROTTLE_SECONDS ?? 120);
if (throttleSeconds > 0 && (only.length === 0 || only.includes('throttle'))) {
  const { compareThrottle } = await import('./limits/throttle-run.js');
  const server = await startExpress({ mode: 'draft-7', limit: LIMIT, windowMs: WINDOW_MS });
  const { result } = await measure(server.url).finally(() => server.close());
  const estimate = { limit: result.estimate.limit.value, windowSeconds: result.estimate.windowSeconds.value };
  for (const row of await compareThrottle({ limit: LIMIT, windowMs: WINDOW_MS, durationMs: throttleSeconds * 1000, estimate })) console.log(JSON.stringify({ throttle: true, ...row }));
}
