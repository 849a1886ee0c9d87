/** What readers yield: a record, or why the record starting on `line` could not be read. */
export interface InputItem {
  /** 1-based line where the record starts in the input. */
  line: number;
  record?: unknown;
  error?: string;
}

export type InputFormat = 'ndjson' | 'csv' | 'json';

/**
 * Largest single record (characters): beyond this one line, row or array element is reported
 * as an error and skipped. The cap keeps one runaway record from exhausting memory.
 */
export const MAX_RECORD_CHARS = 256 * 1024 * 1024;

/** `expected a JSON object, found a list` */
export function notAnObject(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return undefined;
  const found = value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
  return `expected a JSON object, found ${found}`;
}

/**
 * Deepest nesting a record may have. Real records nest a few levels; a hostile one nested 100,000
 * levels parses (JSON.parse does not recurse) but breaks every recursive step after it (storing
 * it as JSON, rendering templates), so it is refused here, with its line.
 */
export const MAX_RECORD_DEPTH = 512;

/**
 * Why a parsed value cannot be a record (not an object, or nested too deeply), or undefined.
 * @example recordProblem([1]) // 'expected a JSON object, found a list'
 */
export function recordProblem(value: unknown): string | undefined {
  const wrong = notAnObject(value);
  if (wrong !== undefined) return wrong;
  return depthExceeds(value, MAX_RECORD_DEPTH) ? `the record is nested more than ${MAX_RECORD_DEPTH} levels deep` : undefined;
}

/** Without recursion: a stack of [value, depth]. */
function depthExceeds(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > max) return true;
    if (value === null || typeof value !== 'object') continue;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * V8 quotes the offending text in a JSON error: its control characters (NUL, ESC …) are shown
 * escaped, so that a hostile input cannot write them to the user's terminal.
 * @example printable('Unexpected token \u0000') // 'Unexpected token \\u0000'
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
