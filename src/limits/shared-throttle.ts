/**
 * One rate limit for every worker of one vendor quota, on many processes or machines: the same
 * `Throttle` as throttle.ts, with its state in the store (`Store.transactState`, atomic across
 * workers; on PostgreSQL on the database's clock) instead of in memory. The decision itself is
 * pure and lives in shared-bucket.ts.
 *
 * Each worker keeps a local first-come-first-served queue and one pump that asks the store for
 * as many permits as callers wait, plus those expected within half a permit's lifetime (bounded
 * by what the rate allows in `batchWindowMs`): one round trip serves a batch at high rates.
 * While the quota is the bottleneck, round trips are at least `coalesceMs` apart so that callers
 * gather into batches. A permit not used within its short lifetime is dropped — it was counted
 * as sent, which errs on the safe side. Refused, the pump sleeps for the wait the state names,
 * at most `recheckMs` (another worker may have changed the state), and asks again. What
 * responses say (`observe`, `penalise`) is written with the next request for permits, or at
 * once when none is pending. A store that fails is retried with backoff; no permit is ever
 * granted without it.
 */
import type { RateLimitHeaders } from './types.js';
import { waitInLine, type Waiter } from './waiters.js';
import { applyObservations, decidePermits, permitTtlFor, sharedCapacity, sharedRatePerSecond, type SharedBucketState, type SharedObservations, type SharedPolicy } from './shared-bucket.js';
import { mergeObservations, relativeTo, type PendingObservations } from './shared-pending.js';
import { effectiveLimitFor, normaliseThrottleOptions, ThrottleWaitTooLongError, type Throttle, type ThrottleClock, type ThrottleState } from './throttle.js';

/** The part of the store the shared throttle needs (runtime/store's `Store` has it). */
export interface SharedThrottleStore {
  /** `sqlite`: the store's time is the `now` its caller gives (one machine); otherwise its own clock. */
  readonly engine?: string;
  transactState<R>(key: string, update: (current: unknown | undefined, now: number) => { value: unknown; result: R }, now: number): Promise<R>;
}

export interface SharedThrottleOptions {
  store: SharedThrottleStore;
  /** The state entry shared by every worker of one quota: see {@link sharedThrottleKey}. */
  key: string;
  limit: number;
  windowSeconds: number;
  safetyMargin?: number;
  burst?: number;
  maxWaitMs?: number;
  clock?: ThrottleClock;
}

/** Every default in one place (CONVENTIONS.md habit 5). */
export const SHARED_THROTTLE_DEFAULTS = {
  /** Ask for at most what the rate allows in this long at once (and never more than wait locally). */
  batchWindowMs: 50,
  maxBatch: 256,
  /** While the quota is the bottleneck, at most one round trip per this long: waiters gather into batches. */
  coalesceMs: 5,
  /** Refused, ask again after at most this long: other workers may have changed the state. */
  recheckMs: 250,
  /** A store that fails: retry after this long, doubling up to `maxStoreRetryMs`, for at most `maxWaitMs`. */
  storeRetryMs: 100,
  maxStoreRetryMs: 5000,
  /** Observations that cannot be written when no call waits: tries before they are given up. */
  flushAttempts: 5,
} as const;

/**
 * @example
 * const throttle = createSharedThrottle({ store, key: sharedThrottleKey(target.baseUrl), limit: 20, windowSeconds: 1 });
 * await throttle.take(); // every worker on this store together: ≤ 20 per second
 */
