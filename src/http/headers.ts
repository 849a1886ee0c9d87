/**
 * Reading header lists (HAR-style `[name, value]` pairs, order and repeats kept).
 */
import type { HeaderList } from './types.js';

/** The first value of a header, by name, case-insensitively (RFC 9110 §5.1). */
export function headerValue(headers: HeaderList | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const wanted = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === wanted) return v;
  return undefined;
}
