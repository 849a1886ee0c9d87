/**
 * The throttle that `recon limits`, `recon probe` and the runtime put in front of one "send"
 * function (CONVENTIONS.md habit 6). Three gates, the strictest wins:
 *
 *   1. a sliding-window log: never more than `floor(limit × safetyMargin)` sends in any window of
 *      `windowSeconds` — the guarantee, whatever the vendor's window alignment;
 *   2. a token bucket refilled at that rate with `burst` tokens: spreads the window's quota
 *      evenly instead of firing it all at once, which a vendor running a token bucket itself
 *      would answer with 429s;
 *   3. what the vendor says: `remaining`/`reset` from its headers (adapting down, never up beyond
 *      the configured limit) and `Retry-After` after a 429 (RFC 9110 §10.2.3), which pauses
 *      every caller.
 *
 * Callers are served first come, first served. A wait longer than `maxWaitMs` rejects with
 * `RECON_THROTTLE_WAIT_TOO_LONG` instead of hanging a batch for a day on a long Retry-After.
 */
import { ExitCode, ReconError } from '../errors.js';
import type { RateLimitHeaders } from './types.js';
import { waitInLine, type Waiter } from './waiters.js';

/** Time as the throttle sees it; inject a fake one in tests. */
export interface ThrottleClock {
  /** Milliseconds (any epoch; only differences matter). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface ThrottleOptions {
  /** Requests the vendor allows per window. */
  limit: number;
  windowSeconds: number;
  /** Sends allowed back to back (bucket size). Default: a tenth of the window's quota, at least 1. */
  burst?: number;
  /** Share of the limit recon uses, leaving room for other clients and clock skew. Default 0.9. */
  safetyMargin?: number;
  /** Longest single wait before `take()` rejects. Default: one window, at least 60 s. */
  maxWaitMs?: number;
  clock?: ThrottleClock;
}

/** Every default in one place (CONVENTIONS.md habit 5). */
export const THROTTLE_DEFAULTS = {
  /**
   * 2 % below the limit: room for clock drift between recon's window and the vendor's, and for
   * a stray call from another client of the same quota, while a batch still runs at ≥ 97 % of
   * the limit (bench/RESULTS.md). What the vendor's headers say (`remaining`) is used in full:
   * it already counts every client's calls.
   */
  safetyMargin: 0.98,
  burstShareOfWindow: 0.1,
  minMaxWaitMs: 60_000,
} as const;

export interface ThrottleState {
  /** Sends allowed per window now, after the safety margin and what the headers said. */
  effectiveLimit: number;
  /** Sends per second the bucket refills at. */
  ratePerSecond: number;
  /** Clock time until which a penalty pauses every caller (0: none). */
  pausedUntil: number;
  /** Callers waiting in `take()`. */
  waiting: number;
  /** Sends so far. */
  sent: number;
}

export interface Throttle {
  /**
   * Resolves when one request may be sent; rejects with {@link ThrottleWaitTooLongError}, or
   * with the signal's reason when `signal` aborts first (Ctrl-C, a budget spent).
   */
  take(signal?: AbortSignal): Promise<void>;
  /** Adapt to a response's rate-limit headers: lower the limit, spend `remaining` until `reset`, honour `Retry-After`. */
  observe(headers: RateLimitHeaders): void;
  /** After a 429: pause everyone for `retryAfterSeconds`. */
  penalise(retryAfterSeconds: number): void;
  state(): ThrottleState;
}

/** `take()` would have to wait longer than `maxWaitMs`. Exit 3: the vendor, not the input, is the cause. */
export class ThrottleWaitTooLongError extends ReconError {
  readonly code = 'RECON_THROTTLE_WAIT_TOO_LONG';
  readonly exitCode = ExitCode.runtime;
  constructor(readonly waitMs: number, readonly maxWaitMs: number) {
    super(`the rate limit asks recon to wait ${Math.ceil(waitMs / 1000)} s, more than the ${Math.ceil(maxWaitMs / 1000)} s it may wait`, {
      hint: 'try again after the vendor\'s quota resets, or allow a longer wait (maxWaitMs)',
    });
  }
}

export const systemClock: ThrottleClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * @example
 * const throttle = createThrottle({ limit: 100, windowSeconds: 60 }); // ≤ 90 per minute, bursts of 9
 * for (const item of batch) {
 *   await throttle.take();
 *   const response = await send(item);
 *   throttle.observe(parseRateLimitHeaders(response.headers, new Date()));
 * }
 */
