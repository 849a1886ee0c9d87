/**
 * HTTP-date (RFC 9110 §5.6.7): the preferred IMF-fixdate and the two obsolete forms a recipient
 * must still accept (RFC 850 and asctime). Anything else is not a date.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

/**
 * Milliseconds since the epoch, or undefined when `text` is no HTTP-date.
 *
 * @example
 * parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT') // 784111777000
 */
export function parseHttpDate(text: string, now: Date = new Date()): number | undefined {
  const value = text.trim();
  let m = IMF_FIXDATE.exec(value);
  if (m) return utc(Number(m[3]), m[2]!, Number(m[1]), m[4]!, m[5]!, m[6]!);
  m = RFC850.exec(value);
  if (m) {
    // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is in the past century.
    let year = 2000 + Number(m[3]);
    if (year > now.getUTCFullYear() + 50) year -= 100;
    return utc(year, m[2]!, Number(m[1]), m[4]!, m[5]!, m[6]!);
  }
  m = ASCTIME.exec(value);
  if (m) return utc(Number(m[6]), m[1]!, Number(m[2]!.trim()), m[3]!, m[4]!, m[5]!);
  return undefined;
}

/** True when the text looks like an HTTP-date (it contains commas, so lists must not split it). */
export function looksLikeHttpDate(text: string): boolean {
  return /^[A-Z][a-z]{2}/.test(text.trim()) && /GMT$|\d{4}$/.test(text.trim());
}

function utc(year: number, month: string, day: number, h: string, m: string, s: string): number | undefined {
  const ms = Date.UTC(year, MONTHS.indexOf(month), day, Number(h), Number(m), Number(s));
  const check = new Date(ms);
  // Reject 31 Feb and 25:00 rather than let Date roll them over.
  if (check.getUTCDate() !== day || Number(h) > 23 || Number(m) > 59 || Number(s) > 60) return undefined;
  return ms;
}
