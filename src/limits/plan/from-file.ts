/**
 * The limit `recon plan --from` uses: what `recon limits` concluded (`review/limits.json`,
 * {@link LimitsResult}), falling back to what the document said.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import type { LimitsResult } from '../types.js';
import type { RateLimit } from './units.js';

export interface LimitFromFile extends RateLimit {
  file: string;
  /** "measured, confidence 0.8" — where the number came from. */
  source: string;
}

/**
 * Read a limits JSON; `location` is the file or a directory holding `limits.json` (or
 * `review/limits.json`).
 *
 * @example
 * await readLimitsFile('review', process.cwd()) // { requests: 60, windowSeconds: 60, file: 'review/limits.json', source: 'measured, confidence 0.9' }
 */
export async function readLimitsFile(location: string, cwd: string): Promise<LimitFromFile> {
  const file = await findFile(resolve(cwd, location), location);
  let data: Partial<LimitsResult>;
  try {
    data = JSON.parse(await readFile(file, 'utf8')) as Partial<LimitsResult>;
  } catch (error) {
    throw new UsageError(`${location}: not readable JSON (${(error as Error).message})`, { code: 'RECON_PLAN_BAD_LIMITS_FILE', cause: error });
  }
  const limit = data.estimate?.limit;
  const window = data.estimate?.windowSeconds;
  if (isCount(limit?.value) && isCount(window?.value)) {
    return { requests: limit.value, windowSeconds: window.value, file, source: `${limit.source}, confidence ${limit.confidence}` };
  }
  if (isCount(data.documented?.limit) && isCount(data.documented.windowSeconds)) {
    return { requests: data.documented.limit, windowSeconds: data.documented.windowSeconds, file, source: 'documented, not measured' };
  }
  throw new UsageError(`${file}: holds no limit with a window (estimate.limit and estimate.windowSeconds)`, {
    code: 'RECON_PLAN_BAD_LIMITS_FILE',
    hint: 'measure it with recon limits, or give --limit 100/min',
  });
}

async function findFile(path: string, location: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isFile()) return path;
  if (info?.isDirectory()) {
    for (const candidate of [join(path, 'limits.json'), join(path, 'review', 'limits.json')]) {
      if ((await stat(candidate).catch(() => undefined))?.isFile()) return candidate;
    }
    throw new UsageError(`--from ${location}: no limits.json in that directory`, { code: 'RECON_PLAN_BAD_LIMITS_FILE', hint: 'run recon limits first, or give --limit 100/min' });
  }
  throw new UsageError(`--from ${location}: no such file or directory`, { code: 'RECON_PLAN_BAD_LIMITS_FILE', hint: 'run recon limits first, or give --limit 100/min' });
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
