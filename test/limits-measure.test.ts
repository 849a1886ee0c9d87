/**
 * `measureLimits` against small rate limiters on loopback, each a real `http.createServer`:
 * fixed window (with and without headers), token bucket, always 429, never limited, a
 * connection closed instead of answered, garbage headers, a Retry-After of a day, and two
 * operations sharing one limit or not. Windows are short (1–2 s) so the suite stays fast.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTarget } from '../src/config/defaults.js';
import { chooseOperations, documentedLimit, measureLimits, type MeasureLimitsOptions } from '../src/limits/measure/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterAll(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A fixed window that starts at the first call after the previous one ended (express-rate-limit's MemoryStore does the same). */
function fixedWindow(limit: number, windowMs: number, options: { headers?: boolean; refuse?: 'close' | 429; retryAfter?: boolean; key?: (req: IncomingMessage) => string } = {}): Handler {
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res) => {
    const key = options.key?.(req) ?? 'all';
    const now = Date.now();
    let w = windows.get(key);
    if (w === undefined || now >= w.start + windowMs) windows.set(key, (w = { start: now, count: 0 }));
    const reset = Math.ceil((w.start + windowMs - now) / 1000);
    const headers: Record<string, string> = options.headers ? { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(Math.max(0, limit - w.count - 1)), 'X-RateLimit-Reset': String(reset) } : {};
    if (w.count >= limit) {
      if (options.refuse === 'close') return void req.socket.destroy();
      res.writeHead(429, { ...headers, ...(options.retryAfter ? { 'Retry-After': String(reset) } : {}), 'content-type': 'text/plain' }).end('Too Many Requests');
      return;
    }
    w.count++;
    res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end('{"data":[]}');
  };
}

function tokenBucket(capacity: number, perSecond: number): Handler {
  let tokens = capacity;
  let at = Date.now();
  return (_req, res) => {
    const now = Date.now();
    tokens = Math.min(capacity, tokens + ((now - at) / 1000) * perSecond);
    at = now;
    if (tokens < 1) return void res.writeHead(429).end();
    tokens -= 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
  };
}

const fast = { startRatePerSecond: 20, maxRatePerSecond: 80, maxDurationMs: 15_000 } satisfies Partial<MeasureLimitsOptions>;

function options(baseUrl: string, extra: Partial<MeasureLimitsOptions> = {}, paths = ['/items']): MeasureLimitsOptions {
  const target = { ...buildTarget('test', { baseUrl }), ...(extra.target ?? {}) };
  return { ...fast, ...extra, target, operations: chooseOperations({ target, paths }) };
}

