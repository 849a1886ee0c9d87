/**
 * Formats for drift: does a value match the `format` the document names, and if not, what
 * format is it actually in? The first question reuses the engine's formats (ajv-formats full
 * mode + OpenAPI's `openApiFormats`), so drift and validation agree, except for `date-time`,
 * which follows RFC 3339 §5.6 strictly: vendors who send `2024-01-05 10:00:00` or a local time
 * without an offset break every client that parses RFC 3339, and drift must say so.
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { openApiFormats } from '../spec/schema/engine.js';

/** One format's check; `undefined` when the value is of a type the format does not apply to. */
export type FormatValidator = (value: unknown) => boolean | undefined;

type AjvFormat =
  | true
  | RegExp
  | ((value: string) => boolean)
  | { type?: string; validate: true | RegExp | ((value: never) => boolean) };

// RFC 3339 §5.6: full-date "T" full-time, where full-time = partial-time time-offset and
// time-numoffset = ("+" / "-") time-hour ":" time-minute (the colon and the minutes are required).
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** RFC 3339 §5.7: day ranges per month, leap years per Appendix C. */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : DAYS[month]!);
}

function isFullDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return match !== null && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** RFC 3339 §5.6 date-time, strictly; a leap second (`:60`) is accepted at any minute, as
 * §5.7 leaves it to the application to know where leap seconds fall. */
export function isRfc3339DateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (match === null || !isFullDate(match[1]!)) return false;
  const [hour, minute, second] = [Number(match[2]), Number(match[3]), Number(match[4])];
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (match[5] !== undefined && (Number(match[5]) > 23 || Number(match[6]) > 59)) return false;
  return true;
}

function toValidator(format: AjvFormat): FormatValidator {
  if (format === true) return (value) => (typeof value === 'string' ? true : undefined);
  if (format instanceof RegExp) return (value) => (typeof value === 'string' ? testRegex(format, value) : undefined);
  if (typeof format === 'function') return (value) => (typeof value === 'string' ? format(value) : undefined);
  if (format.type === 'number') {
    const validate = format.validate as (value: number) => boolean;
    return (value) => (typeof value === 'number' ? validate(value) : undefined);
  }
  return toValidator(format.validate as AjvFormat);
}

/** ajv-formats' `byte` pattern carries the `g` flag: reset `lastIndex` so each test starts at 0. */
function testRegex(pattern: RegExp, value: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(value);
}

const VALIDATORS = new Map<string, FormatValidator>();
for (const [name, format] of Object.entries(fullFormats)) VALIDATORS.set(name, toValidator(format as AjvFormat));
for (const [name, format] of Object.entries(openApiFormats)) VALIDATORS.set(name, toValidator(format as AjvFormat));
VALIDATORS.set('date-time', (value) => (typeof value === 'string' ? isRfc3339DateTime(value) : undefined));

/**
 * The check for one format, to look up once and call per value; `undefined` for a format recon
 * does not know (which is never an issue).
 * @example formatValidator('int32')?.(2 ** 31) // → false
 */
export function formatValidator(format: string): FormatValidator | undefined {
  return VALIDATORS.get(format);
}

/**
 * Whether `value` is in `format`: `undefined` for an unknown format or for a value of a type
 * the format does not apply to (`int32` on a string, `email` on a number).
 * @example
 * checkFormat('date-time', '2024-01-05T10:00:00Z'); // → true
 * checkFormat('date-time', '2024-01-05 10:00:00');  // → false
 * checkFormat('x-vendor-thing', 'anything');        // → undefined
 */
export function checkFormat(format: string, value: unknown): boolean | undefined {
  return VALIDATORS.get(format)?.(value);
}

// 2000-01-01 .. 2100-01-01: a 10- or 13-digit number outside it is an id, not a timestamp.
const EPOCH_SECONDS = [946_684_800, 4_102_444_800] as const;
const EPOCH_MILLIS = [946_684_800_000, 4_102_444_800_000] as const;

