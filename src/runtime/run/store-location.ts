/**
 * Where a project's store is when `--store` is not given: `.recon/recon.db` in the folder of the
 * recon.yaml the connector uses — the review workspace — so that `recon run`, `recon queue` and
 * `recon audit` find the same file from any folder inside the workspace. Without a recon.yaml,
 * `.recon/recon.db` in the current folder.
 */
import { dirname, join } from 'node:path';
import { findConfig } from '../../config/index.js';

/** @example storeBesideConfig('/work/acme/recon.yaml') // 'sqlite:/work/acme/.recon/recon.db' */
export function storeBesideConfig(configFile: string): string {
  return `sqlite:${join(dirname(configFile), '.recon', 'recon.db')}`;
}

/** @example await defaultStoreLocation('/work/acme/connectors') // 'sqlite:/work/acme/.recon/recon.db' */
export async function defaultStoreLocation(cwd: string): Promise<string> {
  const config = await findConfig(cwd);
  return config === undefined ? `sqlite:${join(cwd, '.recon', 'recon.db')}` : storeBesideConfig(config);
}
