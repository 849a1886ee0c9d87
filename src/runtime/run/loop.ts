/**
 * The delivery loop: lease what is due, keep `concurrency` messages in flight, and wait while
 * messages are only waiting (a backoff, a Retry-After, a lease held by a run that died) — until
 * nothing is queued or leased any more, the run is stopped, or the vendor cannot be reached.
 * A worker (`worker: true`) does not stop when the queue is empty: it looks again, less often
 * the longer it finds nothing to lease (`pollMs` doubling up to `idlePollMs`), until stopped.
 */
import type { QueuedMessage, Store } from '../store/types.js';

export interface LoopOptions {
  store: Store;
  connector: string;
  owner: string;
  concurrency: number;
  leaseMs: number;
  /** How often to look again while messages wait for a time that has not come. */
  pollMs: number;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  /** True: lease nothing more; the calls in flight finish. */
  shouldStop(): boolean;
  deliver(message: QueuedMessage): Promise<void>;
  /** After each message, for progress. */
  onSettled?: () => void;
  /** Stay up when nothing is pending, until `shouldStop()`. */
  worker?: boolean;
  /** A worker's longest wait between looks while the queue is empty. Default `LOOP_DEFAULTS.idlePollMs`. */
  idlePollMs?: number;
  /** A worker found the queue empty (true), or work again (false): once per change, not per look. */
  onIdle?: (idle: boolean) => void;
  /** Cuts a wait short when stopping (the waits themselves use `sleep`). */
  signal?: AbortSignal;
  /**
   * The messages this loop holds leased — in flight, and leased but not started — kept up to date
   * here, so a heartbeat can move their `leaseUntil` forward where deliver.ts reads it.
   */
  held?: Set<QueuedMessage>;
}

export const LOOP_DEFAULTS = {
  /** A worker with nothing to do looks at the queue at least this often. */
  idlePollMs: 1_000,
} as const;

/**
 * @example
 * await deliverUntilIdle({ store, connector: 'push-orders', owner, concurrency: 4, leaseMs: 90_000, pollMs: 100,
 *   clock: Date.now, sleep, shouldStop: () => signal.aborted, deliver: (m) => deliverMessage(ctx, m) });
 */
export async function deliverUntilIdle(o: LoopOptions): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const held = o.held ?? new Set<QueuedMessage>();
  let failure: { error: unknown } | undefined;
  const start = (message: QueuedMessage) => {
    const running: Promise<void> = o
      .deliver(message)
      .catch((error: unknown) => {
        // A store that fails (disk full, locked) or a bug: stop leasing, finish the rest, rethrow.
        failure ??= { error };
      })
      .finally(() => {
        held.delete(message);
        inFlight.delete(running);
        o.onSettled?.();
      });
    inFlight.add(running);
  };
  // One listener for the whole loop (not one per wait): resolves when the run is stopped.
  const stopped = whenAborted(o.signal);
  const wait = (ms: number) => Promise.race([o.sleep(ms), stopped.promise]);
  const idlePollMs = Math.max(o.pollMs, o.idlePollMs ?? LOOP_DEFAULTS.idlePollMs);
  let idleWaitMs = o.pollMs;
  let idle = false;
  const setIdle = (now: boolean) => {
    if (idle === now) return;
    idle = now;
    o.onIdle?.(now);
  };

  // Leased but not started yet. Leasing a whole batch at once instead of one message per free
  // slot saves a write transaction per message (bench/RESULTS.md, "Connector runtime"); the batch
  // is at most `concurrency`, so none waits long, and what is left is given back when the run stops.
  const ready: QueuedMessage[] = [];
  try {
    while (!o.shouldStop() && failure === undefined) {
      let free = o.concurrency - inFlight.size;
      if (free > 0 && ready.length === 0) {
        const leased = await o.store.lease(o.connector, o.owner, o.concurrency, o.leaseMs, o.clock());
        for (const message of leased) held.add(message);
        ready.push(...leased);
        if (leased.length > 0) {
          idleWaitMs = o.pollMs;
          setIdle(false);
        }
      }
      for (; free > 0 && ready.length > 0; free--) start(ready.shift()!);
      if (free === 0) {
        // Every slot busy: the next message starts when one settles.
        await Promise.race(inFlight);
        continue;
      }
      if (inFlight.size > 0) {
        // Nothing due right now: a settled slot or the next poll, whichever comes first.
        await Promise.race([...inFlight, wait(o.pollMs)]);
        continue;
      }
      if (o.worker === true) {
        // Nothing leased, nothing in flight: look again less and less often (a fleet of idle
        // workers must not hammer a shared store). Whether anything is pending at all is asked
        // only to say "idle" once; after that, the next lease that finds something is the news.
        if (!idle && !(await hasPending(o.store, o.connector))) setIdle(true);
        await wait(idleWaitMs);
        idleWaitMs = Math.min(idlePollMs, idleWaitMs * 2);
        continue;
      }
      if (!(await hasPending(o.store, o.connector))) break;
      await wait(o.pollMs);
    }
  } finally {
    stopped.dispose();
  }
  await Promise.all(inFlight);
  // Leased, never sent: back to the queue at once rather than when the lease runs out.
  for (const message of ready.splice(0)) {
    held.delete(message);
    await o.store.retry(o.connector, message.id, o.owner, o.clock(), 'given back unsent: the run stopped', o.clock());
  }
  if (failure !== undefined) throw failure.error;
}

/** A promise that resolves when `signal` aborts (never, without one), and a way to stop listening. */
function whenAborted(signal: AbortSignal | undefined): { promise: Promise<void>; dispose(): void } {
  if (signal === undefined) return { promise: new Promise<void>(() => undefined), dispose: () => undefined };
  let onAbort = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/** Anything queued (due or not) or leased (by this run or one that may have died)? */
async function hasPending(store: Store, connector: string): Promise<boolean> {
  const [stats] = await store.stats(connector);
  return stats !== undefined && stats.counts.queued + stats.counts.leased > 0;
}
