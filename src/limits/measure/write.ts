/** Write a result as JSON, atomically (a reader never sees half a file). */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RuntimeFailure } from '../../errors.js';
import type { LimitsResult } from '../types.js';

/**
 * @example
 * await writeLimitsResult('review/limits.json', result); // what `recon plan --from` reads
 */
export async function writeLimitsResult(path: string, result: LimitsResult): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, JSON.stringify(result, null, 2) + '\n', { mode: 0o644 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new RuntimeFailure('RECON_LIMITS_WRITE_FAILED', `could not write ${path}: ${(error as Error).message}`, { cause: error });
  }
}
