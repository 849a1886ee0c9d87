/**
 * The store `recon monitor check` and `recon status` read. Unlike `recon run`, they never create
 * one: a SQLite file that does not exist means nothing has run yet, said plainly (exit 3).
 */
import { access } from 'node:fs/promises';
import { isPostgresLocation, openStore, redactUrl, storeFile, type Store } from '../runtime/store/index.js';
import { MonitorFailure } from './errors.js';

/**
 * @example const store = await openExistingStore('sqlite:.recon/recon.db', { cwd });
 */
export async function openExistingStore(location: string, o: { cwd: string }): Promise<Store> {
  if (!isPostgresLocation(location)) {
    const file = storeFile(location, o.cwd);
    try {
      await access(file);
    } catch {
      throw new MonitorFailure('RECON_MONITOR_NO_STORE', `no store at ${file}: run a connector first (recon run CONNECTOR)`, {
        hint: 'or point at the store with --store sqlite:PATH / postgres://… (or $RECON_STORE)',
      });
    }
  }
  try {
    return await openStore(location, { cwd: o.cwd });
  } catch (error) {
    if (error instanceof Error && 'exitCode' in error) throw error;
    throw new MonitorFailure('RECON_MONITOR_NO_STORE', `no store at ${redactUrl(location)}: ${(error as Error).message}`, { cause: error });
  }
}
