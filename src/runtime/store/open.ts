/**
 * From a `--store` location to a Store. One place decides which engine a location means, so the
 * CLI and the library accept the same spellings: `postgres://…` / `postgresql://…` is the
 * PostgreSQL store, `sqlite:PATH` or a plain path the SQLite one.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreInputError, StoreUnavailableError } from './errors.js';
import { normalisePostgresOptions, PgRunner, type PostgresStoreOptions } from './pg-connection.js';
import { pgStoreError } from './pg-errors.js';
import { isPostgresLocation, parsePgLocation, redactUrl } from './pg-location.js';
import { migratePg, pgSchemaPlan } from './pg-schema.js';
import { PostgresStore } from './pg-store.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, RECON_APPLICATION_ID } from './schema.js';
import { SqliteStore } from './sqlite.js';
import type { SqliteStoreOptions } from './sqlite-connection.js';
import { storeErrorFrom } from './sqlite-errors.js';
import type { Store } from './types.js';

export { redactUrl };

/** Where a project's store lives when `--store` is not given. */
export const DEFAULT_STORE_LOCATION = '.recon/recon.db';

export interface OpenStoreOptions extends SqliteStoreOptions, PostgresStoreOptions {
  /** Relative paths are resolved against this (default: process.cwd()). */
  cwd?: string;
}

/**
 * Open the store at `location`: `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?schema=recon]`,
 * `sqlite:PATH`, a plain path, or '' for `.recon/recon.db`. Creates (and migrates) what is
 * missing: parent directories and the file, or the PostgreSQL schema and its tables.
 *
 * @example
 * const store = await openStore('sqlite:.recon/recon.db', { cwd: projectDir, now: () => clock.now() });
 * const shared = await openStore('postgres://recon@db.internal/ops?schema=recon', { unavailableMs: 60_000 });
 * await store.close();
 */
export async function openStore(location: string = DEFAULT_STORE_LOCATION, options: OpenStoreOptions = {}): Promise<Store> {
  const { cwd, durability, busyTimeoutMs, now, time, unavailableMs, openWaitMs, poolSize } = options;
  if (isPostgresLocation(location)) return PostgresStore.open(location, { time, unavailableMs, openWaitMs, poolSize, now });
  return SqliteStore.open(storeFile(location, cwd ?? process.cwd()), { durability, busyTimeoutMs, now });
}

/**
 * The SQLite file a location names, resolved against `cwd`.
 *
 * @example
 * storeFile('sqlite:data/q.db', '/srv/app'); // '/srv/app/data/q.db'
 * storeFile('', '/srv/app');                 // '/srv/app/.recon/recon.db'
 */
export function storeFile(location: string, cwd: string): string {
  const text = location.trim() === '' ? DEFAULT_STORE_LOCATION : location.trim();
  if (isPostgresLocation(text)) {
    throw new StoreInputError('RECON_STORE_UNSUPPORTED', `--store ${redactUrl(text)} is a PostgreSQL store, not a SQLite file`);
  }
  let path = text;
  if (/^sqlite:/i.test(text)) path = text.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new StoreInputError('RECON_STORE_UNSUPPORTED', `--store ${redactUrl(text)}: unknown store kind (use postgres://…, sqlite:PATH or a file path)`);
  }
  if (path === '') throw new StoreInputError('RECON_STORE_BAD_INPUT', '--store sqlite: needs a file path (sqlite:.recon/recon.db)');
  if (path === ':memory:') throw new StoreInputError('RECON_STORE_BAD_INPUT', '--store sqlite::memory: would lose every message at exit; give a file path');
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** Where a store's schema stands, read without changing anything (`recon store status`, `migrate --dry-run`). */
export interface StoreSchemaStatus {
  engine: 'sqlite' | 'postgres';
  /** The file, or the connection string with its password redacted. */
  location: string;
  /** PostgreSQL only: the schema the tables live in. */
  schema?: string;
  /** 0: no store there yet. */
  current: number;
  /** The newest version this recon knows. Below `current`: the store was written by a newer recon. */
  latest: number;
  pending: { version: number; description: string }[];
  /** The SQL migrating would run, in order ('' when none). */
  sql: string;
}

