import { describe, expect, it } from 'vitest';
import { createThrottle, effectiveLimitFor, THROTTLE_DEFAULTS, ThrottleWaitTooLongError, type Throttle } from '../src/limits/throttle.js';
import { parseRateLimitHeaders } from '../src/limits/index.js';
import { FakeClock, maxInAnyWindow, random, settle } from './helpers/shared-throttle-sim.js';

const margin = (limit: number) => effectiveLimitFor(limit);

/** `senders` concurrent loops of take() → record → random "latency", until `total` sends. */
async function simulate(throttle: Throttle, clock: FakeClock, o: { senders: number; total: number; seed: number; maxLatencyMs: number; onSend?: (n: number) => void }): Promise<number[]> {
  const sends: number[] = [];
  const rand = random(o.seed);
  const sender = async () => {
    while (sends.length < o.total) {
      await throttle.take();
      if (sends.length >= o.total) return;
      sends.push(clock.now());
      o.onSend?.(sends.length);
      await clock.sleep(Math.floor(rand() * o.maxLatencyMs));
    }
  };
  const all = Promise.all(Array.from({ length: o.senders }, sender));
  await clock.runUntil(() => sends.length >= o.total);
  void all;
  return sends;
}

describe('createThrottle: never exceeds the limit', () => {
  const cases: [string, { limit: number; windowSeconds: number; safetyMargin?: number; burst?: number; seed: number; maxLatencyMs: number; total: number }][] = [
    ['100/min, default margin, 10 senders, latency up to 2 s', { limit: 100, windowSeconds: 60, seed: 1, maxLatencyMs: 2000, total: 1000 }],
    ['100/min, no margin, burst = whole window', { limit: 100, windowSeconds: 60, safetyMargin: 1, burst: 100, seed: 2, maxLatencyMs: 500, total: 1000 }],
    ['10/s, no latency', { limit: 10, windowSeconds: 1, safetyMargin: 1, seed: 3, maxLatencyMs: 0, total: 500 }],
    ['5000/hour, burst 500', { limit: 5000, windowSeconds: 3600, burst: 500, seed: 4, maxLatencyMs: 3000, total: 6000 }],
    ['3/min, tiny quota', { limit: 3, windowSeconds: 60, seed: 5, maxLatencyMs: 10_000, total: 30 }],
    ['1/min, margin rounds to at least one', { limit: 1, windowSeconds: 60, seed: 6, maxLatencyMs: 100, total: 10 }],
  ];
  it.each(cases)('%s', async (_name, { limit, windowSeconds, safetyMargin, burst, seed, maxLatencyMs, total }) => {
    const clock = new FakeClock();
    const throttle = createThrottle({ limit, windowSeconds, clock, ...(safetyMargin !== undefined ? { safetyMargin } : {}), ...(burst !== undefined ? { burst } : {}) });
    const sends = await simulate(throttle, clock, { senders: 10, total, seed, maxLatencyMs });
    const effective = Math.max(1, effectiveLimitFor(limit, safetyMargin ?? THROTTLE_DEFAULTS.safetyMargin));
    expect(maxInAnyWindow(sends, windowSeconds * 1000)).toBeLessThanOrEqual(effective);
    expect(effective).toBeLessThanOrEqual(limit);
  });

  it.each([11, 12, 13, 14, 15, 16, 17, 18])('random interleaving, seed %i', async (seed) => {
    const rand = random(seed);
    const limit = 1 + Math.floor(rand() * 200);
    const windowSeconds = [1, 10, 60, 3600][Math.floor(rand() * 4)]!;
    const clock = new FakeClock();
    const throttle = createThrottle({ limit, windowSeconds, clock, safetyMargin: 0.5 + rand() * 0.5, burst: 1 + Math.floor(rand() * limit) });
    const sends = await simulate(throttle, clock, { senders: 10, total: 400, seed, maxLatencyMs: Math.floor(rand() * windowSeconds * 100) });
    expect(maxInAnyWindow(sends, windowSeconds * 1000)).toBeLessThanOrEqual(throttle.state().effectiveLimit);
  });
});

