/**
 * The end of a JSON string inside a chunk of bytes: the hot loop of the recording scanner, where
 * most of a HAR's bytes (the bodies) are spent.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The first backslash at or after `from` in `buf` (-1: none). */
export interface NextBackslash {
  buf: Buffer | undefined;
  from: number;
  at: number;
}

/** Bytes to scan one by one before asking `indexOf` to jump ahead. */
const DENSE_RUN = 128;

/**
 * The offset of the quote that ends the string whose content continues at `i` (RFC 8259 §7: a
 * backslash escapes the byte after it); `buf.length` when the chunk ends first, `buf.length + 1`
 * when it ends on a backslash whose escaped byte is in the next chunk.
 *
 * Bodies make strings either dense with escapes (embedded JSON: `\"` every few bytes), where a
 * byte loop is fastest, or long runs without any (base64, text), where native `indexOf` is: the
 * loop switches to `indexOf` after a run of plain bytes.
 */
export function stringEnd(buf: Buffer, i: number, next: NextBackslash): number {
  const n = buf.length;
  for (;;) {
    const limit = i + DENSE_RUN < n ? i + DENSE_RUN : n;
    while (i < limit) {
      const c = buf[i]!;
      if (c === BACKSLASH) i += 2;
      else if (c === QUOTE) return i;
      else i++;
    }
    if (i >= n) return i;
    const quote = buf.indexOf(QUOTE, i);
    // Remembered: searching afresh for each string could scan the rest of a chunk every time.
    if (next.buf !== buf || next.from > i || (next.at !== -1 && next.at < i)) {
      next.buf = buf;
      next.from = i;
      next.at = buf.indexOf(BACKSLASH, i);
    }
    const backslash = next.at;
    if (backslash === -1 || (quote !== -1 && quote < backslash)) return quote === -1 ? n : quote;
    i = backslash;
  }
}