describe.concurrent('measureLimits', () => {
  it('concludes from complete headers in two calls', async () => {
    const url = await serve(fixedWindow(30, 60_000, { headers: true }));
    const result = await measureLimits(options(url, { documented: { limit: 100, windowSeconds: 60, text: 'Each client may make 100 requests per minute.', location: 'doc#/info' } }));
    expect(result.requests).toBe(2);
    expect(result.method).toBe('headers');
    expect(result.estimate.limit).toMatchObject({ value: 30, source: 'headers' });
    expect(result.estimate.windowSeconds).toMatchObject({ value: 60, source: 'headers' });
    expect(result.estimate.policy?.value).toBe('fixed-window');
    expect(result.findings).toEqual([
      expect.objectContaining({ kind: 'limit-disagreement', documented: expect.objectContaining({ limit: 100, windowSeconds: 60 }), observed: expect.objectContaining({ limit: 30, windowSeconds: 60 }) }),
    ]);
    expect(result.conclusion).toBe('Limit: 30 requests per 60 s (fixed window) — headers, confidence medium; the document says 100 per 60 s: disagreement');
  });

  it('reads a reset written as epoch seconds (rounded up) as the window: bug, 10 s read as 11 s', async () => {
    const started = new Map<string, number>();
    const url = await serve((_req, res) => {
      const start = started.get('all') ?? Date.now();
      started.set('all', start);
      // express-rate-limit's legacy headers: the reset instant rounded up to its epoch second.
      res.writeHead(200, { 'X-RateLimit-Limit': '30', 'X-RateLimit-Remaining': '29', 'X-RateLimit-Reset': String(Math.ceil((start + 10_000) / 1000)) }).end('[]');
    });
    for (let i = 0; i < 3; i++) {
      started.clear();
      const result = await measureLimits(options(url));
      expect(result.estimate.windowSeconds?.value).toBe(10);
    }
  });

  it('measures a fixed window without headers: count, then the whole quota back at once', async () => {
    const url = await serve(fixedWindow(12, 2000));
    const result = await measureLimits(options(url));
    expect(result.method).toBe('ramp');
    expect(result.estimate.limit).toMatchObject({ value: 12, source: 'measured' });
    expect(result.estimate.windowSeconds?.value).toBe(2);
    expect(result.estimate.policy?.value).toBe('fixed-window');
    expect(result.calls.refusedBy.status429).toBeGreaterThan(0);
    expect(result.requests).toBeLessThanOrEqual(12 * 1.2 + 6);
    expect(result.latencyMs?.samples).toBe(12);
  });

  it('honours Retry-After instead of probing', async () => {
    const url = await serve(fixedWindow(10, 2000, { retryAfter: true }));
    const result = await measureLimits(options(url));
    expect(result.estimate.limit?.value).toBe(10);
    expect(result.estimate.windowSeconds?.value).toBe(2);
    expect(result.estimate.policy?.value).toBe('fixed-window');
  });

  it('takes a 503 with Retry-After as a refusal', async () => {
    const windows = fixedWindow(10, 2000, { retryAfter: true });
    const url = await serve((req, res) => {
      const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, string>) => ServerResponse;
      (res as unknown as { writeHead: typeof writeHead }).writeHead = (status, headers) => writeHead(status === 429 ? 503 : status, headers);
      windows(req, res);
    });
    const result = await measureLimits(options(url));
    expect(result.calls.refusedBy.status503).toBeGreaterThan(0);
    expect(result.estimate.limit?.value).toBe(10);
    expect(result.estimate.windowSeconds?.value).toBe(2);
  });

  it('tells a sliding window: nothing back early, then calls age out one by one', async () => {
    const log: number[] = [];
    const url = await serve((_req, res) => {
      const now = Date.now();
      while (log.length > 0 && log[0]! <= now - 3000) log.shift();
      if (log.length >= 8) return void res.writeHead(429).end();
      log.push(now);
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    // A slower start spaces the first calls out (200 ms), so they age out one at a time, well
    // apart compared with the confirming calls (at 80/s); a 3 s window ends well after the early
    // probes (a window ending within a second of the refusal would look like a bucket).
    const result = await measureLimits(options(url, { startRatePerSecond: 5 }));
    expect(result.estimate.limit?.value).toBe(8);
    expect(result.estimate.windowSeconds?.value).toBe(3);
    expect(result.estimate.policy?.value).toBe('sliding-window');
  });

  it('tells a token bucket by the trickle, and measures its refill rate', async () => {
    const url = await serve(tokenBucket(6, 10));
    const result = await measureLimits(options(url));
    expect(result.estimate.policy?.value).toBe('token-bucket');
    expect(result.estimate.windowSeconds?.value).toBe(1);
    expect(result.estimate.limit!.value).toBeGreaterThanOrEqual(9);
    expect(result.estimate.limit!.value).toBeLessThanOrEqual(11);
    expect(result.estimate.burst!.value).toBeGreaterThanOrEqual(4);
    expect(result.estimate.burst!.value).toBeLessThanOrEqual(9);
  });

  it('says so in words when every call is refused', async () => {
    const url = await serve((_req, res) => void res.writeHead(429, { 'Retry-After': '1' }).end());
    const result = await measureLimits(options(url, { budget: 10, maxDurationMs: 4000 }));
    expect(result.estimate).toEqual({});
    expect(result.conclusion).toMatch(/^every call refused: \d+ of \d+ calls got HTTP 429, Retry-After 1 s/);
  });

  it('says so when nothing limits within the budget', async () => {
    const url = await serve(fixedWindow(1_000_000, 60_000));
    const result = await measureLimits(options(url, { budget: 40 }));
    expect(result.estimate).toEqual({});
    expect(result.requests).toBeLessThanOrEqual(40);
    expect(result.conclusion).toMatch(/^no limit observed within \d+ calls at up to \d+(\.\d)?\/s$/);
  });

  it('tells a server that queues calls instead of refusing them (a leaky bucket that delays)', async () => {
    let nextFree = 0;
    const url = await serve((_req, res) => {
      const now = Date.now();
      const start = Math.max(now, nextFree);
      nextFree = start + 100; // 10 per second, one after the other
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('[]'), start - now);
    });
    const result = await measureLimits(options(url, { budget: 40 }));
    expect(result.estimate.policy?.value).toBe('leaky-bucket');
    expect(result.estimate.limit?.value).toBeGreaterThanOrEqual(9);
    expect(result.estimate.limit?.value).toBeLessThanOrEqual(11);
    expect(result.estimate.windowSeconds?.value).toBe(1);
  });

  it('tells a merely slow server from a queue: calls at once come back together', async () => {
    const url = await serve((_req, res) => void setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('[]'), 100));
    const result = await measureLimits(options(url, { budget: 40 }));
    expect(result.estimate).toEqual({});
    expect(result.conclusion).toMatch(/^no limit observed within \d+ calls at up to \d+\/s \(answered at [\d.]+\/s\)$/);
    expect(result.notes.join(' ')).toMatch(/the server is slow, not limiting/);
  });

  it('counts a connection closed instead of answered as a refusal', async () => {
    const url = await serve(fixedWindow(8, 2000, { refuse: 'close' }));
    const result = await measureLimits(options(url));
    expect(result.calls.refusedBy.connectionClosed).toBeGreaterThan(0);
    expect(result.estimate.limit?.value).toBe(8);
    expect(result.estimate.limit?.evidence.join(' ')).toMatch(/connection closed unanswered \(ECONNRESET\)/);
    expect(result.estimate.windowSeconds?.value).toBe(2);
  });

  it('surfaces garbage headers as a finding and measures anyway', async () => {
    const inner = fixedWindow(8, 2000);
    const url = await serve((req, res) => {
      res.setHeader('X-RateLimit-Limit', '-5');
      res.setHeader('X-RateLimit-Remaining', 'lots');
      inner(req, res);
    });
    const result = await measureLimits(options(url));
    expect(result.method).toBe('ramp');
    expect(result.headers.problems.length).toBeGreaterThan(0);
    expect(result.findings.some((f) => f.kind === 'unparseable-headers')).toBe(true);
    expect(result.estimate.limit?.value).toBe(8);
  });

  it('does not wait a Retry-After of a day', async () => {
    const inner = fixedWindow(5, 86_400_000);
    const url = await serve((req, res) => {
      res.setHeader('Retry-After', '86400');
      inner(req, res);
    });
    const started = Date.now();
    const result = await measureLimits(options(url));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.stoppedEarly).toMatch(/asked to wait 1 days? \(Retry-After\).*not waiting|asked to wait 24 h/);
    expect(result.estimate.limit?.value).toBe(5);
    expect(result.estimate.windowSeconds).toBeUndefined();
  });

  it('tells a global limit from a per-operation one with a second operation', async () => {
    const shared = await serve(fixedWindow(8, 2000));
    const perPath = await serve(fixedWindow(8, 2000, { key: (req) => req.url ?? '' }));
    const global = await measureLimits(options(shared, {}, ['/a', '/b']));
    const separate = await measureLimits(options(perPath, {}, ['/a', '/b']));
    expect(global.estimate.scope?.value).toBe('global');
    expect(separate.estimate.scope?.value).toBe('per-operation');
  });

  it('records every call as redacted HAR: a header secret appears nowhere', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recon-limits-'));
    try {
      const url = await serve(fixedWindow(6, 1000));
      const canary = 'canary-limits-7f3e9a';
      const target = { ...buildTarget('test', { baseUrl: url }), headers: { 'X-Api-Key': canary } };
      const har = join(dir, 'limits.har');
      const result = await measureLimits({ ...fast, target, operations: chooseOperations({ target, paths: ['/items'] }), recordingPath: har });
      const text = await readFile(har, 'utf8');
      const entries = (JSON.parse(text) as { log: { entries: unknown[] } }).log.entries;
      expect(entries.length).toBe(result.requests);
      expect(text).not.toContain(canary);
      expect(JSON.stringify(result)).not.toContain(canary);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads the documented quota from the inventory statements', () => {
    const hints = { documentedHeaders: [], mentionedHeaders: [], operationsWith429: 0, statements: [{ text: 'Each client may make 100 requests per minute.', location: 'x' }] };
    expect(documentedLimit(hints)).toMatchObject({ limit: 100, windowSeconds: 60 });
    expect(documentedLimit({ ...hints, statements: [{ text: 'Limit: 5,000 calls/hour per token.', location: 'y' }] })).toMatchObject({ limit: 5000, windowSeconds: 3600 });
    expect(documentedLimit({ ...hints, statements: [{ text: 'We may throttle you.', location: 'z' }] })).toBeUndefined();
  });
});
