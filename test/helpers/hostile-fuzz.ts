/**
 * Shared settings of the fuzz tests: a fixed seed in CI (printed by fast-check on failure, with
 * the path to replay it), a fresh one locally unless FUZZ_SEED is set, and at least 1,000 runs.
 */
import fc from 'fast-check';

const FIXED_SEED = 20_261_205;

export function fuzzParameters(numRuns = 1_000): fc.Parameters<unknown> {
  const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : process.env.CI ? FIXED_SEED : Date.now() ^ (Math.random() * 0x100000000);
  return { numRuns: Number(process.env.FUZZ_RUNS ?? numRuns), seed, verbose: 1, endOnFailure: true };
}

/** Object.prototype's own keys and the values of a few well-known properties, to compare after a run. */
export function prototypeSnapshot(): string {
  return JSON.stringify([Object.getOwnPropertyNames(Object.prototype).sort(), ({} as Record<string, unknown>).polluted, Object.prototype.toString === Object.prototype.toString]);
}

/** Keys that try to reach the prototype chain. */
export const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

/** JSON-ish values with hostile keys and absurd numbers mixed in. */
export const hostileJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -0, 1e308, -1e308, 2 ** 53, 2 ** 64, Number.MAX_SAFE_INTEGER, 0.1, '', 'NaN', 'Infinity', '__proto__', '${/a}', '$${', '\u0000', '\uFEFF', '\uD800'),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string()), tie('value'), { maxKeys: 5 }),
  ),
})).value;
