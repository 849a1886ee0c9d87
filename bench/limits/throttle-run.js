// recon's throttle (src/limits/throttle.ts, configured from what `recon limits` measured) against
// a naive sender at exactly limit/window intervals, both against express-rate-limit, side by side.
import { createThrottle, parseRateLimitHeaders } from '../../dist/limits/index.js';
import { startExpress } from './servers.js';

async function call(url) {
  const res = await fetch(`${url}/items`);
  await res.arrayBuffer();
  return res;
}

async function naive(url, intervalMs, until) {
  const tally = { sent: 0, ok: 0, refused: 0 };
  let next = Date.now();
  while (Date.now() < until) {
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    next += intervalMs;
    const res = await call(url);
    tally.sent++;
    if (res.status === 429) tally.refused++;
    else tally.ok++;
  }
  return tally;
}

async function throttled(url, estimate, until) {
  const throttle = createThrottle({ limit: estimate.limit, windowSeconds: estimate.windowSeconds });
  const tally = { sent: 0, ok: 0, refused: 0 };
  while (Date.now() < until) {
    await throttle.take();
    if (Date.now() >= until) break;
    const res = await call(url);
    tally.sent++;
    throttle.observe(parseRateLimitHeaders(res.headers, new Date()));
    if (res.status === 429) {
      tally.refused++;
      throttle.penalise(Number(res.headers.get('retry-after') ?? 1));
    } else tally.ok++;
  }
  return tally;
}

/** Both senders for `durationMs`, each on its own express-rate-limit (draft-7 headers), at the same time. */
export async function compareThrottle({ limit, windowMs, durationMs, estimate }) {
  const [a, b] = await Promise.all([startExpress({ mode: 'draft-7', limit, windowMs }), startExpress({ mode: 'draft-7', limit, windowMs })]);
  try {
    const until = Date.now() + durationMs;
    const [n, t] = await Promise.all([naive(a.url, windowMs / limit, until), throttled(b.url, estimate, until)]);
    const truePerSecond = limit / (windowMs / 1000);
    const row = (name, tally) => ({
      sender: name,
      seconds: durationMs / 1000,
      sent: tally.sent,
      answered: tally.ok,
      refused429: tally.refused,
      achievedPerSecond: Math.round((tally.ok / (durationMs / 1000)) * 100) / 100,
      shareOfTrueLimit: Math.round((tally.ok / (durationMs / 1000) / truePerSecond) * 1000) / 1000,
    });
    return [row(`naive: one call every ${windowMs / limit} ms`, n), row(`recon throttle (limit ${estimate.limit}/${estimate.windowSeconds} s from recon limits, default safety margin)`, t)];
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}
