/**
 * The words `recon plan` reads and writes for rates and durations: `100/min`, `5000/hour`,
 * `100 per 60s`; `8h`, `1h30m`, `2d`.
 */
import { UsageError } from '../../errors.js';

/** A rate limit: `requests` per `windowSeconds`. */
export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

const UNIT_SECONDS: [RegExp, number][] = [
  [/^(s|sec|secs|second|seconds)$/, 1],
  [/^(m|min|mins|minute|minutes)$/, 60],
  [/^(h|hr|hrs|hour|hours)$/, 3600],
  [/^(d|day|days)$/, 86_400],
];

export const LIMIT_FORMS = '100/min, 100/minute, 10/s, 5000/hour, 100000/day or "100 per 60s"';
export const DURATION_FORMS = '8h, 90m, 1h30m, 2d or 3600s';

/**
 * Parse a rate limit as people write it. `label` names the flag or field in the error.
 *
 * @example
 * parseRateLimit('100/min')     // { requests: 100, windowSeconds: 60 }
 * parseRateLimit('100 per 60s') // { requests: 100, windowSeconds: 60 }
 */
export function parseRateLimit(text: string, label = 'limit'): RateLimit {
  const m = /^(\d+)\s*(?:\/|per)\s*(\d+(?:\.\d+)?)?\s*([a-z]+)$/i.exec(text.trim());
  const unit = m ? UNIT_SECONDS.find(([re]) => re.test(m[3]!.toLowerCase()))?.[1] : undefined;
  const requests = m ? Number(m[1]) : 0;
  const windowSeconds = unit === undefined ? 0 : unit * Number(m?.[2] ?? 1);
  if (unit === undefined || requests < 1 || !(windowSeconds > 0)) {
    throw new UsageError(`${label} "${text}" is not a rate limit; expected ${LIMIT_FORMS}`, { code: 'RECON_PLAN_BAD_LIMIT' });
  }
  return { requests, windowSeconds };
}

/**
 * Parse a duration: one or more `<number><unit>` parts.
 *
 * @example
 * parseDuration('1h30m') // 5400
 */
export function parseDuration(text: string, label = 'duration'): number {
  const compact = text.trim().toLowerCase().replace(/\s+/g, '');
  const parts = [...compact.matchAll(/(\d+(?:\.\d+)?)([a-z]+)/g)];
  let seconds = 0;
  let consumed = 0;
  for (const [whole, n, unit] of parts) {
    const factor = UNIT_SECONDS.find(([re]) => re.test(unit!))?.[1];
    if (factor === undefined) seconds = Number.NaN;
    seconds += Number(n) * (factor ?? 0);
    consumed += whole.length;
  }
  if (parts.length === 0 || consumed !== compact.length || !(seconds > 0)) {
    throw new UsageError(`${label} "${text}" is not a duration; expected ${DURATION_FORMS}`, { code: 'RECON_PLAN_BAD_DURATION' });
  }
  return seconds;
}

/**
 * `100/min`, `10/s`, `5000/hour`, `100000/day`, else `100 per 90s`.
 *
 * @example
 * formatRate({ requests: 116, windowSeconds: 60 }) // '116/min'
 */
export function formatRate(limit: RateLimit): string {
  const unit = { 1: 's', 60: 'min', 3600: 'hour', 86400: 'day' }[limit.windowSeconds];
  return unit === undefined ? `${limit.requests} per ${formatDuration(limit.windowSeconds)}` : `${limit.requests}/${unit}`;
}

/**
 * Whole seconds as the two largest units: `9h 15m`, `2d 3h`, `45s`.
 *
 * @example
 * formatDuration(33_334) // '9h 15m'
 */
export function formatDuration(seconds: number): string {
  let rest = Math.round(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size || (unit === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.slice(0, 2).filter((p, i) => i === 0 || !p.startsWith('0')).join(' ');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * `Fri 4 Dec 2026 18:00 (UTC+01:00)` from a plan's local ISO date-time (`2026-12-04T18:00:00+01:00`).
 *
 * @example
 * formatLocalDateTime('2026-12-04T18:00:00+01:00', false) // 'Fri 4 Dec 2026 18:00'
 */
export function formatLocalDateTime(iso: string, withZone = true): string {
  const wall = new Date(`${iso.slice(0, 19)}Z`);
  const text = `${DAYS[wall.getUTCDay()]} ${wall.getUTCDate()} ${MONTHS[wall.getUTCMonth()]} ${wall.getUTCFullYear()} ${iso.slice(11, 16)}`;
  return withZone ? `${text} (UTC${iso.slice(19)})` : text;
}