describe('createThrottle: utilisation and fairness', () => {
  it.each([
    ['default margin: ≥ 97% of 90/min', { safetyMargin: 0.9, limit: 100 }],
    ['no margin: ≥ 97% of 100/min', { safetyMargin: 1, limit: 100 }],
  ] as const)('%s over 100 simulated windows', async (_name, { safetyMargin, limit }) => {
    const windows = 100;
    const horizon = windows * 60_000;
    const clock = new FakeClock();
    const throttle = createThrottle({ limit, windowSeconds: 60, safetyMargin, clock });
    const times: number[] = [];
    // Ten senders that always have work, each with 100 ms of latency per request.
    for (let i = 0; i < 10; i++) {
      void (async () => {
        while (clock.now() < horizon) {
          await throttle.take();
          times.push(clock.now());
          await clock.sleep(100);
        }
      })();
    }
    await clock.runUntil(() => clock.now() >= horizon);
    const inHorizon = times.filter((t) => t < horizon).length;
    const allowed = Math.floor(limit * safetyMargin) * windows;
    expect(inHorizon).toBeLessThanOrEqual(allowed);
    expect(inHorizon / allowed).toBeGreaterThanOrEqual(0.97);
    expect(maxInAnyWindow(times, 60_000)).toBeLessThanOrEqual(Math.floor(limit * safetyMargin));
  });

  it('serves concurrent callers first come, first served', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({ limit: 2, windowSeconds: 1, safetyMargin: 1, burst: 1, clock });
    const order: number[] = [];
    const takes = Array.from({ length: 8 }, (_, i) => throttle.take().then(() => order.push(i)));
    await clock.runUntil(() => order.length === 8);
    await Promise.all(takes);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('createThrottle: adapts to the vendor', () => {
  it('waits for the reset when the headers say nothing remains', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({ limit: 100, windowSeconds: 60, clock });
    await throttle.take();
    throttle.observe(parseRateLimitHeaders({ 'X-Rate-Limit-Limit': '100', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': '30' }, new Date()));
    let at = -1;
    void throttle.take().then(() => (at = clock.now()));
    await clock.runUntil(() => at >= 0);
    expect(at).toBe(30_000);
  });

  it('spends what remains until the reset, and no more', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({ limit: 100, windowSeconds: 60, burst: 90, clock });
    throttle.observe(parseRateLimitHeaders({ RateLimit: 'limit=100, remaining=10, reset=20' }, new Date()));
    const sends = await simulate(throttle, clock, { senders: 10, total: 20, seed: 1, maxLatencyMs: 0 });
    expect(sends.filter((t) => t < 20_000)).toHaveLength(10); // `remaining` counts every client's calls: used in full
  });

  it('lowers its rate to a smaller limit in the headers, and never raises it', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({ limit: 100, windowSeconds: 60, clock });
    throttle.observe(parseRateLimitHeaders({ 'RateLimit-Policy': '"permin";q=50;w=60' }, new Date()));
    expect(throttle.state().effectiveLimit).toBe(margin(50));
    throttle.observe(parseRateLimitHeaders({ 'RateLimit-Policy': '"permin";q=5000;w=60' }, new Date()));
    expect(throttle.state().effectiveLimit).toBe(margin(50));
    const sends = await simulate(throttle, clock, { senders: 10, total: 300, seed: 3, maxLatencyMs: 50 });
    expect(maxInAnyWindow(sends, 60_000)).toBeLessThanOrEqual(margin(50));
  });

  it('stays within the configured limit whatever the headers claim, however they interleave', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({ limit: 60, windowSeconds: 60, burst: 54, clock });
    const rand = random(42);
    const sends = await simulate(throttle, clock, {
      senders: 10,
      total: 600,
      seed: 42,
      maxLatencyMs: 1000,
      onSend: () => {
        // Stale, generous and contradictory headers: none may push recon above its configured limit.
        const remaining = Math.floor(rand() * 10_000);
        throttle.observe(parseRateLimitHeaders({ 'X-RateLimit-Limit': String(60 + Math.floor(rand() * 1000)), 'X-RateLimit-Remaining': String(remaining), 'X-RateLimit-Reset': String(Math.ceil(rand() * 60)) }, new Date()));
      },
    });
    expect(maxInAnyWindow(sends, 60_000)).toBeLessThanOrEqual(margin(60));
  });

  it('slows to a longer window’s lower rate (1000/day)', () => {
    const throttle = createThrottle({ limit: 100, windowSeconds: 60, clock: new FakeClock() });
    throttle.observe(parseRateLimitHeaders({ 'RateLimit-Policy': '"permin";q=100;w=60, "perday";q=1000;w=86400' }, new Date()));
    expect(throttle.state().ratePerSecond).toBeCloseTo(margin(1000) / 86400, 6);
  });

  it('pauses everyone after a 429 for Retry-After', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({ limit: 600, windowSeconds: 60, clock });
    const sends: number[] = [];
    const run = simulate(throttle, clock, {
      senders: 10,
      total: 40,
      seed: 2,
      maxLatencyMs: 200,
      onSend: (n) => {
        if (n === 20) throttle.observe(parseRateLimitHeaders({ 'Retry-After': '15' }, new Date()));
      },
    });
    sends.push(...(await run));
    const penaltyAt = sends[19]!;
    expect(sends.slice(20).every((t) => t >= penaltyAt + 15_000)).toBe(true);
  });

  it('rejects with RECON_THROTTLE_WAIT_TOO_LONG rather than wait a day', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({ limit: 100, windowSeconds: 60, clock });
    throttle.penalise(86_400);
    const results = await Promise.allSettled([throttle.take(), throttle.take()]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const error = (r as PromiseRejectedResult).reason as ThrottleWaitTooLongError;
      expect(error).toBeInstanceOf(ThrottleWaitTooLongError);
      expect(error.code).toBe('RECON_THROTTLE_WAIT_TOO_LONG');
      expect(error.exitCode).toBe(3);
    }
    expect(throttle.state().waiting).toBe(0);
  });

  it('rejects callers already waiting when a long penalty arrives', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({ limit: 1, windowSeconds: 10, safetyMargin: 1, maxWaitMs: 60_000, clock });
    await throttle.take();
    const waiting = throttle.take();
    const outcome = waiting.then(() => 'sent', (e: ThrottleWaitTooLongError) => e.code);
    await settle();
    throttle.penalise(3600);
    let result = '';
    void outcome.then((r) => (result = r));
    await clock.runUntil(() => result !== '');
    expect(result).toBe('RECON_THROTTLE_WAIT_TOO_LONG');
  });

  it('lets a caller give up waiting with an AbortSignal, without spending a send', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({ limit: 1, windowSeconds: 10, safetyMargin: 1, clock });
    await throttle.take();
    const controller = new AbortController();
    const gaveUp = throttle.take(controller.signal).then(() => 'sent', (e: unknown) => e);
    const next = throttle.take();
    controller.abort(new Error('stop'));
    expect(await gaveUp).toMatchObject({ message: 'stop' });
    let at = -1;
    void next.then(() => (at = clock.now()));
    await clock.runUntil(() => at >= 0);
    expect(at).toBe(10_000);
    expect(throttle.state().sent).toBe(2);
  });

  it.each([
    ['limit 0', { limit: 0, windowSeconds: 60 }],
    ['window 0', { limit: 10, windowSeconds: 0 }],
    ['margin above 1', { limit: 10, windowSeconds: 60, safetyMargin: 1.5 }],
  ])('refuses %s', (_name, options) => {
    expect(() => createThrottle(options)).toThrow(RangeError);
  });
});
