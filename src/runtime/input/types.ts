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