/**
 * @example
 * await storeSchemaStatus('postgres://recon@db/ops'); // { engine: 'postgres', current: 1, latest: 2, pending: [{ version: 2, … }], sql: 'BEGIN; …' }
 * await storeSchemaStatus('', { cwd });               // { engine: 'sqlite', current: 0, … } before the first run
 */
export async function storeSchemaStatus(location: string, options: OpenStoreOptions = {}): Promise<StoreSchemaStatus> {
  if (isPostgresLocation(location)) {
    const where = parsePgLocation(location);
    const plan = await withPgRunner(location, options, (runner) => runner.transaction((client) => pgSchemaPlan(client, where), { begin: 'BEGIN READ ONLY', opening: true }));
    return { engine: 'postgres', location: where.redacted, schema: where.schema, current: plan.current, latest: plan.latest, pending: plan.pending.map(({ version, description }) => ({ version, description })), sql: plan.script };
  }
  const file = storeFile(location, options.cwd ?? process.cwd());
  const current = existsSync(file) ? sqliteVersion(file, options.busyTimeoutMs ?? 5_000) : 0;
  const pending = MIGRATIONS.filter((m) => m.version > current);
  const sql = pending.length === 0 ? '' : [
    'BEGIN IMMEDIATE;',
    ...(current === 0 ? ['CREATE TABLE IF NOT EXISTS recon_schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL);', `PRAGMA application_id = ${RECON_APPLICATION_ID};`] : []),
    ...pending.flatMap((m) => [`-- ${m.version}: ${m.description}`, m.sql.trim(), `INSERT INTO recon_schema_version (version, description, applied_at) VALUES (${m.version}, '${m.description.replace(/'/g, "''")}', strftime('%Y-%m-%dT%H:%M:%fZ'));`]),
    'COMMIT;',
  ].join('\n');
  return { engine: 'sqlite', location: file, current, latest: LATEST_SCHEMA_VERSION, pending: pending.map(({ version, description }) => ({ version, description })), sql };
}

/**
 * Create or bring the store's schema up to date, as opening it would, and say from which version
 * to which. Safe while workers run: PostgreSQL migrates under an advisory lock, SQLite under its
 * write lock.
 *
 * @example
 * await migrateStore('postgres://recon@db/ops?schema=recon'); // { engine: 'postgres', location: 'postgres://recon@db/ops?schema=recon', from: 1, to: 2 }
 */
export async function migrateStore(location: string, options: OpenStoreOptions = {}): Promise<{ engine: 'sqlite' | 'postgres'; location: string; from: number; to: number }> {
  if (isPostgresLocation(location)) {
    const where = parsePgLocation(location);
    const { from, to } = await withPgRunner(location, options, (runner) => runner.transaction((client) => migratePg(client, where), { opening: true }));
    return { engine: 'postgres', location: where.redacted, from, to };
  }
  const before = await storeSchemaStatus(location, options);
  const store = await openStore(location, options);
  await store.close();
  return { engine: 'sqlite', location: before.location, from: before.current, to: Math.max(before.current, LATEST_SCHEMA_VERSION) };
}

async function withPgRunner<T>(location: string, options: OpenStoreOptions, use: (runner: PgRunner) => Promise<T>): Promise<T> {
  const where = parsePgLocation(location);
  const runner = new PgRunner(where, normalisePostgresOptions({ ...options, poolSize: 1 }));
  try {
    return await use(runner);
  } catch (error) {
    throw pgStoreError(error, where);
  } finally {
    await runner.close();
  }
}

/** The recorded version of an existing file, read-only; an error for a file that is not a recon store. */
function sqliteVersion(file: string, busyTimeoutMs: number): number {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const hasVersionTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'recon_schema_version'").get() !== undefined;
    if (hasVersionTable && (applicationId === RECON_APPLICATION_ID || applicationId === 0)) {
      return (db.prepare('SELECT MAX(version) AS version FROM recon_schema_version').get() as { version: number | null }).version ?? 0;
    }
    const { n } = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").get() as { n: number };
    if (n === 0 && applicationId === 0) return 0;
    throw new StoreUnavailableError('RECON_STORE_NOT_A_STORE', file, `${file} is a SQLite database, but not a recon store`, {
      hint: 'recon never changes a database it did not create: point --store at a new or recon-made file.',
    });
  } catch (error) {
    throw storeErrorFrom(error, file, busyTimeoutMs);
  } finally {
    db?.close();
  }
}
