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

  // Leased but not started yet. Leasing a whole batch at once instead of one message per free
  // slot saves a write transaction per message (bench/RESULTS.md, "Connector runtime"); the batch
  // is at most `concurrency`, so none waits long, and what is left is given back when the run stops.
  const ready: QueuedMessage[] = [];
  while (!o.shouldStop() && failure === undefined) {
    let free = o.concurrency - inFlight.size;
    if (free > 0 && ready.length === 0) ready.push(...(await o.store.lease(o.connector, o.owner, o.concurrency, o.leaseMs, o.clock())));
    for (; free > 0 && ready.length > 0; free--) start(ready.shift()!);
    if (free === 0) {
      // Every slot busy: the next message starts when one settles.
      await Promise.race(inFlight);
      continue;
    }
    if (inFlight.size > 0) {
      // Nothing due right now: a settled slot or the next poll, whichever comes first.
      await Promise.race([...inFlight, o.sleep(o.pollMs)]);
      continue;
    }
    if (!(await hasPending(o.store, o.connector))) break;
    await o.sleep(o.pollMs);
  }
  await Promise.all(inFlight);
  // Leased, never sent: back to the queue at once rather than when the lease runs out.
  for (const message of ready.splice(0)) await o.store.retry(o.connector, message.id, o.owner, o.clock(), 'given back unsent: the run stopped', o.clock());
  if (failure !== undefined) throw failure.error;
}

/** Anything queued (due or not) or leased (by this run or one that may have died)? */
async function hasPending(store: Store, connector: string): Promise<boolean> {
  const [stats] = await store.stats(connector);
  return stats !== undefined && stats.counts.queued + stats.counts.leased > 0;
}
