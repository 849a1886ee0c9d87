/**
 * The reset value of a rate-limit header, which vendors write in four ways: seconds from now
 * (Tripletex, the IETF drafts), epoch seconds (GitHub, express-rate-limit's legacy headers),
 * epoch milliseconds (some gateways), or an HTTP-date. Numbers are told apart by magnitude
 * relative to `now`: no real window lasts decades, so a value at least half of now's epoch
 * seconds is a timestamp, and one at least half of now's epoch milliseconds is in milliseconds.
 */
import type { RateLimitReading } from './types.js';
import { displayName, scalarValues, type FieldContext } from './header-fields.js';
import { parseHttpDate } from './http-date.js';

export type ResetForm = NonNullable<RateLimitReading['resetForm']>;
export interface Reset {
  resetSeconds: number;
  resetForm: ResetForm;
}

/** A year: a reset further ahead than this is garbage rather than a quota. */
const MAX_RESET_SECONDS = 366 * 24 * 3600;
/** A timestamp this far in the past is more than clock skew between vendor and recon. */
const PAST_TOLERANCE_SECONDS = 60;

/**
 * Interpret one reset value relative to `now`; garbage becomes a problem and undefined.
 *
 * @example
 * interpretReset('1700000060', new Date(1_700_000_000_000), 'x-ratelimit-reset', problems)
 * // { resetSeconds: 60, resetForm: 'epoch-seconds' }
 */
export function interpretReset(value: string, now: Date, name: string, problems: string[], form?: ResetForm): Reset | undefined {
  const label = `${displayName(name)}: "${value}"`;
  let seconds: number;
  let resetForm: ResetForm;
  const date = /^\d/.test(value) ? undefined : parseHttpDate(value, now);
  if (date !== undefined) {
    seconds = (date - now.getTime()) / 1000;
    resetForm = 'http-date';
  } else if (/^-\d+(\.\d+)?$/.test(value)) {
    problems.push(`${label} is negative`);
    return undefined;
  } else if (!/^\d+(\.\d+)?$/.test(value)) {
    problems.push(`${label} is neither a number of seconds, a timestamp nor an HTTP-date`);
    return undefined;
  } else {
    const n = Number(value);
    const nowMs = now.getTime();
    resetForm = form ?? (n >= nowMs / 2 ? 'epoch-millis' : n >= nowMs / 2000 ? 'epoch-seconds' : 'delta-seconds');
    seconds = resetForm === 'epoch-millis' ? (n - nowMs) / 1000 : resetForm === 'epoch-seconds' ? n - nowMs / 1000 : n;
  }
  if (seconds < -PAST_TOLERANCE_SECONDS) {
    problems.push(`${label} is ${Math.round(-seconds)} s in the past (read as ${resetForm}); recon treats the quota as reset`);
    seconds = 0;
  }
  if (seconds > MAX_RESET_SECONDS) {
    problems.push(`${label} is more than a year ahead (read as ${resetForm})`);
    return undefined;
  }
  return { resetSeconds: Math.max(0, Math.round(seconds * 1000) / 1000), resetForm };
}

/** The reset of a single-valued field; with several values the latest reset wins (the cautious one). */
export function resetField(ctx: FieldContext, name: string, form?: ResetForm): Reset | undefined {
  const values = scalarValues(ctx, name);
  if (values === undefined) return undefined;
  const resets = values.map((v) => interpretReset(v, ctx.now, name, ctx.problems, form)).filter((r): r is Reset => r !== undefined);
  if (values.length > 1) ctx.problems.push(`${displayName(name)} has ${values.length} different values (${values.join(', ')}); recon uses the latest reset`);
  return resets.sort((a, b) => b.resetSeconds - a.resetSeconds)[0];
}
