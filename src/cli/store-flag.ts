/**
 * `--store`, the same on every command that opens the store (`recon run`, `recon queue`,
 * `recon audit`): the flag, else the environment variable `RECON_STORE` (what a fleet of workers
 * sets once, for every machine), else `.recon/recon.db` beside recon.yaml.
 */

/** The environment variable a store location may come from when `--store` is not given. */
export const STORE_ENV = 'RECON_STORE';

/** The help text of every `--store` flag. */
export const STORE_FLAG_HELP = 'the store: sqlite:PATH or postgres://user@host/db?schema=recon (default: $RECON_STORE, else .recon/recon.db beside recon.yaml)';

/**
 * Where the store is: the flag, else `RECON_STORE` (when set and not blank), else `fallback` —
 * a location, or a function that finds it (only called when needed: finding recon.yaml reads
 * the disk).
 *
 * @example
 * await storeLocationFrom(undefined, { RECON_STORE: 'postgres://recon@db/recon' }, () => defaultStoreLocation(cwd)); // 'postgres://recon@db/recon'
 * await storeLocationFrom('sqlite:q.db', { RECON_STORE: 'postgres://recon@db/recon' }, 'unused');                     // 'sqlite:q.db'
 */
export async function storeLocationFrom(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  fallback: string | (() => string | Promise<string>),
): Promise<string> {
  if (flag !== undefined) return flag;
  const fromEnv = env[STORE_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  return typeof fallback === 'string' ? fallback : fallback();
}

/**
 * A store location fit to print: a connection string's password (and any `password=` parameter)
 * is replaced by `***` — the store's own rule (src/runtime/store/pg-location.ts).
 *
 * @example
 * printableStoreLocation('postgres://recon:s3cret@db/recon?sslmode=require'); // 'postgres://recon:***@db/recon?sslmode=require'
 */
export { redactUrl as printableStoreLocation } from '../runtime/store/pg-location.js';
