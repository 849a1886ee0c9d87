/**
 * The review model's strings, made safe to place in report.md. The model holds text with one
 * piece of Markdown in it: recon writes field names and pointers as code spans
 * (`` `organizationNumber` is not unique ``). Those spans are kept; everything else is escaped as
 * text: one line, no raw HTML, no emphasis, links or stray backticks, cut to a length. Table
 * cells get their `|` escaped by `table()` on top of this (GFM §4.10, code spans included).
 */
import { escapeControls, truncate } from '../drift/render/display-value.js';
import { codeSpan } from '../drift/render/markdown-escape.js';

/** Longest prose a cell or a list item shows; a 10,000-character value must not flood the report. */
export const TEXT_MAX = 400;
/** Longest code span (operation, id, file name). */
export const CODE_MAX = 120;

/**
 * Inline syntax outside code spans that would turn text into Markdown: backslash, unmatched
 * backticks, emphasis (`*` is common in recon's pointers, `/data/*\/items/*`, and would
 * italicise between two of them), links. `_` is left alone: intraword underscores
 * (`client_secret`) never emphasise in CommonMark.
 */
const INLINE_SYNTAX = /[\\`*[\]]/g;
/** An `&` that starts an entity (`&lt;`, `&#60;`) would show as the character it names. */
const ENTITY_START = /&(?=#?[a-z0-9]+;)/gi;
/** What would start a block (heading, quote, list item, setext underline) at the start of a line. */
const BLOCK_START = /^(?:[#>+=-]|(\d{1,9})([.)]))/;

/**
 * Text as inline Markdown that shows exactly that text: on one line (CommonMark §6.7), control
 * characters made visible, cut to `max` characters, balanced code spans kept (their content is
 * literal, so nothing in them can be markup), and outside them raw HTML and entities neutralised
 * and inline syntax backslash-escaped (§2.4).
 *
 * @example
 * plainText('`amount` is a <b>string</b>: 1*2*3 `x'); // '`amount` is a &lt;b>string&lt;/b>: 1\\*2\\*3 \\`x'
 */
export function plainText(text: string, max = TEXT_MAX): string {
  // Cut first, so a span cut in half is an unmatched backtick below and gets escaped.
  const line = truncate(escapeControls(String(text).replace(/\r\n|\r|\n/g, ' ').trim()), max);
  let out = '';
  let at = 0;
  for (const span of codeSpans(line)) {
    out += escapeProse(line.slice(at, span.start)) + line.slice(span.start, span.end);
    at = span.end;
  }
  out += escapeProse(line.slice(at));
  // A value that begins like a block ("# x", "1. x") would become a heading or a nested list
  // where the report places it after "- ".
  return out.replace(BLOCK_START, (match, digits: string | undefined, dot: string | undefined) => (digits !== undefined ? `${digits}\\${dot}` : `\\${match}`));
}

/**
 * Code spans as CommonMark §6.1 finds them: a backtick run, up to the next run of the same length.
 * A run with no partner is literal text.
 */
function codeSpans(line: string): { start: number; end: number }[] {
  const runs = [...line.matchAll(/`+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const spans: { start: number; end: number }[] = [];
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i]!;
    const length = open.end - open.start;
    const close = runs.findIndex((r, j) => j > i && r.end - r.start === length);
    if (close === -1) continue;
    spans.push({ start: open.start, end: runs[close]!.end });
    i = close;
  }
  return spans;
}

function escapeProse(text: string): string {
  return text.replace(ENTITY_START, '&amp;').replace(/</g, '&lt;').replace(INLINE_SYNTAX, '\\$&');
}

/**
 * A heading's text: plain text whose trailing `#`s are escaped, since CommonMark §4.2 strips an
 * unescaped closing sequence ("Acme #" would lose its "#").
 *
 * @example
 * headingText('Acme ERP #'); // 'Acme ERP \\#'
 */
export function headingText(text: string, max = 200): string {
  return plainText(text, max).replace(/#+$/, (hashes) => hashes.replace(/#/g, '\\#'));
}

/**
 * A code span for an identifier (operation, risk id, file name), cut to `max` first so a hostile
 * value stays short.
 *
 * @example
 * code('GET /orders'); // '`GET /orders`'
 */
export function code(text: string, max = CODE_MAX): string {
  return codeSpan(truncate(String(text), max));
}

/**
 * A fenced code block (CommonMark §4.5) holding `lines` verbatim: the fence is longer than any
 * backtick run inside, so no line can close it; each line has its control characters made
 * visible and is cut to `max`.
 *
 * @example
 * codeBlock(['Start:    Fri 4 Dec 2026 18:00']); // ['```text', 'Start:    Fri 4 Dec 2026 18:00', '```']
 */
export function codeBlock(lines: readonly string[], max = 200): string[] {
  const safe = lines.map((line) => truncate(escapeControls(line), max));
  const longest = Math.max(2, ...safe.flatMap((line) => (line.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}text`, ...safe, fence];
}

/**
 * Milliseconds for a latency table: one decimal below 100 ms, whole above; `—` when not a number.
 *
 * @example
 * formatMs(3.24); // '3.2'
 * formatMs(1234.5); // '1235'
 */
export function formatMs(ms: number): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  return ms >= 100 ? String(Math.round(ms)) : ms.toFixed(1);
}

/**
 * A count as people read it: `50,000`.
 *
 * @example
 * formatCount(50000); // '50,000'
 */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
