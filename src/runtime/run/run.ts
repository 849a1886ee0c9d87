/**
 * `runConnector`: enqueue an input, then deliver every due message of the connector — throttled,
 * authenticated, idempotent, retried, audited — and say what happened as plain data.
 */
import { hostname } from 'node:os';
import { AuthError, type HttpClient, type OutgoingRequest } from '../../http/index.js';
import { getAtPointer } from '../../spec/index.js';
import { buildCall, buildLookup, findInLookup, messageIdOf, type LoadedConnector } from '../connector/index.js';
import { MESSAGE_STATES, type MessageState, type QueuedMessage, type Store } from '../store/types.js';
import { isUnreachable } from './classify.js';
import { deliverMessage, type DeliveryContext } from './deliver.js';
import { enqueueInput, type InputItem, type InputProblem } from './enqueue.js';
import { startHeartbeat } from './heartbeat.js';
import { deliverUntilIdle, LOOP_DEFAULTS } from './loop.js';
import { emptyCounts, progressOf, type RunCounts, type RunProgress } from './progress.js';
import { outcomeClassOf, safeObserver, type RunObserver } from './observer.js';
import { createSender } from './sender.js';

export interface RunOptions {
  loaded: LoadedConnector;
  store: Store;
  /** Records to enqueue first (the input reader's items). Without it, only what is queued is delivered. */
  input?: AsyncIterable<InputItem>;
  /** Who holds the leases, and the worker's name in `recon queue status`. Default `newOwnerId()`. */
  owner?: string;
  /**
   * Stay up when the queue is empty (`recon run --worker`): look again — from every `pollMs`,
   * backing off to every `idlePollMs` while idle — until `signal` aborts.
   */
  worker?: boolean;
  /** How often the run tells the store it is alive, extending its leases. Default: a third of the lease, at most `RUN_DEFAULTS.heartbeatMs`. */
  heartbeatMs?: number;
  /** A worker's longest wait between looks at an empty queue. Default `RUN_DEFAULTS.idlePollMs`. */
  idlePollMs?: number;
  /** A worker went idle (the queue is empty) or found work again: once per change. */
  onIdle?: (idle: boolean) => void;
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the backoff's jitter. Default `Math.random`. */
  random?: () => number;
  /** Default: a client with the connector's timeout, concurrency and the target's TLS. */
  client?: HttpClient;
  /** Abort: lease nothing more, let the calls in flight finish; messages stay queued. */
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  onInputProblem?: (problem: InputProblem) => void;
  /**
   * Share the rate limit with every other process on this store (a token bucket in the store,
   * see src/limits/shared-throttle.ts) instead of throttling this process alone. Default: true
   * on PostgreSQL (workers on many machines), false on SQLite.
   */
  sharedThrottle?: boolean;
  /** Told of every call, settled attempt, throttle wait and rate-limit reading (metrics: src/monitor). */
  observer?: RunObserver;
  /** Default: see `RUN_DEFAULTS`. */
  leaseMs?: number;
  pollMs?: number;
  progressEveryMs?: number;
  unreachableAfter?: number;
}

export const RUN_DEFAULTS = {
  /** Look again this often while messages only wait (backoff, Retry-After, a dead run's lease). */
  pollMs: 100,
  progressEveryMs: 250,
  /**
   * Stop when this many calls in a row could not connect at all and none ever got an answer:
   * the vendor is down or the base URL is wrong, and backing off for hours would only hide it.
   */
  unreachableAfter: 10,
  /**
   * Credentials that cannot be had for a passing reason (the token endpoint timed out or
   * answered 5xx): wait from `authBackoffMs` doubling to `authBackoffMaxMs`, then try again — a
   * worker for as long as it takes, a one-off run this many times in a row before it stops.
   */
  authRetries: 5,
  authBackoffMs: 500,
  authBackoffMaxMs: 30_000,
  /** The longest gap between heartbeats; shorter leases beat every third of the lease. */
  heartbeatMs: 10_000,
  idlePollMs: LOOP_DEFAULTS.idlePollMs,
} as const;