export function createThrottle(options: ThrottleOptions): Throttle {
  const o = normaliseThrottleOptions(options);
  const windowMs = o.windowSeconds * 1000;
  const configured = effectiveLimitFor(o.limit, o.safetyMargin);
  let effectiveLimit = configured;
  let ratePerMs = configured / windowMs;
  let capacity = Math.min(o.burst, configured);
  let tokens = capacity;
  let refilledAt = o.clock.now();
  let pausedUntil = 0;
  let sent = 0;
  /** Responses observed: `sent - observed` calls are in flight. */
  let observed = 0;
  /** Send times, oldest first; those before `head` have left the window. */
  const log: number[] = [];
  let head = 0;
  /** What each vendor policy said is left, until when. */
  const allowances = new Map<string, { remaining: number; until: number }>();
  const queue: Waiter[] = [];
  let pumping = false;

  const refill = (now: number) => {
    tokens = Math.min(capacity, tokens + (now - refilledAt) * ratePerMs);
    refilledAt = now;
  };

  /** Milliseconds until the next send may go (0: now). */
  const waitFor = (now: number): number => {
    refill(now);
    while (head < log.length && log[head]! + windowMs <= now) head++;
    if (head > 1024 && head * 2 > log.length) {
      log.splice(0, head);
      head = 0;
    }
    let wait = Math.max(0, pausedUntil - now);
    if (log.length - head >= effectiveLimit) wait = Math.max(wait, log[log.length - effectiveLimit]! + windowMs - now);
    if (tokens < 1 - 1e-9) wait = Math.max(wait, (1 - tokens) / ratePerMs);
    for (const [key, a] of allowances) {
      if (a.until <= now) allowances.delete(key);
      else if (a.remaining <= 0) wait = Math.max(wait, a.until - now);
    }
    return wait;
  };

  const grant = (now: number) => {
    tokens = Math.max(0, tokens - 1);
    log.push(now);
    for (const a of allowances.values()) a.remaining--;
    sent++;
  };

  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      while (queue.length > 0) {
        const now = o.clock.now();
        const wait = waitFor(now);
        if (wait <= 0) {
          grant(now);
          queue.shift()!.resolve();
        } else if (wait > o.maxWaitMs) {
          const error = new ThrottleWaitTooLongError(wait, o.maxWaitMs);
          for (const waiter of queue.splice(0)) waiter.reject(error);
        } else {
          await o.clock.sleep(Math.ceil(wait));
        }
      }
    } finally {
      pumping = false;
    }
  };

  return {
    take: (signal) => waitInLine(queue, signal, () => void pump()),

    observe(headers) {
      const now = o.clock.now();
      observed = Math.min(sent, observed + 1);
      for (const r of headers.readings) {
        if (r.limit !== undefined && r.limit > 0) {
          // A lower quota than configured wins; a higher one never raises recon above the configuration.
          const limit = effectiveLimitFor(r.limit, o.safetyMargin);
          const window = r.windowSeconds ?? o.windowSeconds;
          if (window === o.windowSeconds && limit < effectiveLimit) effectiveLimit = limit;
          if (limit / (window * 1000) < ratePerMs) {
            refill(now);
            ratePerMs = limit / (window * 1000);
          }
          capacity = Math.min(capacity, effectiveLimit);
          tokens = Math.min(tokens, capacity);
        }
        // A reset in whole seconds is only that precise: at one second or less it may be a
        // fraction of a second away, and waiting the full second would halve a 1-second
        // window's throughput. The sliding log keeps such short windows within the limit.
        if (r.remaining !== undefined && r.resetSeconds !== undefined && r.resetSeconds > 1) {
          // `remaining` counts what the vendor had seen when it answered: the calls still in
          // flight (granted, not yet observed) will spend part of it too.
          const remaining = Math.max(0, r.remaining - Math.max(0, sent - observed));
          const until = now + r.resetSeconds * 1000;
          const key = `${r.dialect}|${r.policy ?? ''}|${r.partitionKey ?? ''}`;
          const before = allowances.get(key);
          // Responses arrive out of order: within the same window the lower count is the newer one.
          const sameWindow = before !== undefined && Math.abs(before.until - until) < 1000;
          allowances.set(key, { remaining: sameWindow ? Math.min(before.remaining, remaining) : remaining, until });
        }
      }
      if (headers.retryAfterSeconds !== undefined) this.penalise(headers.retryAfterSeconds);
    },

    penalise(retryAfterSeconds) {
      if (!Number.isFinite(retryAfterSeconds) || retryAfterSeconds <= 0) return;
      pausedUntil = Math.max(pausedUntil, o.clock.now() + retryAfterSeconds * 1000);
    },

    state: () => ({ effectiveLimit, ratePerSecond: ratePerMs * 1000, pausedUntil, waiting: queue.length, sent }),
  };
}

/** The options with every default written out; bad values fail fast. */
export function normaliseThrottleOptions(options: ThrottleOptions): Required<ThrottleOptions> {
  const { limit, windowSeconds } = options;
  const safetyMargin = options.safetyMargin ?? THROTTLE_DEFAULTS.safetyMargin;
  if (!(limit >= 1) || !Number.isFinite(limit)) throw new RangeError(`throttle limit must be at least 1, got ${limit}`);
  if (!(windowSeconds > 0) || !Number.isFinite(windowSeconds)) throw new RangeError(`throttle windowSeconds must be positive, got ${windowSeconds}`);
  if (!(safetyMargin > 0 && safetyMargin <= 1)) throw new RangeError(`throttle safetyMargin must be in (0, 1], got ${safetyMargin}`);
  const effective = effectiveLimitFor(limit, safetyMargin);
  return {
    limit,
    windowSeconds,
    safetyMargin,
    burst: Math.max(1, Math.floor(options.burst ?? Math.ceil(effective * THROTTLE_DEFAULTS.burstShareOfWindow))),
    maxWaitMs: options.maxWaitMs ?? Math.max(windowSeconds * 1000, THROTTLE_DEFAULTS.minMaxWaitMs),
    clock: options.clock ?? systemClock,
  };
}

/** The `limit` per `windowSeconds` the throttle actually sends at, for planning (`recon plan`). */
export function effectiveLimitFor(limit: number, safetyMargin: number = THROTTLE_DEFAULTS.safetyMargin): number {
  // The margin in whole requests, rounded down: 2% of 100/min keeps 2 back, 2% of 10/s keeps
  // none (a tenth of a request cannot be kept back; flooring 9.8 to 9 would throw away 10%).
  return Math.max(1, limit - Math.floor(limit * (1 - safetyMargin) + 1e-9));
}
