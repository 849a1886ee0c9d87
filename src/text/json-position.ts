/**
 * Where JSON text first goes wrong. V8's messages give a position for most syntax errors but not
 * for "Unexpected token 'x', "…" is not valid JSON"; this scan finds it in linear time, with an
 * explicit stack, for any file size. Only run after `JSON.parse` has failed.
 */

/** Offset of the first character that breaks RFC 8259 grammar (the text length if it ends early). */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  let i = 0;
  const stack: number[] = []; // 0x7d `}` or 0x5d `]`: what closes each open container
  const space = (): void => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
  };
  const digits = (): number => {
    const start = i;
    while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    return i - start;
  };
  /** Reads one scalar, or opens a container; false at a character that cannot start a value. */
  const scalarOrOpen = (): boolean | 'open' => {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      stack.push(c === 0x7b ? 0x7d : 0x5d);
      i++;
      return 'open';
    }
    if (c === 0x22) return string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      if (c === 0x2d) i++;
      if (text.charCodeAt(i) === 0x30) i++;
      else if (digits() === 0) return false;
      if (text.charCodeAt(i) === 0x2e) {
        i++;
        if (digits() === 0) return false;
      }
      if ((text.charCodeAt(i) | 0x20) === 0x65) {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        if (digits() === 0) return false;
      }
      return true;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return true;
      }
    }
    // Point at the first character of the literal that differs.
    for (const literal of ['true', 'false', 'null']) {
      if (text[i] === literal[0]) {
        let k = 0;
        while (k < literal.length && text[i + k] === literal[k]) k++;
        i += k;
        return false;
      }
    }
    return false;
  };
  const string = (): boolean => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 2;
            return false;
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          i++;
          return false;
        }
      } else {
        i++;
      }
    }
    return false;
  };

  space();
  for (;;) {
    // A value is expected here.
    const read = scalarOrOpen();
    if (read === false) return i;
    space();
    if (read === 'open') {
      const close = stack[stack.length - 1]!;
      if (text.charCodeAt(i) === close) {
        stack.pop();
        i++;
      } else {
        if (close === 0x7d && !memberName()) return i;
        continue;
      }
    }
    // After a value: commas and closing brackets.
    for (;;) {
      space();
      if (stack.length === 0) return i; // trailing text, or the end (not an error: caller decides)
      const close = stack[stack.length - 1]!;
      const c = text.charCodeAt(i);
      if (c === 0x2c) {
        i++;
        space();
        if (close === 0x7d && !memberName()) return i;
        break;
      }
      if (c !== close) return i;
      stack.pop();
      i++;
    }
  }

  function memberName(): boolean {
    if (text.charCodeAt(i) !== 0x22 || !string()) return false;
    space();
    if (text.charCodeAt(i) !== 0x3a) return false;
    i++;
    space();
    return true;
  }
}

/** 1-based line and column of the first syntax error (call it after `JSON.parse` has failed). */
export function jsonErrorPosition(text: string): { line: number; column: number } {
  return lineAndColumn(text, jsonErrorOffset(text));
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
