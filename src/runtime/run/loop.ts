/**
 * The delivery loop: lease what is due, keep `concurrency` messages in flight, and wait while
 * messages are only waiting (a backoff, a Retry-After, a lease held by a run that died) — until
 * nothing is queued or leased any more, the run is stopped, or the vendor cannot be reached.
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
}

/**
 * @example
 * await deliverUntilIdle({ store, connector: 'push-orders', owner, concurrency: 4, leaseMs: 90_000, pollMs: 100,
 *   clock: Date.now, sleep, shouldStop: () => signal.aborted, deliver: (m) => deliverMessage(ctx, m) });
 */
export async function deliverUntilIdle(o: LoopOptions): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const start = (message: QueuedMessage) => {
    const running: Promise<void> = o
      .deliver(message)
      .catch((error: unknown) => {
        // A store that fails (disk full, locked) or a bug: stop leasing, finish the rest, rethrow.
        failure ??= { error };
      })
      .finally(() => {
        inFlight.delete(running);
        o.onSettled?.();
      });
    inFlight.add(running);
  };

  while (!o.shouldStop() && failure === undefined) {
    const free = o.concurrency - inFlight.size;
    if (free > 0) {
      const leased = await o.store.lease(o.connector, o.owner, free, o.leaseMs, o.clock());
      for (const message of leased) start(message);
      if (leased.length === free) continue;
    }
    if (inFlight.size > 0) {
      // A free slot or the next poll, whichever comes first.
      await Promise.race([...inFlight, o.sleep(o.pollMs)]);
      continue;
    }
    if (!(await hasPending(o.store, o.connector))) break;
    await o.sleep(o.pollMs);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure.error;
}

/** Anything queued (due or not) or leased (by this run or one that may have died)? */
async function hasPending(store: Store, connector: string): Promise<boolean> {
  const [stats] = await store.stats(connector);
  return stats !== undefined && stats.counts.queued + stats.counts.leased > 0;
}
