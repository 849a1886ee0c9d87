/**
 * Options of the sampler, normalised once with every default written out here.
 */

export interface SampleOptions {
  /** Same seed, same document → same value. Default 1. */
  seed?: number;
  /**
   * Deepest nesting of objects and arrays generated freely. At this depth optional properties
   * are left out, arrays are as short as `minItems` allows and nullable objects become `null`,
   * which is what cuts reference cycles (Employee → Department → Employee). Default 6.
   */
  maxDepth?: number;
  /** Items per array, inclusive, before `minItems` / `maxItems` narrow it. Default [1, 3]. */
  arrayItems?: [min: number, max: number];
  /** Prefer the schema's `example` / `examples` / `default` when it validates. Default true. */
  useExamples?: boolean;
  /**
   * Which optional properties to emit: all of them (up to `maxDepth` and `maxValues`), none, or
   * (default) all at the top level and a seeded share below that halves at each level down.
   */
  optionalProperties?: 'all' | 'some' | 'none';
  /**
   * Items in the list of a list response: an array that is the value itself or one of its
   * properties (`{ values: [...] }`). Overrides `arrayItems` there (within `minItems` /
   * `maxItems`). Used to make bodies big.
   */
  listItems?: number;
  /**
   * Values generated per sample (times `listItems` when set) before optional
   * properties are left out everywhere: a document whose schemas all link to each other
   * (Tripletex) would otherwise grow a body exponentially in `maxDepth`. Default 2,000.
   */
  maxValues?: number;
}

export interface SampleContextOptions {
  seed: number;
  maxDepth: number;
  arrayItems: [number, number];
  useExamples: boolean;
  optionalProperties: 'all' | 'some' | 'none';
  listItems: number | undefined;
  maxValues: number;
}

export const SAMPLE_DEFAULTS = {
  seed: 1,
  maxDepth: 6,
  arrayItems: [1, 3] as [number, number],
  useExamples: true,
  optionalProperties: 'some' as const,
  maxValues: 2_000,
};

/** Share of optional properties emitted one level below the top in `some` mode; it halves
 * every level further down, so a body's size stays bounded however densely the schemas link
 * (Tripletex: every property optional, most of them references). */
export const OPTIONAL_SHARE = 0.6;

export function normaliseSampleOptions(options: SampleOptions = {}): SampleContextOptions {
  const arrayItems = options.arrayItems ?? SAMPLE_DEFAULTS.arrayItems;
  if (arrayItems[0] < 0 || arrayItems[1] < arrayItems[0]) {
    throw new RangeError(`arrayItems must be [min, max] with 0 <= min <= max, got [${arrayItems.join(', ')}]`);
  }
  const maxDepth = options.maxDepth ?? SAMPLE_DEFAULTS.maxDepth;
  if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new RangeError(`maxDepth must be a non-negative integer, got ${maxDepth}`);
  return {
    seed: (options.seed ?? SAMPLE_DEFAULTS.seed) >>> 0,
    maxDepth,
    arrayItems: [arrayItems[0], arrayItems[1]],
    useExamples: options.useExamples ?? SAMPLE_DEFAULTS.useExamples,
    optionalProperties: options.optionalProperties ?? SAMPLE_DEFAULTS.optionalProperties,
    listItems: options.listItems,
    maxValues: options.maxValues ?? SAMPLE_DEFAULTS.maxValues,
  };
}
