/**
 * Where a JSON text first goes wrong. V8's `JSON.parse` names the position for some errors
 * ("… in JSON at position 7") but not for others ("Unexpected token '}', …"), so a failed parse
 * is scanned again by this small state machine (iterative: deep nesting costs no stack).
 */

/** 1-based line and column of the first syntax error, or undefined when `text` is valid JSON. */
export function jsonErrorPosition(text: string): { line: number; column: number } | undefined {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

type State = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'after';

function jsonErrorOffset(text: string): number | undefined {
  const closers: string[] = [];
  let state: State = 'value';
  let i = 0;
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
    if (i >= text.length) return state === 'after' && closers.length === 0 ? undefined : i;
    const c = text[i]!;
    if ((state === 'valueOrClose' || state === 'keyOrClose') && c === closers.at(-1)) {
      closers.pop();
      i++;
      state = 'after';
    } else if (state === 'value' || state === 'valueOrClose') {
      if (c === '{' || c === '[') {
        closers.push(c === '{' ? '}' : ']');
        state = c === '{' ? 'keyOrClose' : 'valueOrClose';
        i++;
      } else {
        const end = c === '"' ? stringEnd(text, i) : scalarEnd(text, i);
        if (end < 0) return -end - 1;
        i = end;
        state = 'after';
      }
    } else if (state === 'key' || state === 'keyOrClose') {
      if (c !== '"') return i;
      const end = stringEnd(text, i);
      if (end < 0) return -end - 1;
      i = end;
      state = 'colon';
    } else if (state === 'colon') {
      if (c !== ':') return i;
      i++;
      state = 'value';
    } else {
      if (closers.length === 0) return i; // text after the value
      if (c === ',') state = closers.at(-1) === '}' ? 'key' : 'value';
      else if (c === closers.at(-1)) closers.pop();
      else return i;
      i++;
    }
  }
}

/** End offset of the string starting at `start`, or -(offset of the error) - 1. */
function stringEnd(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const c = text[j]!;
    if (c === '"') return j + 1;
    if (c < ' ') return -j - 1;
    if (c === '\\') {
      const next = text[j + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return -j - 1;
        j += 5;
      } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
        j++;
      } else {
        return -j - 1;
      }
    }
  }
  return -text.length - 1;
}

/** End offset of the number or literal at `start`, or -(start) - 1. */
function scalarEnd(text: string, start: number): number {
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, start)) return start + literal.length;
  }
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  number.lastIndex = start;
  return number.test(text) ? number.lastIndex : -start - 1;
}
