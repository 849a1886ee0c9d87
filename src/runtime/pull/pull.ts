/**
 * `runPull`: read a pull connector's list operation page by page into its sink, from where the
 * last run stopped, and remember where this one stopped.
 *
 * Delivery into the sink is at-least-once: the position (`pull:<connector>` in the store) moves
 * only after a page is safely in the sink — fsync'd into the file, or, for a command, after the
 * command exited 0 — so a crash fetches again at most the page in hand (file), or this run's
 * pages (command); never is one skipped. At the end of the list the last page is kept as the
 * position with the count of its records already written: the next run fetches it again and
 * writes only records added after them. That holds while the vendor only appends to the end of
 * a stably ordered list; records inserted earlier in the order, or deleted, are not seen.
 */
import { dirname } from 'node:path';
import { buildCall, type LoadedConnector } from '../connector/index.js';
import { createSender, safeObserver, type RunObserver } from '../run/index.js';
import type { Store } from '../store/index.js';
import { getAtPointer } from '../../spec/index.js';
import { PullError } from './errors.js';
import { fetchPage } from './fetch-page.js';
import { endPosition, nextPosition, pageRequest, type PullPosition, type PullState } from './position.js';
import { openSink } from './sink.js';

export interface PullOptions {
  loaded: LoadedConnector;
  store: Store;
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
  /** In [0, 1): the backoff's jitter. Default `Math.random`. */
  random?: () => number;
  /** Abort: no further page is fetched; what is in the sink stays recorded. */
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  /** Told of the records each page brought (`received`, source = the list operation): src/monitor. */
  observer?: RunObserver;
}

export interface PullProgress {
  connector: string;
  pages: number;
  records: number;
}

export interface PullSummary extends PullProgress {
  /** Ids (at `idField`) of the records written this run, when the connector names the field; the first 1,000. */
  newIds?: string[];
  retried: number;
  /** Stopped by the signal before the end of the list. */
  stopped: boolean;
  /** Where the next run starts. */
  state: PullState;
  durationMs: number;
}

/** The store key of a pull connector's position. */
export const pullStateKey = (connector: string): string => `pull:${connector}`;
const MAX_IDS = 1000;

/**
 * @example
 * const loaded = await loadConnector('connectors/pull-customers.yaml');
 * const summary = await runPull({ loaded, store });
 * // { connector: 'pull-customers', pages: 2, records: 50, stopped: false, state: { next: { url: '…?page=2…' }, skip: 25, … } }
 */
export async function runPull(options: PullOptions): Promise<PullSummary> {
  const { loaded, store, signal } = options;
  const { definition } = loaded;
  const pull = definition.pull;
  if (definition.kind !== 'pull' || pull === undefined) throw new TypeError(`connector ${definition.name} is not a pull connector (kind: ${definition.kind ?? 'push'})`);
  const clock = options.clock ?? Date.now;
  const name = definition.name;
  const key = pullStateKey(name);
  const startedAt = clock();
  const saved = (await store.getState(key)) as PullState | undefined;
  let position: PullPosition = saved?.next ?? {};
  let skip = saved?.skip ?? 0;
  let state: PullState = saved ?? { next: position, skip, lastRunAt: new Date(startedAt).toISOString(), records: 0 };

  const observer = safeObserver(options.observer);
  const operation = loaded.operation.operationId ?? `${loaded.operation.method.toUpperCase()} ${loaded.operation.path}`;
  const first = buildCall(loaded, {}, name, '');
  const sink = await openSink(pull.sink, dirname(definition.file ?? '.'));
  const sender = createSender(loaded, { clock, sleep: (ms) => sleepFor(ms) });
  const summary = { connector: name, pages: 0, records: 0, retried: 0 };
  const newIds: string[] = [];
  let stopped = false;
  let finished = false;
  try {
    for (;;) {
      const request = pageRequest({ method: first.method, url: first.url, headers: first.headers }, pull.pagination, position);
      const label = `page ${position.page ?? position.offset ?? position.cursor ?? position.url ?? 'first'}`;
      const exchange = await fetchPage(
        {
          connector: name,
          operation,
          policy: definition.retry,
          sender,
          store,
          clock,
          sleep: sleepFor,
          random: options.random ?? Math.random,
          ...(signal ? { signal } : {}),
          onRetry: () => summary.retried++,
        },
        request,
        label,
      );
      if (exchange?.response === undefined) {
        stopped = true;
        break;
      }
      const body = parseBody(exchange.response.body, name, label);
      const items = getAtPointer(body, pull.pagination.items);
      if (!Array.isArray(items)) {
        throw new PullError('RECON_PULL_PAGE_FAILED', `${name}: ${label}: no list of records at '${pull.pagination.items}' in the response (pagination.items)`);
      }
      const fresh = items.slice(skip);
      await sink.write(fresh);
      observer.received({ connector: name, source: operation, records: fresh.length, at: clock() });
      summary.pages++;
      summary.records += fresh.length;
      if (pull.idField !== undefined) for (const record of fresh) if (newIds.length < MAX_IDS) newIds.push(String(getAtPointer(record, pull.idField)));
      const next = nextPosition(pull.pagination, position, { url: request.url, headers: exchange.response.headers, body, items });
      const at = next ?? endPosition(pull.pagination, position, request.url);
      state = { next: at, skip: next ? 0 : items.length, lastRunAt: new Date(clock()).toISOString(), records: state.records + fresh.length };
      // The page is in the sink: only now may the position move past it (a command sink's pages
      // are safe only once it exits 0, so its position moves at the end).
      if (sink.durable) await store.setState(key, state, clock());
      options.onProgress?.({ connector: name, pages: summary.pages, records: summary.records });
      if (next === undefined) break;
      position = next;
      skip = 0;
      if (signal?.aborted) {
        stopped = true;
        break;
      }
    }
    await sink.close();
    finished = true;
    if (!sink.durable) await store.setState(key, state, clock());
  } finally {
    if (!finished) await sink.abandon();
    await sender.close();
  }
  return { ...summary, ...(pull.idField !== undefined ? { newIds } : {}), stopped, state, durationMs: clock() - startedAt };

  function sleepFor(ms: number, during?: AbortSignal): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(finish, ms);
      const wake = during ?? signal;
      function finish(): void {
        clearTimeout(timer);
        wake?.removeEventListener('abort', finish);
        done();
      }
      wake?.addEventListener('abort', finish, { once: true });
    });
  }
}

function parseBody(body: Buffer, name: string, label: string): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw new PullError('RECON_PULL_PAGE_FAILED', `${name}: ${label}: the response is not JSON (${(error as Error).message})`, { cause: error });
  }
}
