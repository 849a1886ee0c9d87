/**
 * A response body that claims to be JSON, parsed, or the reason it is not JSON in words a person
 * can act on: an HTML error page behind a JSON content type, a body cut short, a syntax error
 * with its line and column, nesting too deep for the checkers that walk it.
 */
import { jsonErrorOffset, lineAndColumn } from '../../text/index.js';

export interface ParseJsonBodyOptions {
  /** Deepest nesting accepted. Default 1000: the schema checker walks values recursively. */
  maxDepth?: number;
}

export const PARSE_JSON_BODY_DEFAULTS = { maxDepth: 1000 } as const;

export type JsonBodyResult = { ok: true; value: unknown } | { ok: false; reason: string; line?: number; column?: number };

/**
 * Depth is checked with a character scan before `JSON.parse`: V8 parses very deep JSON without
 * complaint, and it is the recursive walk afterwards that would overflow the stack.
 * `__proto__` keys are safe: `JSON.parse` makes them own properties (ECMA-262 §25.5.1.1, via
 * CreateDataProperty), never prototype links.
 *
 * @example
 * parseJsonBody('{"id": 1}'); // { ok: true, value: { id: 1 } }
 * parseJsonBody('<!doctype html><p>Maintenance</p>'); // { ok: false, reason: 'not JSON: the body is an HTML page', line: 1, column: 1 }
 */
export function parseJsonBody(text: string, options: ParseJsonBodyOptions = {}): JsonBodyResult {
  const maxDepth = options.maxDepth ?? PARSE_JSON_BODY_DEFAULTS.maxDepth;
  // RFC 8259 §8.1: a parser may ignore a byte order mark.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = body.search(/[^ \t\r\n]/);
  if (first === -1) return { ok: false, reason: 'not JSON: the body is blank' };
  if (body[first] === '<') {
    const what = /^<\?xml/i.test(body.slice(first, first + 5)) ? 'XML' : 'an HTML page';
    return { ok: false, reason: `not JSON: the body is ${what}`, ...lineAndColumn(body, first) };
  }
  const shape = scanShape(body, maxDepth);
  if (shape.tooDeepAt !== -1) return { ok: false, reason: `nested deeper than ${maxDepth} levels`, ...lineAndColumn(body, shape.tooDeepAt) };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    if (!(error instanceof SyntaxError)) return { ok: false, reason: 'nested too deeply to parse' };
    const offset = jsonErrorOffset(body);
    const position = lineAndColumn(body, offset);
    if (offset >= body.length) {
      return { ok: false, reason: `truncated JSON (the body ends at byte ${Buffer.byteLength(body)}, inside ${shape.unfinished})`, ...position };
    }
    const detail = String(error.message).split('\n')[0]!.slice(0, 160);
    return { ok: false, reason: `invalid JSON at line ${position.line} column ${position.column}: ${detail}`, ...position };
  }
}

interface Shape {
  /** Offset of the bracket that went deeper than allowed, or -1. */
  tooDeepAt: number;
  /** What is open at the end of the text, for the truncation message. */
  unfinished: string;
}

/** One pass over the text: brackets outside strings, jumping over strings with indexOf. */
function scanShape(text: string, maxDepth: number): Shape {
  const open: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const close = closingQuote(text, i + 1);
      if (close === -1) return { tooDeepAt: -1, unfinished: 'a string' };
      i = close + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      if (open.length >= maxDepth) return { tooDeepAt: i, unfinished: '' };
      open.push(c);
    } else if (c === 0x7d || c === 0x5d) {
      open.pop();
    }
    i++;
  }
  const last = open[open.length - 1];
  return { tooDeepAt: -1, unfinished: last === 0x7b ? 'an unfinished object' : last === 0x5b ? 'an unfinished array' : 'a value' };
}

/** The quote that ends a string whose content starts at `from`: one not escaped by an odd run of `\`. */
function closingQuote(text: string, from: number): number {
  for (let q = text.indexOf('"', from); q !== -1; q = text.indexOf('"', q + 1)) {
    let p = q - 1;
    while (p >= from && text.charCodeAt(p) === 0x5c) p--;
    if (((q - 1 - p) & 1) === 0) return q;
  }
  return -1;
}
