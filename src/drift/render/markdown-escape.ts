/**
 * Escaping for GitHub-flavoured Markdown: code spans that survive any backticks, and table cells
 * that survive `|` and newlines.
 */
import { escapeControls, truncate } from './display-value.js';

/**
 * A code span holding `text` verbatim. CommonMark §6.1: the fence must be a backtick run longer
 * than any inside the text, and one space of padding is stripped when the text starts or ends
 * with a backtick.
 *
 * @example
 * codeSpan('a`b'); // '``a`b``'
 */
export function codeSpan(text: string): string {
  const oneLine = escapeControls(text);
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') || (oneLine.startsWith(' ') && oneLine.endsWith(' ') && oneLine.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/**
 * One table cell. GFM tables §4.10: a `|` ends the cell even inside a code span unless escaped
 * as `\|`, and a newline ends the row.
 *
 * @example
 * tableCell('`a|b`'); // '`a\\|b`'
 */
export function tableCell(markdown: string): string {
  return markdown.replace(/\r\n|\r|\n/g, ' ').replace(/\|/g, '\\|');
}

/**
 * Prose from the report (messages, reasons): kept as Markdown, since recon writes its messages
 * with code spans, but on one line, cut to `max` characters, without control characters or raw
 * HTML. (A `<` inside one of those code spans shows as `&lt;`: the price of never letting a
 * vendor's value open an HTML comment that hides the rest of the report.)
 *
 * @example
 * markdownText('see <b>this</b>'); // 'see &lt;b>this&lt;/b>'
 */
export function markdownText(text: string, max = 400): string {
  return truncate(escapeControls(text.replace(/\r\n|\r|\n/g, ' ')), max).replace(/</g, '&lt;');
}

/** A whole table: header row, alignment row, body rows; every cell already Markdown. */
export function table(header: string[], align: ('left' | 'right')[], rows: string[][]): string[] {
  const line = (cells: string[]) => `| ${cells.map(tableCell).join(' | ')} |`;
  return [line(header), `| ${align.map((a) => (a === 'right' ? '---:' : '---')).join(' | ')} |`, ...rows.map(line)];
}
