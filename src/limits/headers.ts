/**
 * `parseRateLimitHeaders`: everything one response's headers say about rate limiting, in every
 * dialect recon meets in the field. Never throws: garbage and contradictions become `problems`.
 */
import type { RateLimitDialect, RateLimitHeaders, RateLimitReading } from './types.js';
import { collectFields, countField, displayName, optional, raw, scalarValues, type FieldContext, type HeaderInput } from './header-fields.js';
import { parseHttpDate } from './http-date.js';
import { readIetf } from './ietf.js';
import { resetField } from './reset.js';

export type { HeaderInput } from './header-fields.js';

/**
 * Parse the rate-limit headers of one response, relative to `now` (the response's time; resets
 * written as timestamps or HTTP-dates become seconds from it).
 *
 * @example
 * parseRateLimitHeaders({ 'X-Rate-Limit-Limit': '100', 'X-Rate-Limit-Remaining': '99', 'X-Rate-Limit-Reset': '60' }, new Date())
 * // { readings: [{ dialect: 'x-rate-limit', limit: 100, remaining: 99, resetSeconds: 60, resetForm: 'delta-seconds', raw: {…} }], problems: [] }
 */
export function parseRateLimitHeaders(headers: HeaderInput, now: Date): RateLimitHeaders {
  const ctx: FieldContext = { fields: collectFields(headers), now, problems: [] };
  const readings = [
    ...readXRateLimit(ctx, 'x-ratelimit-', 'x-ratelimit'),
    ...readXRateLimit(ctx, 'x-rate-limit-', 'x-rate-limit'),
    ...readKongWindows(ctx),
    ...readIetf(ctx),
    ...readShopify(ctx),
  ];
  const retryAfterSeconds = readRetryAfter(ctx);
  checkConsistency(readings, ctx.problems);
  return { readings, ...optional('retryAfterSeconds', retryAfterSeconds), problems: ctx.problems };
}

/**
 * `X-RateLimit-*` and `X-Rate-Limit-*`. Tripletex documents `X-Rate-Limit-Limit` ("The number of
 * allowed requests in the current period"), `-Remaining` ("The number of remaining requests")
 * and `-Reset` ("The number of seconds left in the current period") — `info.description`,
 * "Rate limiting", of fixtures/specs/tripletex/tripletex-openapi-3.0.json. GitHub adds `-Used` and `-Resource` (the policy's name, `core`,
 * `search`) and writes the reset as epoch seconds; Discord adds `-Reset-After` (seconds, with
 * decimals) and `-Bucket`.
 */
function readXRateLimit(ctx: FieldContext, prefix: string, dialect: RateLimitDialect): RateLimitReading[] {
  const names = ['limit', 'remaining', 'reset', 'used', 'reset-after', 'resource', 'bucket'].map((n) => prefix + n);
  if (!names.slice(0, 5).some((n) => ctx.fields.has(n))) return [];
  const limit = countField(ctx, `${prefix}limit`);
  const used = countField(ctx, `${prefix}used`);
  let remaining = countField(ctx, `${prefix}remaining`);
  if (remaining === undefined && limit !== undefined && used !== undefined) remaining = Math.max(0, limit - used);
  const reset = resetField(ctx, `${prefix}reset-after`, 'delta-seconds') ?? resetField(ctx, `${prefix}reset`);
  const policy = scalarValues(ctx, `${prefix}resource`)?.[0] ?? scalarValues(ctx, `${prefix}bucket`)?.[0];
  return [{ dialect, ...optional('policy', policy), ...optional('limit', limit), ...optional('remaining', remaining), ...(reset ?? {}), raw: raw(ctx, names) }];
}

const KONG_WINDOWS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86_400, month: 30 * 86_400, year: 365 * 86_400 };

/** Kong's rate-limiting plugin: `X-RateLimit-Limit-Minute: 10`, `X-RateLimit-Remaining-Minute: 9`, one pair per window. */
function readKongWindows(ctx: FieldContext): RateLimitReading[] {
  const readings: RateLimitReading[] = [];
  for (const [unit, windowSeconds] of Object.entries(KONG_WINDOWS)) {
    const names = [`x-ratelimit-limit-${unit}`, `x-ratelimit-remaining-${unit}`];
    if (!names.some((n) => ctx.fields.has(n))) continue;
    const limit = countField(ctx, names[0]!);
    const remaining = countField(ctx, names[1]!);
    readings.push({ dialect: 'x-ratelimit', policy: unit, windowSeconds, ...optional('limit', limit), ...optional('remaining', remaining), raw: raw(ctx, names) });
  }
  return readings;
}

/** Shopify's leaky bucket: `X-Shopify-Shop-Api-Call-Limit: 32/40` (32 used of 40). */
function readShopify(ctx: FieldContext): RateLimitReading[] {
  const name = 'x-shopify-shop-api-call-limit';
  const value = scalarValues(ctx, name)?.[0];
  if (value === undefined) return [];
  const m = /^(\d+)\/(\d+)$/.exec(value);
  if (!m) {
    ctx.problems.push(`${displayName(name)}: "${value}" is not "used/limit"`);
    return [];
  }
  const [used, limit] = [Number(m[1]), Number(m[2])];
  return [{ dialect: 'vendor:shopify', limit, remaining: Math.max(0, limit - used), raw: raw(ctx, [name]) }];
}

/** RFC 9110 §10.2.3: `Retry-After` is delay-seconds (1*DIGIT) or an HTTP-date. */
function readRetryAfter(ctx: FieldContext): number | undefined {
  const values = scalarValues(ctx, 'retry-after');
  if (values === undefined) return undefined;
  const seconds: number[] = [];
  for (const value of values) {
    if (/^\d+$/.test(value)) {
      seconds.push(Number(value));
      continue;
    }
    const date = parseHttpDate(value, ctx.now);
    if (date !== undefined) seconds.push(Math.max(0, Math.ceil((date - ctx.now.getTime()) / 1000)));
    else ctx.problems.push(`Retry-After: "${value}" is neither whole seconds nor an HTTP-date (RFC 9110 §10.2.3)`);
  }
  if (values.length > 1) ctx.problems.push(`Retry-After has ${values.length} different values (${values.join(', ')}); recon waits for the longest`);
  return seconds.length === 0 ? undefined : Math.max(...seconds);
}

/** Remaining above the limit, and dialects that disagree about the limit, are worth a look. */
function checkConsistency(readings: RateLimitReading[], problems: string[]): void {
  for (const r of readings) {
    if (r.limit !== undefined && r.remaining !== undefined && r.remaining > r.limit) {
      problems.push(`${label(r)}: remaining ${r.remaining} is more than the limit ${r.limit}`);
    }
  }
  const byDialect = new Map<RateLimitDialect, Set<number>>();
  for (const r of readings) {
    if (r.limit === undefined) continue;
    byDialect.set(r.dialect, (byDialect.get(r.dialect) ?? new Set()).add(r.limit));
  }
  const dialects = [...byDialect.keys()];
  for (let i = 0; i < dialects.length; i++) {
    for (let j = i + 1; j < dialects.length; j++) {
      const a = byDialect.get(dialects[i]!)!;
      const b = byDialect.get(dialects[j]!)!;
      if (![...a].some((limit) => b.has(limit))) {
        problems.push(`the ${dialects[i]} headers say the limit is ${[...a].join('/')} but the ${dialects[j]} headers say ${[...b].join('/')}`);
      }
    }
  }
}

function label(r: RateLimitReading): string {
  return r.policy === undefined ? `${r.dialect} headers` : `${r.dialect} policy "${r.policy}"`;
}