const RECOGNISERS: [name: string | ((text: string) => string | undefined), test: (text: string) => boolean][] = [
  ['date-time', isRfc3339DateTime],
  ['date-time (no offset)', (s) => dateTimeLike(/^(\d{4}-\d{2}-\d{2})[Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/, s)],
  ['yyyy-MM-dd HH:mm:ss', (s) => dateTimeLike(/^(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}:\d{2}$/, s)],
  ['date', isFullDate],
  ['dd.MM.yyyy', (s) => dayMonthYear(/^(\d{2})\.(\d{2})\.(\d{4})$/, s, false)],
  [slashedDate, (s) => /^\d{2}\/\d{2}\/\d{4}$/.test(s)],
  ['time', (s) => /^\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/.test(s) && validClock(s)],
  ['uuid', (s) => /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(s)],
  ['email', (s) => checkFormat('email', s) === true],
  ['email-list', isEmailList],
  ['epoch-millis', (s) => /^\d{13}$/.test(s) && inRange(Number(s), EPOCH_MILLIS)],
  ['epoch-seconds', (s) => /^\d{10}$/.test(s) && inRange(Number(s), EPOCH_SECONDS)],
  [spacedPhone, (s) => /^\+\d{1,3}(?: \d{2,4}){2,}$/.test(s)],
  ['phone (E.164)', (s) => /^\+[1-9]\d{7,14}$/.test(s)],
  // Norwegian subscriber numbers are eight digits and never start with 0 or 1.
  ['phone (8 digits)', (s) => /^[2-9]\d{7}$/.test(s)],
  ['phone (spaced)', (s) => /^[2-9]\d(?: \d{2}){3}$/.test(s) || /^[2-9]\d{2} \d{2} \d{3}$/.test(s)],
  ['uri', (s) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) && checkFormat('uri', s) === true],
  ['numeric-string', (s) => /^-?\d+$/.test(s)],
  ['decimal-string', (s) => /^-?\d+\.\d+$/.test(s)],
];

function dateTimeLike(pattern: RegExp, text: string): boolean {
  const match = pattern.exec(text);
  return match !== null && isFullDate(match[1]!) && validClock(text.slice(11));
}

function validClock(time: string): boolean {
  const [hour, minute, second] = time.split(':').map((part) => Number.parseFloat(part));
  return hour! <= 23 && minute! <= 59 && (second === undefined || Number.isNaN(second) || second <= 60);
}

function dayMonthYear(pattern: RegExp, text: string, monthFirst: boolean): boolean {
  const match = pattern.exec(text);
  if (match === null) return false;
  const [a, b, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return monthFirst ? isCalendarDate(year, a, b) : isCalendarDate(year, b, a);
}

/** `05/01/2024` is 5 January in Norway and May 1 in the US: name it only when the numbers
 * leave one reading. */
function slashedDate(text: string): string | undefined {
  const dayFirst = dayMonthYear(/^(\d{2})\/(\d{2})\/(\d{4})$/, text, false);
  const monthFirst = dayMonthYear(/^(\d{2})\/(\d{2})\/(\d{4})$/, text, true);
  if (dayFirst && monthFirst) return 'dd/MM/yyyy or MM/dd/yyyy';
  if (dayFirst) return 'dd/MM/yyyy';
  if (monthFirst) return 'MM/dd/yyyy';
  return undefined;
}

function spacedPhone(text: string): string {
  return `phone (${text.slice(0, text.indexOf(' '))} spaced)`;
}

function isEmailList(text: string): boolean {
  const parts = text.split(/\s*[,;]\s*/);
  return parts.length > 1 && parts.every((part) => checkFormat('email', part) === true);
}

function inRange(n: number, [low, high]: readonly [number, number]): boolean {
  return n >= low && n < high;
}

/**
 * The format a value is actually in, as drift names it to people; `undefined` when recon does
 * not recognise one.
 * @example
 * recogniseFormat('05.01.2024');       // → 'dd.MM.yyyy'
 * recogniseFormat('2024-01-05 10:00:00'); // → 'yyyy-MM-dd HH:mm:ss'
 * recogniseFormat(1704448800000);      // → 'epoch-millis'
 * recogniseFormat('+47 22 33 44 55');  // → 'phone (+47 spaced)'
 */
export function recogniseFormat(value: string | number): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return undefined;
    if (inRange(value, EPOCH_MILLIS)) return 'epoch-millis';
    if (inRange(value, EPOCH_SECONDS)) return 'epoch-seconds';
    return undefined;
  }
  if (typeof value !== 'string') return undefined;
  if (value === '') return 'empty-string';
  // Long free text is no format; this also bounds the work the patterns do.
  if (value.length > 320) return undefined;
  for (const [name, test] of RECOGNISERS) {
    if (!test(value)) continue;
    const named = typeof name === 'string' ? name : name(value);
    if (named !== undefined) return named;
  }
  return undefined;
}
