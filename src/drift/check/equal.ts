/**
 * JSON equality (JSON Schema 2020-12 validation §4.2.2: same type, same value; objects with the
 * same members, arrays with the same items in order), without recursion: a vendor's value may
 * nest 100,000 levels.
 */

/**
 * @example jsonEqual({ a: [1, 2] }, { a: [1, 2.0] }) // → true
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const left: unknown[] = [a];
  const right: unknown[] = [b];
  while (left.length > 0) {
    const x = left.pop();
    const y = right.pop();
    if (x === y) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
    const xArray = Array.isArray(x);
    if (xArray !== Array.isArray(y)) return false;
    if (xArray) {
      const ys = y as unknown[];
      if (x.length !== ys.length) return false;
      for (let i = 0; i < x.length; i++) {
        left.push(x[i]);
        right.push(ys[i]);
      }
      continue;
    }
    const xKeys = Object.keys(x);
    if (xKeys.length !== Object.keys(y).length) return false;
    for (const key of xKeys) {
      if (!Object.prototype.hasOwnProperty.call(y, key)) return false;
      left.push((x as Record<string, unknown>)[key]);
      right.push((y as Record<string, unknown>)[key]);
    }
  }
  return true;
}

/**
 * An item equal to another item of `items`, or `undefined` when all differ. Numbers are sorted
 * in a Float64Array (a million ids in tens of milliseconds, where a Set of them takes a
 * second), strings and other primitives go through Sets (one per JSON type, since `1` and
 * `"1"` differ), and only objects and arrays of the same shape are compared pairwise.
 * @example findDuplicate([1, 'a', 2, 1]) // → { value: 1 }
 */
export function findDuplicate(items: readonly unknown[]): { value: unknown } | undefined {
  let numbers = new Float64Array(16);
  let numberCount = 0;
  const strings = new Set<string>();
  const others = new Set<unknown>(); // booleans and null
  const containers = new Map<string, unknown[]>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item === 'number') {
      if (numberCount === numbers.length) {
        const grown = new Float64Array(Math.min(items.length, numbers.length * 4));
        grown.set(numbers);
        numbers = grown;
      }
      numbers[numberCount++] = item;
    } else if (typeof item === 'string') {
      if (strings.has(item)) return { value: item };
      strings.add(item);
    } else if (item === null || typeof item !== 'object') {
      if (others.has(item)) return { value: item };
      others.add(item);
    } else {
      const shape = Array.isArray(item) ? `[${item.length}` : `{${Object.keys(item).sort().join('\u0000')}`;
      const same = containers.get(shape);
      if (same === undefined) containers.set(shape, [item]);
      else if (same.some((earlier) => jsonEqual(earlier, item))) return { value: item };
      else same.push(item);
    }
  }
  const sorted = numbers.subarray(0, numberCount).sort();
  for (let i = 1; i < sorted.length; i++) {
    // -0 === 0, as JSON equality has it.
    if (sorted[i] === sorted[i - 1]) return { value: sorted[i] };
  }
  return undefined;
}
