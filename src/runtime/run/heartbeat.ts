/**
 * A run's heartbeat: every `everyMs` it tells the store it is alive (`store.heartbeat`), which
 * extends every lease it holds, so a call that takes longer than the lease is not handed to a
 * second worker while this one waits for the answer. A run that dies stops beating and its
 * leases run out after `leaseMs`; another worker then takes them (DESIGN.md "Store").
 *
 * A heartbeat that fails (the store briefly unavailable) is counted and tried again at the next
 * tick — it never stops the run: the leases then simply run out, and deliver.ts sends nothing on
 * a lease without enough time left for the call.
 */
import type { Store, WorkerBeat } from '../store/types.js';

export interface HeartbeatOptions {
  store: Store;
  /** What to tell the store now (state, calls in flight…). */
  beat: () => WorkerBeat;
  leaseMs: number;
  everyMs: number;
  clock: () => number;
  /**
   * After each heartbeat that reached the store: the leases it holds now hold until `leaseUntil`
   * (caller's clock). `returnedAt` is when the store answered: a lease that had run out by then
   * may belong to another worker already, and must not be extended in memory.
   */
  onExtended?: (leaseUntil: number, returnedAt: number) => void;
  onFailure?: (error: unknown) => void;
}

export interface Heartbeat {
  /** Beat now (waits for a beat in progress first); never rejects. */
  beat(): Promise<void>;
  /** Stop the timer and wait for a beat in progress. */
  stop(): Promise<void>;
  /** Heartbeats that failed so far. */
  readonly failures: number;
}

/**
 * Beats once at once, then every `everyMs` until `stop()`. The timer is unref'd: it never keeps
 * the process alive by itself.
 *
 * @example
 * const heartbeat = startHeartbeat({ store, beat: () => ({ owner, connector, …, inFlight }), leaseMs: 30_000, everyMs: 10_000, clock: Date.now });
 * await heartbeat.beat();   // the first one, before anything is leased
 * …
 * await heartbeat.stop();
 * await store.removeWorker(owner);
 */
export function startHeartbeat(o: HeartbeatOptions): Heartbeat {
  let failures = 0;
  let running: Promise<void> | undefined;
  let stopped = false;

  const once = async (): Promise<void> => {
    try {
      const { leaseUntil } = await o.store.heartbeat(o.beat(), o.leaseMs, o.clock());
      o.onExtended?.(leaseUntil, o.clock());
    } catch (error) {
      failures++;
      o.onFailure?.(error);
    }
  };
  const beat = async (): Promise<void> => {
    // One at a time: a slow store must not pile heartbeats up, and the last one wins.
    while (running !== undefined) await running;
    running = once().finally(() => {
      running = undefined;
    });
    await running;
  };
  const timer = setInterval(() => {
    // Skip a tick while the previous beat still waits for the store.
    if (!stopped && running === undefined) void beat();
  }, Math.max(1, o.everyMs));
  timer.unref();

  return {
    beat,
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running !== undefined) await running;
    },
    get failures() {
      return failures;
    },
  };
}