export function createSharedThrottle(options: SharedThrottleOptions): Throttle {
  const { store, key } = options;
  const o = normaliseThrottleOptions(options);
  const d = SHARED_THROTTLE_DEFAULTS;
  const { clock } = o;
  const callerClock = store.engine === 'sqlite';
  const windowMs = o.windowSeconds * 1000;
  const configured = effectiveLimitFor(o.limit, o.safetyMargin);
  const policy: SharedPolicy = { limit: configured, windowMs, burst: o.burst };
  const queue: Waiter[] = [];
  let permits = 0;
  let permitsUntil = 0;
  let pumping = false;
  let sent = 0;
  let observed = 0;
  let pending: PendingObservations = {};
  /** Local clock time this worker knows everyone is paused until (its own 429s apply at once). */
  let pausedUntil = 0;
  let lastAskAt = -Infinity;
  /** The store's round trip, smoothed but quick to rise: permits counted from the ask must outlive it. */
  let roundTripMs = 0;
  /** Its average: how early to ask so that the store decides when a permit is due. */
  let typicalRoundTripMs = 0;
  /** Milliseconds between calls to take(), smoothed: how many permits to reserve ahead. */
  let arrivalEvery = 1000;
  let lastArrivalAt = -Infinity;
  let last: { state: SharedBucketState; storeNow: number; localNow: number } | undefined;

  const hasPending = () => pending.pause !== undefined || (pending.policies?.length ?? 0) > 0 || Object.keys(pending.allowances ?? {}).length > 0;

  /** One round trip: write what was observed, ask for `want` permits. */
  const ask = async (want: number) => {
    const flushing = pending;
    pending = {};
    const asked = clock.now();
    lastAskAt = asked;
    const observations = relativeTo(flushing, asked);
    try {
      const decision = await store.transactState(
        key,
        (current, given) => {
          // A store on the caller's clock (SQLite) runs this under its lock, in this process: the
          // time now is exact, however long the lock took. Otherwise the store's own clock, and
          // the permits count from when this worker asked (no later than the store decided).
          const now = callerClock ? Math.max(given, clock.now()) : given;
          const state = applyObservations(current, policy, observations, now);
          const decided = decidePermits(state, policy, want, now, callerClock ? 0 : roundTripMs);
          return { value: decided.state, result: { ...decided, storeNow: now, localNow: callerClock ? now : asked } };
        },
        asked,
      );
      const received = clock.now();
      // Quick to rise, slow to fall: a permit that dies on the way back is a permit wasted.
      if (!callerClock) {
        roundTripMs = Math.max(received - asked, roundTripMs * 0.9 + (received - asked) * 0.1);
        typicalRoundTripMs = typicalRoundTripMs === 0 ? received - asked : typicalRoundTripMs * 0.8 + (received - asked) * 0.2;
      }
      // For predictions the store decided halfway through the round trip (on SQLite: exactly then).
      last = { state: decision.state, storeNow: decision.storeNow, localNow: callerClock ? decision.localNow : (asked + received) / 2 };
      pausedUntil = Math.max(pausedUntil, decision.localNow + decision.state.pausedUntil - decision.storeNow);
      return decision;
    } catch (error) {
      pending = mergeObservations(flushing, pending);
      throw error;
    }
  };

  /**
   * How long to hold off asking the store, from the last state read (on the store's clock as it
   * has moved since; other workers only ever take more, so the real wait is no shorter):
   * - nothing free yet for the `want` waiting: until it is — until all of them when that is
   *   within `batchWindowMs`, one round trip instead of one per permit;
   * - the quota is the bottleneck (less than a full batch free) and the last round trip was less
   *   than `coalesceMs` ago: until then, so that waiters gather into one round trip. Permits not
   *   taken meanwhile stay free (the log, and a bucket below its capacity, lose nothing), so
   *   this costs a few milliseconds of latency, not throughput.
   */
  const holdOff = (want: number, fullBatch: number, now: number): number => {
    if (last === undefined) return 0;
    const storeNow = last.storeNow + (now - last.localNow);
    const predicted = decidePermits(last.state, policy, want, storeNow);
    if (predicted.granted < want) return predicted.waitAllMs <= d.batchWindowMs ? predicted.waitAllMs : predicted.granted > 0 ? 0 : predicted.waitMs;
    if (want < fullBatch && now < lastAskAt + d.coalesceMs && decidePermits(last.state, policy, fullBatch, storeNow).granted < fullBatch) return lastAskAt + d.coalesceMs - now;
    return 0;
  };

  const oneWayMs = () => (callerClock ? 0 : typicalRoundTripMs / 2);

  const rejectAll = (error: Error) => {
    for (const waiter of queue.splice(0)) waiter.reject(error);
  };

  const pump = async () => {
    if (pumping) return;
    pumping = true;
    let failures = 0;
    let failingSince = 0;
    let served = false;
    try {
      while (queue.length > 0 || hasPending()) {
        const now = clock.now();
        if (queue.length > 0 && permits > 0 && now < permitsUntil) {
          permits--;
          sent++;
          served = true;
          queue.shift()!.resolve();
          continue;
        }
        permits = 0;
        if (served) {
          // Let the callers just served send before the next round trip: a SQLite store blocks
          // this process while it waits for the file's lock, and their permits are short-lived.
          served = false;
          await new Promise<void>((resolve) => setImmediate(resolve));
          continue;
        }
        const rate = last === undefined ? configured / windowMs : sharedRatePerSecond(last.state) / 1000;
        const capacity = last === undefined ? o.burst : sharedCapacity(last.state);
        const fullBatch = Math.max(1, Math.min(d.maxBatch, capacity, Math.floor(rate * d.batchWindowMs)));
        const waiting = Math.min(queue.length, fullBatch);
        if (waiting > 0 && !hasPending()) {
          const wait = Math.max(pausedUntil - now, holdOff(waiting, fullBatch, now));
          if (wait > o.maxWaitMs) {
            rejectAll(new ThrottleWaitTooLongError(wait, o.maxWaitMs));
            continue;
          }
          // Asking half a round trip early lands the store's decision when the permit is due.
          if (wait - oneWayMs() > 0) {
            await clock.sleep(Math.max(1, Math.min(Math.ceil(wait - oneWayMs()), d.recheckMs)));
            continue;
          }
        }
        // Also the callers expected within half a permit's lifetime: served without a round trip.
        const want = waiting === 0 ? 0 : Math.min(fullBatch, waiting + Math.floor(permitTtlFor(windowMs) / 2 / arrivalEvery));
        let decision;
        try {
          decision = await ask(want);
          failures = 0;
        } catch (error) {
          if (failures === 0) failingSince = now;
          failures++;
          const fatal = (error as { code?: unknown }).code === 'RECON_STORE_CLOSED';
          if (queue.length === 0 ? failures >= d.flushAttempts || fatal : fatal || clock.now() - failingSince >= o.maxWaitMs) {
            // Never a silent grant: the callers learn the store is gone; observations are dropped.
            pending = {};
            rejectAll(error as Error);
            return;
          }
          await clock.sleep(Math.min(d.maxStoreRetryMs, d.storeRetryMs * 2 ** (failures - 1)));
          continue;
        }
        if (decision.granted > 0) {
          permits = decision.granted;
          permitsUntil = decision.localNow + decision.permitTtlMs;
          continue;
        }
        if (want === 0) continue;
        // Refused. When the whole batch is due soon, wait for it: one round trip instead of many.
        const wait = decision.waitAllMs <= d.batchWindowMs ? Math.max(decision.waitMs, decision.waitAllMs) : decision.waitMs;
        if (wait > o.maxWaitMs) rejectAll(new ThrottleWaitTooLongError(wait, o.maxWaitMs));
        // The wait counts from the store's decision, half a round trip ago; ask half a round trip early.
        else await clock.sleep(Math.max(1, Math.min(Math.ceil(wait - 2 * oneWayMs()), d.recheckMs)));
      }
    } finally {
      pumping = false;
    }
  };

  const penalise = (seconds: number) => {
    if (!Number.isFinite(seconds) || seconds <= 0) return;
    const until = clock.now() + seconds * 1000;
    pausedUntil = Math.max(pausedUntil, until);
    pending.pause = Math.max(pending.pause ?? 0, until);
    void pump();
  };

  return {
    take: (signal) =>
      waitInLine(queue, signal, () => {
        const now = clock.now();
        arrivalEvery = arrivalEvery * 0.9 + Math.min(now - lastArrivalAt, 1000) * 0.1;
        lastArrivalAt = now;
        void pump();
      }),

    observe(headers: RateLimitHeaders) {
      observed = Math.min(sent, observed + 1);
      const now = clock.now();
      for (const r of headers.readings) {
        if (r.limit !== undefined && r.limit > 0) {
          // A lower quota than configured joins the shared policies; a higher one never raises recon above its configuration.
          const limit = effectiveLimitFor(r.limit, o.safetyMargin);
          const window = (r.windowSeconds ?? o.windowSeconds) * 1000;
          if (limit / window < configured / windowMs || (window === windowMs && limit < configured)) {
            (pending.policies ??= []).push({ limit, windowMs: window, burst: Math.min(o.burst, limit) });
          }
        }
        // As in throttle.ts: a reset of a second or less is too coarse to wait for; the log covers it.
        if (r.remaining !== undefined && r.resetSeconds !== undefined && r.resetSeconds > 1) {
          const remaining = Math.max(0, r.remaining - Math.max(0, sent - observed));
          const allowances = (pending.allowances ??= {});
          const policyKey = `${r.dialect}|${r.policy ?? ''}|${r.partitionKey ?? ''}`;
          const before = allowances[policyKey];
          allowances[policyKey] = { remaining: before === undefined ? remaining : Math.min(before.remaining, remaining), until: now + r.resetSeconds * 1000 };
        }
      }
      if (headers.retryAfterSeconds !== undefined) penalise(headers.retryAfterSeconds);
      else if (hasPending()) void pump();
    },

    penalise,

    state(): ThrottleState {
      const now = clock.now();
      const shared = last?.state;
      const sameWindow = shared?.policies.filter((p) => p.windowMs === windowMs) ?? [];
      return {
        effectiveLimit: Math.min(configured, ...sameWindow.map((p) => p.limit)),
        ratePerSecond: shared === undefined ? configured / o.windowSeconds : sharedRatePerSecond(shared),
        pausedUntil: pausedUntil > now ? pausedUntil : 0,
        waiting: queue.length,
        sent,
      };
    },
  };
}
