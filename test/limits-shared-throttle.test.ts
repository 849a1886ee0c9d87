/**
 * The throttle shared by every worker through the store: the pure decision (shared-bucket.ts),
 * the throttle around it with a fake clock (in memory, then four SQLite stores on one file), and
 * in real time three processes against a loopback server that counts what arrives.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyObservations,
  createSharedThrottle,
  decidePermits,
  parseRateLimitHeaders,
  permitTtlFor,
  SHARED_BUCKET_DEFAULTS,
  sharedThrottleKey,
  ThrottleWaitTooLongError,
  type SharedBucketState,
  type SharedPolicy,
} from '../src/limits/index.js';
import { SqliteStore } from '../src/runtime/store/index.js';
import { FakeClock, maxInAnyWindow, MemoryStateStore, random, settle, simulateWorkers } from './helpers/shared-throttle-sim.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'recon-shared-throttle-'));
  dirs.push(dir);
  return dir;
}

/** Replay `decidePermits` over (gap, want) steps; every permit's grant and latest-use times. */
function replay(policyAt: (step: number) => SharedPolicy, steps: [number, number][]): { grants: number[]; latest: number[]; state: SharedBucketState | undefined } {
  let state: SharedBucketState | undefined;
  let now = 1_000_000;
  const grants: number[] = [];
  const latest: number[] = [];
  steps.forEach(([gap, want], i) => {
    now += gap;
    const d = decidePermits(state, policyAt(i), want, now);
    state = JSON.parse(JSON.stringify(d.state)) as SharedBucketState;
    for (let k = 0; k < d.granted; k++) grants.push(now), latest.push(now + d.permitTtlMs);
    if (d.granted === 0 && want > 0) expect(d.waitMs).toBeGreaterThan(0);
  });
  return { grants, latest, state };
}

