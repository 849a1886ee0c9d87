/**
 * Older integration specs are migrated, one format at a time, to the format this recon reads:
 * a connector built against an older review keeps working after recon is upgraded. Each step
 * takes format N to N+1 and is written down in `MIGRATIONS`; a new format adds one step.
 */
import type { KeyPath } from '../../config/errors.js';
import { RETRY_DEFAULTS } from './retry-defaults.js';
import { INTEGRATION_SPEC_FORMAT } from './types.js';

type Data = Record<string, unknown>;

export interface MigrationStep {
  from: number;
  to: number;
  /** What changed, in a line. */
  change: string;
  migrate(data: Data): Data;
  /** Where a key of format N+1 was in format N, so that a problem points at the line the user wrote. */
  pathBefore(path: KeyPath): KeyPath;
}

/**
 * Format 0 was the pre-release shape (fixtures/integration-spec/format-0.yaml): one `rateLimit`
 * with plain numbers and one source for all of them, and no retry policy (the runtime had it
 * built in).
 */
export const MIGRATIONS: readonly MigrationStep[] = [
  {
    from: 0,
    to: 1,
    change: '`rateLimit` (one, plain numbers) became `rateLimits` (a list, each value with its source); the retry policy is written out',
    migrate: fromFormat0,
    // rateLimits[0].limit.value was rateLimit.limit; the retry policy was nowhere (the top).
    pathBefore: (path) => (path[0] === 'rateLimits' && path[1] === 0 ? ['rateLimit', ...path.slice(2, 3)] : path[0] === 'retry' ? [] : path),
  },
];

export interface MigrationResult {
  /** The data in the current format (not yet validated). */
  data: unknown;
  /** The format it was written in. */
  from: number;
  /** The steps applied, oldest first (empty when it was current). */
  applied: string[];
  /** Where a key path of the migrated data was in the data as written. */
  pathBefore(path: KeyPath): KeyPath;
}

/**
 * Walk `data` up to the current format, one step at a time. Data that is not a known older
 * format is returned unchanged for validation to judge.
 *
 * @example
 * migrateIntegrationSpec({ integrationSpec: 0, rateLimit: { limit: 60, windowSeconds: 60, source: 'headers' }, … })
 * // { data: { integrationSpec: 1, rateLimits: [{ limit: { value: 60, source: 'headers', at: … }, … }], retry: {…}, … }, from: 0, applied: ['0 → 1: …'] }
 */
export function migrateIntegrationSpec(data: unknown): MigrationResult {
  const from = formatOf(data);
  // No version, the current one, a newer one, or older than any format that existed: unchanged.
  const oldest = Math.min(...MIGRATIONS.map((m) => m.from));
  if (from === undefined || from >= INTEGRATION_SPEC_FORMAT || from < oldest) return { data, from: from ?? INTEGRATION_SPEC_FORMAT, applied: [], pathBefore: (path) => path };
  let current = data as Data;
  const applied: string[] = [];
  const steps: MigrationStep[] = [];
  for (let version = from; version < INTEGRATION_SPEC_FORMAT; version++) {
    const step = MIGRATIONS.find((m) => m.from === version);
    // A gap in the table is recon's bug, not the file's: fail loudly in tests.
    if (!step) throw new Error(`no migration from integration spec format ${version}`);
    current = { ...step.migrate(current), integrationSpec: step.to };
    applied.push(`${step.from} → ${step.to}: ${step.change}`);
    steps.push(step);
  }
  return { data: current, from, applied, pathBefore: (path) => steps.reduceRight((p, step) => step.pathBefore(p), path) };
}

/** The `integrationSpec` format number, when it is a whole number. */
export function formatOf(data: unknown): number | undefined {
  const value = isObject(data) ? data.integrationSpec : undefined;
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function fromFormat0(data: Data): Data {
  const { rateLimit, ...rest } = data;
  const generatedAt = typeof data.generatedAt === 'string' ? data.generatedAt : new Date(0).toISOString();
  const migrated: Data = { ...rest };
  if (rateLimit === undefined) migrated.rateLimits = [];
  else if (isObject(rateLimit)) migrated.rateLimits = [rateLimitFromFormat0(rateLimit, generatedAt)];
  // Anything else is kept as written, for validation to name.
  else migrated.rateLimit = rateLimit;
  migrated.retry ??= { ...RETRY_DEFAULTS, retryOn: [...RETRY_DEFAULTS.retryOn], source: 'assumed', at: generatedAt, evidence: ["recon's runtime defaults (format 0 had no retry policy)"] };
  return migrated;
}

/** `{ limit: 60, windowSeconds: 60, source, confidence, measuredAt }` → a format-1 entry. */
function rateLimitFromFormat0(old: Data, generatedAt: string): Data {
  const { limit, windowSeconds, burst, policy, source, confidence, measuredAt, scope, ...other } = old;
  const at = typeof measuredAt === 'string' ? measuredAt : generatedAt;
  const sourced = (value: unknown) => ({ value, source: source ?? 'assumed', at, ...(confidence !== undefined ? { confidence } : {}) });
  return {
    scope: scope ?? 'unknown',
    limit: sourced(limit),
    windowSeconds: sourced(windowSeconds),
    ...(burst !== undefined ? { burst: sourced(burst) } : {}),
    ...(policy !== undefined ? { policy: sourced(policy) } : {}),
    ...(measuredAt !== undefined ? { measuredAt } : {}),
    // Keys format 0 did not know either: kept, so that validation names them.
    ...other,
  };
}

function isObject(value: unknown): value is Data {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
