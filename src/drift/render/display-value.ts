/**
 * Values from a vendor's responses, made safe to show: one line, no control characters, cut to
 * a length. Every renderer shows example values through these, so a hostile or huge value never
 * reaches a terminal, a Markdown table or an XML file as it came.
 */

/**
 * C0 and C1 control characters, DEL, the Unicode line/paragraph separators and lone UTF-16
 * surrogates: what can move a terminal's cursor, break a line, or not encode as UTF-8.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Replace control characters by visible escapes (`\n`, `\u001b`), so the text stays on one line
 * and shows what was there.
 *
 * @example
 * escapeControls('a\u001b[31mb\nc'); // 'a\\u001b[31mb\\nc'
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Cut a path to at most `max` characters from the front, so that its end — the file's name —
 * stays: `…/fixtures/bad/har/absurd-numbers.har`. Never splits a surrogate pair.
 *
 * @example
 * truncatePath('/tmp/x/fixtures/a.har', 12); // '…tures/a.har'
 */
export function truncatePath(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let from = text.length - (max - 1);
  const at = text.charCodeAt(from);
  if (at >= 0xdc00 && at <= 0xdfff) from++;
  return '…' + text.slice(from);
}

/**
 * Cut `text` to at most `max` characters, marking the cut with `…`; never splits a surrogate pair.
 *
 * @example
 * truncate('abcdef', 4); // 'abc…'
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const before = text.charCodeAt(cut - 1);
  if (before >= 0xd800 && before <= 0xdbff) cut--;
  return text.slice(0, cut) + '…';
}

/**
 * One value as JSON on one line (strings quoted, so `"12"` and `12` differ), escaped and cut.
 *
 * @example
 * displayValue('1299.00', 40); // '"1299.00"'
 * displayValue({ a: 'x'.repeat(99) }, 12); // '{"a":"xxxxx…'
 */
export function displayValue(value: unknown, max: number): string {
  const json = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  return truncate(escapeControls(json), max);
}