describe('decidePermits', () => {
  const p20: SharedPolicy = { limit: 20, windowMs: 1000, burst: 2 };

  it('grants a burst, then one permit per slot', () => {
    const first = decidePermits(undefined, p20, 5, 0);
    expect(first).toMatchObject({ granted: 2, waitMs: 0, permitTtlMs: 15 });
    const next = decidePermits(first.state, p20, 1, 10);
    expect(next.granted).toBe(0);
    expect(next.waitMs).toBeCloseTo(40, 6); // 0.2 of a token refilled at 20/s: 0.8 × 50 ms
    expect(decidePermits(next.state, p20, 1, 50).granted).toBe(1);
  });

  it('never grants more than the limit in any window, sent at grant or at the latest use (property)', () => {
    fc.assert(
      fc.property(
        fc.record({ limit: fc.integer({ min: 1, max: 60 }), windowMs: fc.constantFrom(1000, 10_000, 60_000), burstShare: fc.double({ min: 0, max: 1, noNaN: true }) }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 70 })), { minLength: 1, maxLength: 300 }),
        ({ limit, windowMs, burstShare }, steps) => {
          const policy = { limit, windowMs, burst: Math.max(1, Math.round(limit * burstShare)) };
          const { grants, latest, state } = replay(() => policy, steps);
          expect(maxInAnyWindow(grants, windowMs)).toBeLessThanOrEqual(limit);
          expect(maxInAnyWindow(latest, windowMs)).toBeLessThanOrEqual(limit);
          expect(state?.log.reduce((n, [, k]) => n + k, 0) ?? 0).toBeLessThanOrEqual(limit + 70);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('keeps the log no longer than the limit, and uses ≥ 97 % of it', () => {
    const policy = { limit: 1000, windowMs: 1000, burst: 100 };
    const steps = Array.from({ length: 8000 }, () => [1, 5] as [number, number]);
    const { grants, state } = replay(() => policy, steps);
    expect(state!.log.reduce((n, [, k]) => n + k, 0)).toBeLessThanOrEqual(1000);
    expect(maxInAnyWindow(grants, 1000)).toBeLessThanOrEqual(1000);
    expect(grants.length / 8000).toBeGreaterThanOrEqual(0.97);
  });

  it('above the log cap: bucket only, slowed so that bucket plus refill stays within the limit', () => {
    const policy = { limit: 100_000, windowMs: 1000, burst: 10_000 };
    expect(policy.limit).toBeGreaterThan(SHARED_BUCKET_DEFAULTS.maxLogEntries);
    const rand = random(3);
    const steps = Array.from({ length: 6000 }, () => [Math.floor(rand() * 3), 1 + Math.floor(rand() * 256)] as [number, number]);
    const { grants, latest, state } = replay(() => policy, steps);
    expect(state!.log).toEqual([]);
    expect(maxInAnyWindow(grants, 1000)).toBeLessThanOrEqual(100_000);
    expect(maxInAnyWindow(latest, 1000)).toBeLessThanOrEqual(100_000);
    const span = (grants.at(-1)! - grants[0]!) / 1000;
    // The price of no log: a 2 % bucket, and windows counted 3 permit lifetimes (45 ms) longer.
    expect(grants.length / span).toBeGreaterThan(0.93 * 100_000);
  });

  it('the stricter of two workers’ configurations wins, and lapses when nobody asserts it', () => {
    const fast = { limit: 20, windowMs: 1000, burst: 2 };
    const slow = { limit: 10, windowMs: 1000, burst: 1 };
    // Two workers alternate for 30 s, then the slow one stops; the fast one runs on alone.
    const steps = Array.from({ length: 6000 }, () => [25, 1] as [number, number]);
    const { grants } = replay((i) => (i < 1200 && i % 2 === 1 ? slow : fast), steps);
    const inFirst30s = grants.filter((t) => t < grants[0]! + 30_000);
    expect(maxInAnyWindow(inFirst30s, 1000)).toBeLessThanOrEqual(10);
    // The slow policy was last asserted at 30 s; it holds for a minute more, then 20/s again.
    const late = grants.filter((t) => t >= grants[0]! + 30_000 + SHARED_BUCKET_DEFAULTS.minPolicyTtlMs + 1000);
    expect(maxInAnyWindow(late, 1000)).toBeGreaterThan(15);
    expect(maxInAnyWindow(grants, 1000)).toBeLessThanOrEqual(20);
  });

  it('a pause only ever lengthens; an allowance spends what the vendor said remains', () => {
    let s = decidePermits(undefined, p20, 0, 0).state;
    s = applyObservations(s, p20, { pauseMs: 3000 }, 0);
    s = applyObservations(s, p20, { pauseMs: 1000 }, 100);
    expect(s.pausedUntil).toBe(3000);
    expect(decidePermits(s, p20, 1, 2000)).toMatchObject({ granted: 0, waitMs: 1000 });
    s = applyObservations(s, p20, { allowances: { a: { remaining: 1, resetMs: 5000 } } }, 3000);
    const one = decidePermits(s, p20, 2, 3000);
    expect(one.granted).toBe(1);
    // The same reset: the lower count is the newer one (responses arrive out of order).
    s = applyObservations(one.state, p20, { allowances: { a: { remaining: 7, resetMs: 4900 } } }, 3100);
    expect(decidePermits(s, p20, 1, 3100)).toMatchObject({ granted: 0, waitMs: 4900 });
  });

  it.each([
    ['garbage', 'not a state'],
    ['a newer version', { v: 2, everything: 'else' }],
    ['a broken log', { v: 1, policies: [], tokens: 1, refilledAt: 0, log: [['x', 1]], pausedUntil: 0, allowances: {}, granted: 0 }],
  ])('treats %s as a quota just spent: paused one window', (_name, value) => {
    expect(decidePermits(value, p20, 1, 5000)).toMatchObject({ granted: 0, waitMs: 1000 });
  });

  it('gives a permit a lifetime of 1.5 % of the window, between 15 and 250 ms', () => {
    expect([permitTtlFor(100), permitTtlFor(1000), permitTtlFor(10_000), permitTtlFor(60_000)]).toEqual([15, 15, 150, 250]);
  });
});

describe('sharedThrottleKey', () => {
  it.each([
    ['origin only', ['https://api.acme.test/v2/'], 'throttle:https://api.acme.test'],
    ['default port dropped', ['https://api.acme.test:443/x'], 'throttle:https://api.acme.test'],
    ['identity hashed', ['https://api.acme.test/', 'oauth2:https://id.acme.test/token:client-42'], /^throttle:https:\/\/api\.acme\.test#[0-9a-f]{16}$/],
  ] as const)('%s', (_name, args, want) => {
    const key = sharedThrottleKey(...(args as unknown as [string, string?]));
    if (typeof want === 'string') expect(key).toBe(want);
    else expect(key).toMatch(want);
    expect(key).not.toContain('client-42');
  });
});

/** Workers as throttles on stores sharing one state, each with its own fake-clock view. */
function workers(n: number, clock: FakeClock, o: { limit?: number[]; windowSeconds?: number; store?: (i: number) => MemoryStateStore | SqliteStore; maxWaitMs?: number } = {}) {
  const entries = new Map<string, string>();
  const stores = Array.from({ length: n }, (_, i) => o.store?.(i) ?? new MemoryStateStore(entries));
  const throttles = stores.map((store, i) =>
    createSharedThrottle({ store, key: 'throttle:https://api.acme.test', limit: o.limit?.[i] ?? 20, windowSeconds: o.windowSeconds ?? 1, clock, ...(o.maxWaitMs ? { maxWaitMs: o.maxWaitMs } : {}) }),
  );
  return { stores, throttles };
}

describe('createSharedThrottle (fake clock, in-memory store)', () => {
  it('four workers together never exceed the limit, whatever the store’s clock says', async () => {
    const clock = new FakeClock();
    // The "database" is 61 s ahead of every worker: only durations may cross between the clocks.
    const shared = new Map<string, string>();
    const { throttles } = workers(4, clock, { store: () => new MemoryStateStore(shared, () => clock.now() + 61_000) });
    const sends = await simulateWorkers(throttles, clock, { senders: 5, until: 120_000, seed: 1, maxLatencyMs: 300 });
    const all = sends.flat();
    expect(maxInAnyWindow(all, 1000)).toBeLessThanOrEqual(20);
    expect(all.length).toBeGreaterThanOrEqual(0.95 * 20 * 120);
    expect(sends.every((s) => s.length > 0.15 * all.length)).toBe(true);
  });

  it('a store 30 ms away on its own clock: permits outlive the round trip, the limit holds, ≥ 93 % is used', async () => {
    const clock = new FakeClock();
    const shared = new Map<string, string>();
    const { stores, throttles } = workers(4, clock, { limit: [10, 10, 10, 10], store: () => new MemoryStateStore(shared, () => clock.now() - 5_000, { ms: 30, sleep: clock.sleep }) });
    const sends = await simulateWorkers(throttles, clock, { senders: 3, until: 120_000, seed: 9, maxLatencyMs: 200 });
    const all = sends.flat();
    expect(maxInAnyWindow(all, 1000)).toBeLessThanOrEqual(10);
    // Each permit counts the round trip longer in the log (30 of 1000 ms): the slow store's price.
    expect(all.length).toBeGreaterThanOrEqual(0.93 * 10 * 120);
    const trips = stores.reduce((n, s) => n + (s as MemoryStateStore).calls, 0);
    // Four workers race for each slot at 10/s: about one round trip each per permit.
    expect(trips / all.length).toBeLessThan(4.5);
    // Hardly a permit dies on the way back.
    const granted = (JSON.parse(shared.get('throttle:https://api.acme.test')!) as SharedBucketState).granted;
    expect(granted - all.length).toBeLessThan(20);
  });

  it('a 429 seen by one worker pauses all of them for Retry-After', async () => {
    const clock = new FakeClock();
    const { throttles } = workers(3, clock);
    const [a, b, c] = throttles as [ReturnType<typeof createSharedThrottle>, ReturnType<typeof createSharedThrottle>, ReturnType<typeof createSharedThrottle>];
    await a.take();
    clock.t = 5000;
    a.observe(parseRateLimitHeaders({ 'Retry-After': '3' }, new Date()));
    await settle();
    let at = -1;
    void Promise.all([b.take(), c.take()]).then(() => (at = clock.now()));
    await clock.runUntil(() => at >= 0);
    expect(at).toBeGreaterThanOrEqual(8000);
    expect(at).toBeLessThan(8300);
    expect(b.state().pausedUntil).toBe(0);
  });

  it('penalise() is shared too; a pause beyond maxWaitMs rejects, as the local throttle does', async () => {
    const clock = new FakeClock();
    const { throttles } = workers(2, clock, { maxWaitMs: 60_000 });
    throttles[0]!.penalise(120);
    await settle();
    await expect(throttles[1]!.take()).rejects.toBeInstanceOf(ThrottleWaitTooLongError);
  });

  it('a lower limit in one worker’s headers lowers everyone’s', async () => {
    const clock = new FakeClock();
    const { throttles } = workers(2, clock, { limit: [100, 100] });
    await throttles[0]!.take();
    throttles[0]!.observe(parseRateLimitHeaders({ 'RateLimit-Policy': '"persec";q=10;w=1' }, new Date()));
    await settle();
    const sends = await simulateWorkers(throttles.slice(1), clock, { senders: 4, until: 20_000, seed: 2, maxLatencyMs: 50 });
    expect(maxInAnyWindow(sends.flat(), 1000)).toBeLessThanOrEqual(10);
    expect(throttles[1]!.state().effectiveLimit).toBe(10);
  });

  it('remaining/reset from one worker’s response holds every worker to what is left', async () => {
    const clock = new FakeClock();
    const { throttles } = workers(2, clock, { limit: [100, 100], windowSeconds: 60 });
    await throttles[0]!.take();
    throttles[0]!.observe(parseRateLimitHeaders({ 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '3', 'X-RateLimit-Reset': '30' }, new Date()));
    await settle();
    const sends = await simulateWorkers(throttles, clock, { senders: 3, until: 29_000, seed: 3, maxLatencyMs: 10 });
    expect(sends.flat()).toHaveLength(3);
  });

  it('retries a failing store with backoff and never grants without it; gives up after maxWaitMs', async () => {
    const clock = new FakeClock();
    const { stores, throttles } = workers(1, clock, { maxWaitMs: 60_000 });
    const store = stores[0] as MemoryStateStore;
    store.failures = 4;
    let at = -1;
    void throttles[0]!.take().then(() => (at = clock.now()));
    await clock.runUntil(() => at >= 0);
    expect(at).toBe(100 + 200 + 400 + 800);
    expect(store.calls).toBe(5);

    store.failures = Infinity;
    let failed: unknown;
    void throttles[0]!.take().then(() => (failed = 'granted'), (error: unknown) => (failed = error));
    await clock.runUntil(() => failed !== undefined);
    expect(failed).toMatchObject({ message: 'connection lost' });
    expect(clock.now() - at).toBeGreaterThanOrEqual(60_000);
  });

  it('reserves permits in batches at high rates: few round trips per permit', async () => {
    const clock = new FakeClock();
    const { stores, throttles } = workers(1, clock, { limit: [1000] });
    const sends = await simulateWorkers(throttles, clock, { senders: 16, until: 3000, seed: 4, maxLatencyMs: 20 });
    const permits = sends.flat().length;
    expect(permits).toBeGreaterThan(0.9 * 980 * 3);
    expect((stores[0] as MemoryStateStore).calls / permits).toBeLessThan(0.3);
  });

  it('rejects an aborted take without spending a permit', async () => {
    const clock = new FakeClock();
    const { throttles } = workers(1, clock);
    const abort = new AbortController();
    abort.abort(new Error('stopped'));
    await expect(throttles[0]!.take(abort.signal)).rejects.toThrow('stopped');
    expect(throttles[0]!.state().sent).toBe(0);
  });
});

describe('createSharedThrottle on four SQLite stores sharing one file (fake clock)', () => {
  it('the sum over four workers never exceeds the limit in any window, over a long run', async () => {
    const file = join(await tempDir(), 'recon.db');
    const clock = new FakeClock();
    const { stores, throttles } = workers(4, clock, { store: () => SqliteStore.open(file) });
    try {
      const sends = await simulateWorkers(throttles, clock, { senders: 4, until: 600_000, seed: 5, maxLatencyMs: 400 });
      const all = sends.flat();
      expect(maxInAnyWindow(all, 1000)).toBeLessThanOrEqual(20);
      expect(all.length).toBeGreaterThanOrEqual(0.95 * 20 * 600);
    } finally {
      for (const store of stores) await store.close();
    }
  });

  it('keeps the state when a worker with a lower limit joins: everyone slows, then recovers', async () => {
    const file = join(await tempDir(), 'recon.db');
    const clock = new FakeClock();
    const { stores, throttles } = workers(3, clock, { store: () => SqliteStore.open(file), limit: [20, 20, 10] });
    try {
      const before = await simulateWorkers(throttles.slice(0, 2), clock, { senders: 3, until: 10_000, seed: 6, maxLatencyMs: 100 });
      const during = await simulateWorkers(throttles, clock, { senders: 3, until: 40_000, seed: 7, maxLatencyMs: 100 });
      clock.t += SHARED_BUCKET_DEFAULTS.minPolicyTtlMs;
      const after = await simulateWorkers(throttles.slice(0, 2), clock, { senders: 3, until: clock.t + 10_000, seed: 8, maxLatencyMs: 100 });
      // Across the joins no window holds more than the stricter limit allows at that moment.
      expect(maxInAnyWindow([...before.flat(), ...during.flat()], 1000)).toBeLessThanOrEqual(20);
      expect(maxInAnyWindow(during.flat().filter((t) => t >= 11_000), 1000)).toBeLessThanOrEqual(10);
      expect(maxInAnyWindow(after.flat(), 1000)).toBeGreaterThan(15);
      const state = (await stores[0]!.getState('throttle:https://api.acme.test')) as SharedBucketState;
      // One state all along (not reset by the change of configuration); the 10/s policy has lapsed.
      expect(state.granted).toBeGreaterThanOrEqual(before.flat().length + during.flat().length + after.flat().length);
      expect(state.policies.map((p) => p.limit)).toEqual([20]);
    } finally {
      for (const store of stores) await store.close();
    }
  });
});

/** One worker process: `senders` loops of take → GET → observe, from `startAt` until `endAt`. */
const WORKER_SCRIPT = (dist: string) => `
import { createSharedThrottle, parseRateLimitHeaders } from ${JSON.stringify(`${dist}/limits/index.js`)};
import { SqliteStore } from ${JSON.stringify(`${dist}/runtime/store/index.js`)};
const [file, url, limit, startAt, endAt, name] = process.argv.slice(2);
const store = SqliteStore.open(file);
const throttle = createSharedThrottle({ store, key: 'throttle:' + new URL(url).origin, limit: Number(limit), windowSeconds: 1 });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
let sent = 0;
const loop = async () => {
  for (;;) {
    await throttle.take();
    if (Date.now() >= Number(endAt)) return;
    sent++;
    const response = await fetch(url, { headers: { 'x-sent-at': String(Date.now()), 'x-worker': name } });
    await response.arrayBuffer();
    const said = parseRateLimitHeaders([...response.headers], new Date());
    if (response.status !== 429) delete said.retryAfterSeconds;
    throttle.observe(said);
  }
};
await Promise.all([loop(), loop(), loop(), loop()]);
await store.close();
process.stdout.write(JSON.stringify({ sent }));
`;

describe('three worker processes against one loopback vendor (real time)', () => {
  it('never more than 20 in any second, ≥ 90 % of the limit used, and one 429 pauses them all', async () => {
    const { spawn } = await import('node:child_process');
    const { createServer } = await import('node:http');
    const { writeFile } = await import('node:fs/promises');
    const dir = await tempDir();
    const dist = join(process.cwd(), 'dist');
    await writeFile(join(dir, 'worker.mjs'), WORKER_SCRIPT(dist));
    const file = join(dir, 'recon.db');
    await SqliteStore.open(file).close(); // the schema, once, before three processes race to create it

    const startAt = Date.now() + 1500;
    const endAt = startAt + 4000;
    const arrivals: { at: number; sentAt: number; worker: string }[] = [];
    let refusedAt: number | undefined;
    let refusedWorker = '';
    const server = createServer((req, res) => {
      const at = Date.now();
      arrivals.push({ at, sentAt: Number(req.headers['x-sent-at']), worker: String(req.headers['x-worker']) });
      if (refusedAt === undefined && at >= startAt + 2000) {
        refusedAt = at;
        refusedWorker = String(req.headers['x-worker']);
        return res.writeHead(429, { 'Retry-After': '1' }).end('Too Many Requests');
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ping`;
    try {
      const outputs = await Promise.all(
        ['w1', 'w2', 'w3'].map(
          (name) =>
            new Promise<string>((resolve, reject) => {
              const child = spawn(process.execPath, [join(dir, 'worker.mjs'), file, url, '20', String(startAt), String(endAt), name], { stdio: ['ignore', 'pipe', 'pipe'] });
              let out = '';
              let err = '';
              child.stdout.on('data', (chunk: Buffer) => (out += chunk));
              child.stderr.on('data', (chunk: Buffer) => (err += chunk));
              child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${name} exited ${code}: ${err}`))));
            }),
        ),
      );
      const sent = outputs.map((out) => (JSON.parse(out) as { sent: number }).sent);
      const sentAt = arrivals.map((a) => a.sentAt);
      const perSecond = new Map<number, number>();
      for (const a of arrivals) perSecond.set(Math.floor(a.at / 1000), (perSecond.get(Math.floor(a.at / 1000)) ?? 0) + 1);
      const refused = refusedAt!;
      const before = arrivals.filter((a) => a.sentAt < refused);
      const measured = {
        requests: arrivals.length,
        perWorker: sent,
        busiestSlidingSecondBySendTime: maxInAnyWindow(sentAt, 1000),
        busiestSlidingSecondByArrival: maxInAnyWindow(arrivals.map((a) => a.at), 1000),
        busiestServerSecond: Math.max(...perSecond.values()),
        sentInThePauseAfterTheFirst250ms: arrivals.filter((a) => a.sentAt >= refused + 250 && a.sentAt < refused + 1000).length,
        lastSendBeforeThePauseMs: Math.max(...arrivals.filter((a) => a.sentAt < refused + 1000).map((a) => a.sentAt)) - refused,
        firstSendAfterThePauseMs: Math.min(...arrivals.filter((a) => a.sentAt >= refused + 250).map((a) => a.sentAt)) - refused,
        beforeThe429: before.length,
        allowedBeforeThe429: 20 + (20 * (refused - Math.min(...sentAt) - 1000)) / 1000,
      };
      console.log(`shared throttle, 3 processes at 20/s, 429 to ${refusedWorker}: ${JSON.stringify(measured)}`);
      expect(sent.reduce((a, b) => a + b, 0)).toBe(arrivals.length);
      expect(sent.every((n) => n > 0)).toBe(true);
      // The throttle's guarantee, on the send times the workers stamped (one machine, one clock).
      expect(measured.busiestSlidingSecondBySendTime).toBeLessThanOrEqual(20);
      // The 429 paused every process: once it was known (a round trip to the store), nothing was
      // sent until Retry-After had passed.
      expect(measured.sentInThePauseAfterTheFirst250ms).toBe(0);
      expect(measured.firstSendAfterThePauseMs).toBeGreaterThanOrEqual(1000);
      // Before the 429, what the limit allows (a full first window, then 20/s) was used.
      expect(measured.beforeThe429).toBeGreaterThanOrEqual(0.9 * measured.allowedBeforeThe429);
    } finally {
      server.close();
    }
  }, 30_000);
});

