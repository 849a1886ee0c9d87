/**
 * The probe's manners towards someone else's production: at most `budget` requests, at most
 * `concurrency` at once, at most `ratePerSecond` started per second, and a pause for everyone
 * when the vendor says Retry-After.
 */

export interface SchedulerOptions {
  budget: number;
  concurrency: number;
  ratePerSecond: number;
  /** The longest Retry-After the probe waits for; a longer one ends the probe early. */
  maxWaitMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class CallScheduler {
  /** Requests sent (every exchange, token requests included). */
  spent = 0;
  /** Why the probe stopped early, when it did. */
  stopped: string | undefined;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private nextStart = 0;
  private pausedUntil = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get remaining(): number {
    return Math.max(0, this.options.budget - this.spent);
  }

  /** Count a request that was sent (called for every exchange the client makes). */
  charge(): void {
    this.spent++;
  }

  /**
   * Run `call` when the rules allow; `undefined` (without running it) once the budget is spent
   * or the probe has been stopped.
   */
  async run<T>(call: () => Promise<T>): Promise<T | undefined> {
    await this.acquire();
    try {
      if (this.stopped !== undefined) return undefined;
      if (this.remaining <= 0) {
        this.stopped ??= `budget of ${this.options.budget} requests spent`;
        return undefined;
      }
      await this.waitForTurn();
      if (this.stopped !== undefined) return undefined;
      return await call();
    } finally {
      this.release();
    }
  }

  /** Start no more calls; `reason` is reported as why the probe stopped early. */
  stop(reason: string): void {
    this.stopped ??= reason;
  }

  /** RFC 9110 §10.2.3: wait before the next request; everyone waits. */
  pauseFor(ms: number): boolean {
    if (ms > this.options.maxWaitMs) {
      this.stopped = `the vendor asked to wait ${Math.round(ms / 1000)} s (Retry-After), over the ${Math.round(this.options.maxWaitMs / 1000)} s the probe waits`;
      return false;
    }
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    return true;
  }

  private async waitForTurn(): Promise<void> {
    const interval = 1000 / this.options.ratePerSecond;
    for (;;) {
      const now = this.now();
      const start = Math.max(now, this.nextStart, this.pausedUntil);
      if (start <= now) {
        this.nextStart = now + interval;
        return;
      }
      await this.sleep(start - now);
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.options.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => resolve()));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** Retry-After as delta seconds or an HTTP-date (RFC 9110 §10.2.3), in ms from `now`. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