export interface RunSummary extends RunCounts {
  connector: string;
  /** Pending (queued or leased) when delivery started. */
  total: number;
  durationMs: number;
  /** Messages finished (done, dead, parked) per second of delivery. */
  ratePerSecond: number;
  /** Stopped by the signal (Ctrl-C) before the queue was through. */
  stopped: boolean;
  /** Stopped because no call could reach the vendor. */
  vendorUnreachable: boolean;
  /** The first input problems (line and why); `invalidLines` counts them all. */
  problems: InputProblem[];
  /** The connector's queue at the end, per state. */
  queue: Record<MessageState, number>;
  /** How long leases last: at least twice the call timeout. */
  leaseMs: number;
  /** Ran as a worker (`--worker`): stayed up on an empty queue until stopped. */
  worker: boolean;
  /** The lease owner id this run used. */
  owner: string;
  /** Heartbeats that did not reach the store (each was tried again at the next tick). */
  heartbeatFailures: number;
}

/**
 * A lease owner id: `host:pid:random`, unique per run, readable in `recon queue status`.
 *
 * @example newOwnerId() // 'build-7:41233:k2x9c1'
 */
export function newOwnerId(random: () => number = Math.random): string {
  return `${hostname()}:${process.pid}:${Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0')}`;
}

/**
 * @example
 * const loaded = await loadConnector('connectors/push-invoices.yaml');
 * const store = await openStore('sqlite:.recon/recon.db');
 * const summary = await runConnector({ loaded, store, input: readInput('invoices.ndjson') });
 * // { done: 1000, dead: 0, parked: 0, retried: 37, ratePerSecond: 19.8, … }
 */