describe('the runner with a shared throttle', () => {
  it('two runs on one SQLite file share the connector’s limit through the store', async () => {
    const { createServer } = await import('node:http');
    const { authNone, connectorWorkspace, connectorYaml } = await import('./helpers/runtime-workspace.js');
    const { loadConnector } = await import('../src/runtime/connector/index.js');
    const { runConnector } = await import('../src/runtime/run/index.js');
    let calls = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: ++calls })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const connector = connectorYaml('push-orders-header', { id: 'orderNo', settings: { rateLimit: { limit: 40, windowSeconds: 1 }, concurrency: 4, timeoutMs: 2000 } });
    const dir = await connectorWorkspace(await tempDir(), origin, { 'push-orders': connector }, authNone);
    const loaded = await loadConnector(join(dir, 'connectors', 'push-orders.yaml'), { env: { ACME_CLIENT_SECRET: 'unused' } });
    const file = join(dir, 'recon.db');
    const [a, b] = [SqliteStore.open(file), SqliteStore.open(file)];
    try {
      const records = Array.from({ length: 120 }, (_, i) => ({ orderNo: `SO-${i + 1}`, customer: 10001, product: 5001, qty: 1 }));
      async function* input() {
        for (const [i, record] of records.entries()) yield { line: i + 1, record };
      }
      await runConnector({ loaded, store: a, input: input(), signal: AbortSignal.abort() });
      const [ra, rb] = await Promise.all([runConnector({ loaded, store: a, sharedThrottle: true }), runConnector({ loaded, store: b, sharedThrottle: true })]);
      expect(ra.done + rb.done).toBe(120);
      expect(Math.min(ra.done, rb.done)).toBeGreaterThan(10);
      // One state entry for the target, every permit of both runs granted from it …
      const state = await a.listState('throttle:');
      expect(state.map((s) => s.key)).toEqual([`throttle:${origin}`]);
      expect((state[0]!.value as SharedBucketState).granted).toBeGreaterThanOrEqual(120);
      // … so together they took as long as one 40/s limit needs (two private throttles: half as long).
      // (The window check on send times is the process test's: here the runner's own delay between
      // permit and send, on a loaded machine, would be measured too.)
      const sentAt = (await a.queryAudit({ connector: 'push-orders' })).map((r) => Date.parse(r.at));
      expect(Math.max(...sentAt) - Math.min(...sentAt)).toBeGreaterThanOrEqual(((120 - 40) / 40) * 1000 - 50);
    } finally {
      await a.close();
      await b.close();
      server.close();
    }
  }, 30_000);
});

