/**
 * Opening a SQLite store file with the settings the queue's guarantees rest on.
 */
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from './errors.js';
import { migrate } from './schema.js';
import { storeErrorFrom } from './sqlite-errors.js';

export interface SqliteStoreOptions {
  /**
   * `normal` (default): in WAL mode SQLite syncs at checkpoints, not at every commit. A commit
   * survives the process dying at any instant — SIGKILL, OOM-kill, a crash — because it is in
   * the WAL file the OS already holds; only an OS crash or power cut may lose the last few
   * transactions (never corrupt the file). `full` fsyncs the WAL at every commit and survives
   * power loss too, at a cost per transaction (see bench/RESULTS.md).
   */
  durability?: 'normal' | 'full';
  /**
   * How long a statement waits for another process's write lock before failing with
   * RECON_STORE_LOCKED. Two recon processes on one file take turns rather than fail.
   */
  busyTimeoutMs?: number;
  /** Clock, for what the store stamps by itself (when a migration ran) and measures (a worker's heartbeat age). */
  now?: () => number;
}

export const SQLITE_STORE_DEFAULTS = {
  durability: 'normal',
  busyTimeoutMs: 5_000,
  now: () => Date.now(),
} as const satisfies Required<SqliteStoreOptions>;

export type NormalisedSqliteOptions = { durability: 'normal' | 'full'; busyTimeoutMs: number; now: () => number };

/**
 * Every default written out once.
 *
 * @example
 * normaliseSqliteOptions({ durability: 'full' }); // { durability: 'full', busyTimeoutMs: 5000, now: Date.now-like }
 */
export function normaliseSqliteOptions(options: SqliteStoreOptions = {}): NormalisedSqliteOptions {
  return {
    durability: options.durability ?? SQLITE_STORE_DEFAULTS.durability,
    busyTimeoutMs: options.busyTimeoutMs ?? SQLITE_STORE_DEFAULTS.busyTimeoutMs,
    now: options.now ?? SQLITE_STORE_DEFAULTS.now,
  };
}

/**
 * Open (creating parent directories and the file as needed) and migrate a store file. What recon
 * creates is private to the user: directories 0700, the file 0600 — and SQLite gives FILE-wal and
 * FILE-shm the file's mode. A directory or file that already exists keeps the mode it has.
 *
 * @example
 * const db = openSqliteDatabase('.recon/recon.db', normaliseSqliteOptions());
 */
export function openSqliteDatabase(file: string, options: NormalisedSqliteOptions): Database.Database {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new StoreUnavailableError('RECON_STORE_UNWRITABLE', file, `cannot create the directory for ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    if (!existsSync(file)) createPrivateFile(file);
  } catch (error) {
    throw new StoreUnavailableError('RECON_STORE_UNWRITABLE', file, `cannot create ${file}: ${(error as Error).message}`, { cause: error });
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: options.busyTimeoutMs });
    // WAL: readers never block the writer and a commit is one append, so a process killed
    // mid-write leaves the file consistent (the torn tail of the WAL is ignored on reopen).
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    migrate(db, file, options.now());
    return db;
  } catch (error) {
    db?.close();
    throw storeErrorFrom(error, file, options.busyTimeoutMs);
  }
}

/** An empty file (an empty database to SQLite) with mode 0600; another process creating it first is fine. */
function createPrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