export async function runConnector(options: RunOptions): Promise<RunSummary> {
  const { loaded, store } = options;
  const { definition } = loaded;
  const name = definition.name;
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const owner = options.owner ?? newOwnerId(random);
  const counts = emptyCounts();
  const startedAt = clock();
  const observer = safeObserver(options.observer);

  const sender = createSender(loaded, {
    clock,
    sleep,
    ...(options.client ? { client: options.client } : {}),
    onRateLimit: (reading) => observer.rateLimit({ connector: name, ...reading, at: clock() }),
    ...((options.sharedThrottle ?? store.engine === 'postgres') ? { sharedThrottle: { store, owner } } : {}),
  });
  const ratePerSecond = Math.max(sender.throttle.state().ratePerSecond, 1e-3);
  // One call may take two timeouts (a token request, then the call). A lease covers a lookup and a
  // send plus the wait for the throttle's permits — never less than twice the timeout.
  const callBudgetMs = 2 * definition.timeoutMs;
  const leaseMs = options.leaseMs ?? Math.max(2 * definition.timeoutMs, 2 * callBudgetMs + definition.timeoutMs + 2 * Math.ceil((definition.concurrency * 1000) / ratePerSecond));
  const pollMs = options.pollMs ?? RUN_DEFAULTS.pollMs;
  const unreachableAfter = options.unreachableAfter ?? RUN_DEFAULTS.unreachableAfter;
  let answered = 0;
  let unreachableInARow = 0;
  let vendorUnreachable = false;
  let authFailuresInARow = 0;
  // One listener for the whole run: a wait for credentials ends at once on Ctrl-C / SIGTERM.
  const aborted = new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve(), { once: true }));
  const sleepUnlessStopped = (ms: number) => (options.signal?.aborted ? Promise.resolve() : Promise.race([sleep(ms), aborted]));
  const stopping = () => options.signal?.aborted === true || vendorUnreachable;

  const heartbeatMs = options.heartbeatMs ?? Math.min(RUN_DEFAULTS.heartbeatMs, Math.max(1, Math.floor(leaseMs / 3)));
  const worker = options.worker === true;
  let inFlight = 0;
  // Leased by this run and not settled: a heartbeat moves their leaseUntil forward (deliver.ts reads it).
  const held = new Set<QueuedMessage>();
  const host = hostname();
  const heartbeat = startHeartbeat({
    store,
    leaseMs,
    everyMs: heartbeatMs,
    clock,
    beat: () => ({ owner, connector: name, host, pid: process.pid, startedAt, state: options.signal?.aborted === true ? 'stopping' : 'running', inFlight, mode: worker ? 'worker' : 'run' }),
    onExtended: (leaseUntil, returnedAt) => {
      // A lease that had run out before the store answered may be another worker's by now.
      for (const message of held) if (message.leaseUntil !== undefined && message.leaseUntil > returnedAt && message.leaseUntil < leaseUntil) message.leaseUntil = leaseUntil;
    },
  });
  const onAbort = () => void heartbeat.beat();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    await heartbeat.beat();
    let problems: InputProblem[] = [];
    if (options.input !== undefined) {
      const enqueued = await enqueueInput({
        store,
        connector: name,
        input: options.input,
        idOf: (record) => messageIdOf(loaded, record),
        now: clock,
        ...(options.onInputProblem ? { onProblem: options.onInputProblem } : {}),
        onBatch: (o) => options.onProgress?.(progressOf({ ...counts, ...o }, { phase: 'enqueue', total: o.enqueued, inFlight: 0, startedAt, now: clock() })),
      });
      counts.enqueued = enqueued.enqueued;
      counts.duplicates = enqueued.duplicates;
      observer.enqueued({ connector: name, added: enqueued.enqueued, duplicates: enqueued.duplicates, at: clock() });
      counts.invalidLines = enqueued.invalidLines;
      problems = enqueued.problems;
    }

    const deliveryStartedAt = clock();
    const total = await pendingCount(store, name);
    let lastProgress = 0;
    // A worker delivers what arrives after it started too: its "of how many" grows with the work.
    const progressTotal = () => (worker ? Math.max(total, counts.done + counts.dead + counts.parked + inFlight) : total);
    const report = (force: boolean) => {
      const now = clock();
      if (!options.onProgress || (!force && now - lastProgress < (options.progressEveryMs ?? RUN_DEFAULTS.progressEveryMs))) return;
      lastProgress = now;
      options.onProgress(
        progressOf(counts, { phase: stopping() ? 'stopping' : 'deliver', total: progressTotal(), inFlight, startedAt: deliveryStartedAt, now, throttledRate: sender.throttle.state().ratePerSecond }),
      );
    };

    const ctx: DeliveryContext = {
      name,
      strategy: definition.idempotency.strategy,
      policy: definition.retry,
      operation: loaded.operation.operationId ?? `${loaded.operation.method.toUpperCase()} ${loaded.operation.path}`,
      ...(loaded.lookupOperation ? { lookupOperation: loaded.lookupOperation.operationId ?? `${loaded.lookupOperation.method.toUpperCase()} ${loaded.lookupOperation.path}` } : {}),
      store,
      owner,
      redactor: sender.redactor,
      clock,
      random,
      counts,
      // With heartbeats the lease left is at least leaseMs - heartbeatMs while they reach the store; a
      // lease with less than that (minus a beat's slack) left means they do not: send nothing on it.
      callBudgetMs: sendBudgetMs(callBudgetMs, leaseMs, heartbeatMs),
      buildCall: (m) => toRequest(buildCall(loaded, m.payload, m.id, m.idempotencyKey)),
      buildLookup: (m) => toRequest(buildLookup(loaded, m.payload, m.id, m.idempotencyKey)),
      findInLookup: (m, body) => findInLookup(loaded, body, m.payload, m.id, m.idempotencyKey),
      vendorIdOf: (body) => vendorIdOf(body, definition.vendorId),
      permit: async () => {
        const asked = clock();
        try {
          await sender.permit(options.signal);
        } finally {
          observer.throttleWait({ connector: name, waitMs: clock() - asked });
        }
      },
      call: async (request, purpose, kind) => {
        counts.calls++;
        const exchange = await sender.call(request, purpose);
        observer.call({
          connector: name,
          operation: kind === 'lookup' ? (ctx.lookupOperation ?? 'lookup') : ctx.operation,
          purpose: kind,
          outcomeClass: outcomeClassOf(exchange),
          ...(exchange.response ? { status: exchange.response.status } : {}),
          ...(exchange.failure ? { failure: exchange.failure.code } : {}),
          durationMs: exchange.time,
          at: clock(),
        });
        return exchange;
      },
      observer,
      observeReach: (exchange) => {
        // A call was made at all: credentials were had.
        authFailuresInARow = 0;
        if (exchange.response !== undefined) {
          answered++;
          unreachableInARow = 0;
        } else if (isUnreachable(exchange)) {
          counts.unreachable++;
          unreachableInARow++;
          // A worker stays up through an outage (its messages back off); a one-off run stops.
          if (!worker && answered === 0 && unreachableInARow >= unreachableAfter) vendorUnreachable = true;
        }
      },
      stopping,
    };

    await deliverUntilIdle({
      store,
      connector: name,
      owner,
      concurrency: definition.concurrency,
      leaseMs,
      pollMs,
      clock,
      sleep,
      worker,
      idlePollMs: options.idlePollMs ?? RUN_DEFAULTS.idlePollMs,
      held,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onIdle ? { onIdle: options.onIdle } : {}),
      shouldStop: stopping,
      deliver: async (message: QueuedMessage) => {
        inFlight++;
        try {
          await deliverMessage(ctx, message);
        } catch (error) {
          // The message is back in the queue unsent (deliver.ts callOrGiveBack).
          if (!(error instanceof AuthError)) throw error;
          // A token request that failed is a failed call as far as monitoring goes: during an
          // OAuth outage it is the only evidence the error rate has.
          const status = error.failure.status;
          observer.call({
            connector: name,
            operation: 'token',
            purpose: 'create',
            outcomeClass: status === undefined ? 'network' : status === 429 ? '429' : status >= 500 ? '5xx' : status >= 400 ? '4xx' : '2xx',
            ...(status === undefined ? {} : { status }),
            ...(error.failure.code === undefined ? {} : { failure: error.failure.code }),
            durationMs: 0,
            at: clock(),
          });
          if (error.permanent || (!worker && authFailuresInARow >= RUN_DEFAULTS.authRetries)) throw error;
          authFailuresInARow++;
          await sleepUnlessStopped(Math.min(RUN_DEFAULTS.authBackoffMaxMs, RUN_DEFAULTS.authBackoffMs * 2 ** (authFailuresInARow - 1)));
        } finally {
          inFlight--;
        }
      },
      onSettled: () => report(false),
    });
    report(true);

    const [stats] = await store.stats(name);
    const queue = Object.fromEntries(MESSAGE_STATES.map((state) => [state, stats?.counts[state] ?? 0])) as Record<MessageState, number>;
    const durationMs = clock() - startedAt;
    const deliveryMs = clock() - deliveryStartedAt;
    const finished = counts.done + counts.dead + counts.parked;
    return {
      connector: name,
      ...counts,
      total,
      durationMs,
      ratePerSecond: deliveryMs > 0 ? Math.round((finished * 100_000) / deliveryMs) / 100 : 0,
      stopped: options.signal?.aborted === true,
      vendorUnreachable,
      problems,
      queue,
      leaseMs,
      worker,
      owner,
      heartbeatFailures: heartbeat.failures,
    };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await heartbeat.stop();
    // Leaving cleanly: out of `recon queue status` at once. A store that fails here must not hide
    // the run's own outcome; the row then goes stale by itself.
    await store.removeWorker(owner).catch(() => undefined);
    await sender.close();
  }
}

