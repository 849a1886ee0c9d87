/**
 * From a `--store` location to a Store. One place decides which engine a location means, so the
 * CLI and the library accept the same spellings.
 */
import { isAbsolute, resolve } from 'node:path';
import { StoreInputError } from './errors.js';
import { SqliteStore } from './sqlite.js';
import type { SqliteStoreOptions } from './sqlite-connection.js';
import type { Store } from './types.js';

/** Where a project's store lives when `--store` is not given. */
export const DEFAULT_STORE_LOCATION = '.recon/recon.db';

export interface OpenStoreOptions extends SqliteStoreOptions {
  /** Relative paths are resolved against this (default: process.cwd()). */
  cwd?: string;
}

/**
 * Open the store at `location`: `sqlite:PATH`, a plain path, or '' for `.recon/recon.db`.
 * Parent directories are created. `postgres://…` is refused (exit 2) until the PostgreSQL store lands.
 *
 * @example
 * const store = await openStore('sqlite:.recon/recon.db', { cwd: projectDir, now: () => clock.now() });
 * const stats = await store.stats('push-invoices');
 * await store.close();
 */
export async function openStore(location: string = DEFAULT_STORE_LOCATION, options: OpenStoreOptions = {}): Promise<Store> {
  const { cwd, ...sqliteOptions } = options;
  return SqliteStore.open(storeFile(location, cwd ?? process.cwd()), sqliteOptions);
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
  if (/^postgres(?:ql)?:\/\//i.test(text)) {
    throw new StoreInputError('RECON_STORE_UNSUPPORTED', `--store ${redactUrl(text)}: PostgreSQL stores are not yet supported`, {
      hint: 'Use a SQLite file for now (--store sqlite:.recon/recon.db); PostgreSQL is the next issue.',
    });
  }
  let path = text;
  if (/^sqlite:/i.test(text)) path = text.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new StoreInputError('RECON_STORE_UNSUPPORTED', `--store ${redactUrl(text)}: unknown store kind (use sqlite:PATH or a file path)`);
  }
  if (path === '') throw new StoreInputError('RECON_STORE_BAD_INPUT', '--store sqlite: needs a file path (sqlite:.recon/recon.db)');
  if (path === ':memory:') throw new StoreInputError('RECON_STORE_BAD_INPUT', '--store sqlite::memory: would lose every message at exit; give a file path');
  return isAbsolute(path) ? path : resolve(cwd, path);
}

// A connection string may carry a password: never echo it.
function redactUrl(text: string): string {
  return text.replace(/\/\/([^/@]*)@/, '//***@');
}