describe('the sender after a 429', () => {
  it.each([
    ['with Retry-After: 3', { 'Retry-After': '3' }, 3000],
    ['without Retry-After: one window of the limit (here 2 s)', {}, 2000],
  ])('%s pauses every worker on the store', async (_name, headers, pauseMs) => {
    const { createServer } = await import('node:http');
    const { authNone, connectorWorkspace } = await import('./helpers/runtime-workspace.js');
    const { loadConnector } = await import('../src/runtime/connector/index.js');
    const { createSender } = await import('../src/runtime/run/index.js');
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(429, headers).end('Too Many Requests'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const connector = `name: push-orders\nconfig: ../recon.yaml\noperation: createOrder\nmessageId: /orderNo\nrateLimit: { limit: 20, windowSeconds: 2 }\nidempotency: { strategy: header }\n`;
    const dir = await connectorWorkspace(await tempDir(), origin, { 'push-orders': connector }, authNone);
    const loaded = await loadConnector(join(dir, 'connectors', 'push-orders.yaml'), { env: { ACME_CLIENT_SECRET: 'unused' } });
    const file = join(dir, 'recon.db');
    const [a, b] = [SqliteStore.open(file), SqliteStore.open(file)];
    const clock = () => Date.now();
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const one = createSender(loaded, { clock, sleep, sharedThrottle: { store: a, owner: 'one' } });
    const other = createSender(loaded, { clock, sleep, sharedThrottle: { store: b, owner: 'other' } });
    try {
      await one.permit();
      const refusedAt = Date.now();
      const exchange = await one.call({ method: 'POST', url: `${origin}/orders`, headers: [['content-type', 'application/json']], body: '{}' }, 'test');
      expect(exchange.response?.status).toBe(429);
      await new Promise((resolve) => setTimeout(resolve, 20)); // the pause is written to the store
      const state = (await b.getState(`throttle:${origin}`)) as SharedBucketState;
      expect(state.pausedUntil - refusedAt).toBeGreaterThanOrEqual(pauseMs - 50);
      expect(state.pausedUntil - refusedAt).toBeLessThanOrEqual(pauseMs + 500);
      // The other worker learns it from the store on its next permit, and waits.
      const asked = Date.now();
      await other.permit();
      expect(Date.now() - refusedAt).toBeGreaterThanOrEqual(pauseMs - 50);
      expect(Date.now() - asked).toBeGreaterThan(pauseMs / 2);
    } finally {
      await one.close();
      await other.close();
      await a.close();
      await b.close();
      server.close();
    }
  }, 20_000);
});
