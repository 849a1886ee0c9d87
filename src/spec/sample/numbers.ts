/**
 * Numbers within a schema's bounds, `multipleOf` and `format` (OpenAPI 3.0.3 §4.4: int32,
 * int64, float, double, as recon's engine checks them).
 */
import type { NumberBounds } from './reading.js';
import type { Random } from './random.js';

const INT32: [number, number] = [-(2 ** 31), 2 ** 31 - 1];
/** int64 as a JSON number a JavaScript reader keeps exactly. */
const INT64: [number, number] = [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
/** Where values fall when the schema sets no bound: realistic ids and amounts. */
const DEFAULT_SPAN = 100_000;

/** Ajv's `multipleOf` check (without `multipleOfPrecision`): the quotient must be an integer. */
function isMultiple(value: number, of: number): boolean {
  const quotient = value / of;
  return quotient === Math.trunc(quotient);
}

/**
 * @example sampleNumber(random, true, { minimum: 1, maximum: 12 }, 'int32') // 7
 * Returns undefined when the bounds leave nothing (minimum above maximum, no multiple in range).
 */
export function sampleNumber(random: Random, integer: boolean, bounds: NumberBounds, format?: string): number | undefined {
  let low = Math.max(bounds.minimum ?? -Infinity, bounds.exclusiveMinimum ?? -Infinity);
  let high = Math.min(bounds.maximum ?? Infinity, bounds.exclusiveMaximum ?? Infinity);
  if (low === -Infinity && high === Infinity) low = 1;
  if (low === -Infinity) low = high - DEFAULT_SPAN;
  if (high === Infinity || high - low > DEFAULT_SPAN) high = low + DEFAULT_SPAN;
  const range = format === 'int32' ? INT32 : format === 'int64' || integer ? INT64 : undefined;
  if (range !== undefined) {
    integer = true;
    low = Math.max(low, range[0]);
    high = Math.min(high, range[1]);
  }
  const accept = (n: number): boolean =>
    Number.isFinite(n) &&
    (!integer || Number.isInteger(n)) &&
    (bounds.minimum === undefined || n >= bounds.minimum) &&
    (bounds.maximum === undefined || n <= bounds.maximum) &&
    (bounds.exclusiveMinimum === undefined || n > bounds.exclusiveMinimum) &&
    (bounds.exclusiveMaximum === undefined || n < bounds.exclusiveMaximum) &&
    (range === undefined || (n >= range[0] && n <= range[1])) &&
    (bounds.multipleOf === undefined || isMultiple(n, bounds.multipleOf));

  const step = bounds.multipleOf;
  for (let attempt = 0; attempt < 40; attempt++) {
    let candidate: number;
    if (step !== undefined) {
      const first = Math.ceil(low / step);
      const last = Math.floor(high / step);
      if (first > last) break;
      const k = random.int(first, Math.min(last, first + 1000));
      candidate = Number((k * step).toPrecision(12));
    } else if (integer) {
      candidate = random.int(Math.ceil(low), Math.floor(high));
    } else {
      candidate = Math.round((low + random.next() * (high - low)) * 100) / 100;
    }
    if (accept(candidate)) return candidate;
  }
  // A narrow range: its ends, then its middle.
  for (const candidate of [Math.ceil(low), Math.floor(high), low, high, (low + high) / 2]) if (accept(candidate)) return candidate;
  return undefined;
}
