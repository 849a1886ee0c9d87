/**
 * The PostgreSQL store's connection pool and its patience. Every statement and transaction runs
 * through `PgRunner`, which retries what a restart or a lost connection breaks — with
 * exponential backoff, for up to `unavailableMs` — so a database restart makes workers wait
 * instead of crash. What it retries must be safe to run twice (see pg-store.ts: every method is).
 */
import pg from 'pg';
import { StoreUnavailableError } from './errors.js';
import { isTransientPgError, pgStoreError } from './pg-errors.js';
import type { PgLocation } from './pg-location.js';

export interface PostgresStoreOptions {
  /**
   * Whose clock decides leases and due times. `database` (default): the database's clock, read in
   * the same statement; a caller's `now` only anchors its relative times (a notBefore 5 s after
   * its now is 5 s after the database's now), so a worker whose clock is off can neither steal
   * a lease early nor keep one too long. `caller`: the `now` arguments as given (tests).
   */
  time?: 'database' | 'caller';
  /** How long an operation keeps retrying while the database is unreachable or restarting. */
  unavailableMs?: number;
  /** How long opening the store waits for a database that refuses connections (starting up). */
  openWaitMs?: number;
  /** Connections in the pool: as many as the calls a process makes at once, plus a few. */
  poolSize?: number;
  /** Clock for reads on caller time (`workers()` has no `now` argument). */
  now?: () => number;
}

export const POSTGRES_STORE_DEFAULTS = {
  time: 'database',
  unavailableMs: 120_000,
  openWaitMs: 5_000,
  poolSize: 10,
  now: () => Date.now(),
} as const satisfies Required<PostgresStoreOptions>;

export type NormalisedPostgresOptions = { time: 'database' | 'caller'; unavailableMs: number; openWaitMs: number; poolSize: number; now: () => number };

/** How long the server lets one of recon's sessions sit idle inside a transaction. */
const IDLE_IN_TRANSACTION_MS = 30_000;

/** First wait between tries, and the longest. */
const BACKOFF = { firstMs: 100, maxMs: 2_000 } as const;

/**
 * @example
 * normalisePostgresOptions({ time: 'caller' }); // { time: 'caller', unavailableMs: 120000, openWaitMs: 5000, poolSize: 10, now: Date.now-like }
 */
export function normalisePostgresOptions(options: PostgresStoreOptions = {}): NormalisedPostgresOptions {
  return {
    time: options.time ?? POSTGRES_STORE_DEFAULTS.time,
    unavailableMs: options.unavailableMs ?? POSTGRES_STORE_DEFAULTS.unavailableMs,
    openWaitMs: options.openWaitMs ?? POSTGRES_STORE_DEFAULTS.openWaitMs,
    poolSize: options.poolSize ?? POSTGRES_STORE_DEFAULTS.poolSize,
    now: options.now ?? POSTGRES_STORE_DEFAULTS.now,
  };
}

// int8 (counts, epoch ms) as numbers: every value recon stores fits in 2^53.
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * A pool plus retry. `transaction` gives `work` a client inside BEGIN … COMMIT; `attempt` counts
 * from 1, so work that must not be done twice can look for its own earlier commit on a retry.
 *
 * @example
 * const runner = new PgRunner(location, normalisePostgresOptions());
 * const { rows } = await runner.query('SELECT 1 AS one');
 * await runner.transaction(async (client) => { await client.query('…'); });
 */
export class PgRunner {
  readonly pool: pg.Pool;
  private closed = false;

  constructor(
    readonly location: PgLocation,
    private readonly options: NormalisedPostgresOptions,
  ) {
    this.pool = new pg.Pool({
      connectionString: sessionSettings(location.connectionString),
      max: options.poolSize,
      types: TYPES,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection the server closes (a restart) is reported here; the pool drops it and
    // the next checkout opens a new one. Unhandled, it would crash the process.
    this.pool.on('error', () => {});
  }

  /** One statement, retried while the database is unavailable. */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.retrying(() => this.pool.query<R>(sql, params), this.options.unavailableMs);
  }

  /**
   * `work` in one transaction (READ COMMITTED unless `how.begin` says otherwise), retried whole.
   * `how.opening`: waiting for a server to come up when the store opens — shorter, and a server
   * still not there is "nothing answered", not "stayed unavailable".
   */
  transaction<T>(work: (client: pg.PoolClient, attempt: number) => Promise<T>, how: { begin?: string; opening?: boolean } = {}): Promise<T> {
    const begin = how.begin ?? 'BEGIN';
    const patienceMs = how.opening ? this.options.openWaitMs : this.options.unavailableMs;
    let attempt = 0;
    return this.retrying(async () => {
      attempt += 1;
      const client = await this.pool.connect();
      // A connection lost while checked out is also emitted as an 'error' event (the pool only
      // listens while it is idle); the failed query reports it, so the event is only swallowed.
      const ignore = (): void => {};
      client.on('error', ignore);
      let failure: unknown;
      try {
        await client.query(begin);
        const result = await work(client, attempt);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        failure = error;
        if (!isTransientPgError(error)) await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.removeListener('error', ignore);
        // A connection that failed is not given back to the pool: it may be half-closed.
        client.release(failure !== undefined && isTransientPgError(failure) ? (failure as Error) : undefined);
      }
    }, patienceMs, !how.opening);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private async retrying<T>(once: () => Promise<T>, patienceMs: number, sayWaited = true): Promise<T> {
    const started = Date.now();
    let delay: number = BACKOFF.firstMs;
    for (;;) {
      if (this.closed) throw closedError(this.location);
      try {
        return await once();
      } catch (error) {
        if (!isTransientPgError(error) || this.closed) throw this.closed ? closedError(this.location) : pgStoreError(error, this.location);
        const waited = Date.now() - started;
        if (waited + delay > patienceMs) throw pgStoreError(error, this.location, sayWaited ? waited : undefined);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, BACKOFF.maxMs);
      }
    }
  }
}

/**
 * The connection string with recon's session settings added to the user's (the string's
 * parameters win over node-postgres's config, so they go in the string): `application_name`
 * unless given, and — because a worker cut off by the network mid-transaction would hold its row
 * locks (the audit chain's head among them) until TCP gave up, hours later, while recon never
 * idles inside a transaction — a short `idle_in_transaction_session_timeout`.
 */
function sessionSettings(connectionString: string): string {
  const url = new URL(connectionString);
  if (!url.searchParams.has('application_name')) url.searchParams.set('application_name', 'recon');
  const given = url.searchParams.get('options');
  url.searchParams.set('options', [given, `-c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_MS}`].filter(Boolean).join(' '));
  return url.toString();
}

export function closedError(location: PgLocation): StoreUnavailableError {
  return new StoreUnavailableError('RECON_STORE_CLOSED', location.redacted, `${location.redacted}: the store is closed`);
}