/**
 * How much lease a message must have left for deliver.ts to start a call on it: the whole call
 * (two timeouts) — so a call never outlives its lease, heartbeats or not. Only a lease given
 * shorter than that (RunOptions.leaseMs; the default is always long enough) relies on heartbeats
 * during the call: then a lease is used while heartbeats keep it alive — at most one beat and a
 * little slack behind — and not once they stop reaching the store.
 *
 * @example sendBudgetMs(4_000, 30_000, 10_000) // 4000; sendBudgetMs(10_000, 600, 100) // 400
 */
function sendBudgetMs(callBudgetMs: number, leaseMs: number, heartbeatMs: number): number {
  const budget = Math.min(callBudgetMs, leaseMs);
  // Right after a timely heartbeat a lease has leaseMs - heartbeatMs left at the least.
  if (budget <= leaseMs - heartbeatMs) return budget;
  return Math.max(0, leaseMs - heartbeatMs - Math.min(heartbeatMs, 1_000));
}

async function pendingCount(store: Store, connector: string): Promise<number> {
  const [stats] = await store.stats(connector);
  return stats === undefined ? 0 : stats.counts.queued + stats.counts.leased;
}

function toRequest(call: { method: string; url: string; headers: [string, string][]; body?: string }): OutgoingRequest {
  return { method: call.method, url: call.url, headers: call.headers, ...(call.body === undefined ? {} : { body: call.body }) };
}

/** The vendor's id at the connector's `vendorId` pointer in the create response, as text. */
function vendorIdOf(body: unknown, pointer: string | undefined): string | undefined {
  if (pointer === undefined || body === undefined) return undefined;
  const value = getAtPointer(body, pointer);
  return value === undefined || value === null || typeof value === 'object' ? undefined : String(value);
}
