/**
 * A fixed-window request limit per client. The document promises 100 requests per minute;
 * the server enforces 60.
 */

export const ENFORCED_LIMIT_PER_MINUTE = 60;
export const DOCUMENTED_LIMIT_PER_MINUTE = 100;
export const WINDOW_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (what X-RateLimit-Reset and Retry-After carry). */
  resetSeconds: number;
}

interface Window {
  startedAt: number;
  count: number;
}

export class FixedWindowRateLimiter {
  readonly #windows = new Map<string, Window>();

  constructor(
    private readonly clock: () => number,
    private readonly limit = ENFORCED_LIMIT_PER_MINUTE,
    private readonly windowMs = WINDOW_MS,
  ) {}

  take(key: string): RateDecision {
    const now = this.clock();
    let window = this.#windows.get(key);
    if (window === undefined || now >= window.startedAt + this.windowMs) {
      this.#forgetExpired(now);
      window = { startedAt: now, count: 0 };
      this.#windows.set(key, window);
    }
    const resetSeconds = Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000));
    if (window.count >= this.limit) return { allowed: false, limit: this.limit, remaining: 0, resetSeconds };
    window.count++;
    return { allowed: true, limit: this.limit, remaining: this.limit - window.count, resetSeconds };
  }

  /** Tokens are per-login buckets; drop the stale ones so the map cannot grow without bound. */
  #forgetExpired(now: number): void {
    for (const [key, window] of this.#windows) {
      if (now >= window.startedAt + this.windowMs) this.#windows.delete(key);
    }
  }
}

export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(decision.resetSeconds),
  };
}
