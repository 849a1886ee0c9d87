/**
 * CSV as RFC 4180 describes it: fields separated by commas, quoted with `"` when they hold a
 * comma, quote or line break, a quote inside a quoted field doubled (`""`), lines ended by CRLF
 * or LF. The first row names the fields; every later row becomes an object of strings (numbers
 * stay strings: "007" is an id, not 7).
 */
import { MAX_RECORD_CHARS, type InputItem } from './types.js';

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted';

interface Row {
  line: number;
  fields: string[];
  error?: string;
}

/** @example for await (const item of readCsv(textChunks('in.csv'))) … // { line: 2, record: { id: '1', … } } */
export async function* readCsv(chunks: AsyncIterable<string>): AsyncGenerator<InputItem> {
  let header: string[] | undefined;
  for await (const row of rows(chunks)) {
    if (row.fields.length === 1 && row.fields[0] === '' && !row.error) continue; // a blank line
    if (!header) {
      const problem = row.error ?? headerProblem(row.fields);
      if (problem) {
        yield { line: row.line, error: `the header row: ${problem}` };
        return;
      }
      header = row.fields;
      continue;
    }
    if (row.error) yield { line: row.line, error: row.error };
    else if (row.fields.length !== header.length) yield { line: row.line, error: `the row has ${row.fields.length} fields; the header has ${header.length}` };
    // fromEntries defines own properties, so a column named __proto__ is just a column.
    else yield { line: row.line, record: Object.fromEntries(header.map((name, i) => [name, row.fields[i]!])) };
  }
}

function headerProblem(names: string[]): string | undefined {
  const empty = names.findIndex((name) => name.trim() === '');
  if (empty >= 0) return `column ${empty + 1} has no name`;
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return `the column '${name}' appears twice`;
    seen.add(name);
  }
  return undefined;
}

/** Rows with the line each starts on; quoted line breaks stay inside their field. */
async function* rows(chunks: AsyncIterable<string>): AsyncGenerator<Row> {
  let state: State = 'fieldStart';
  let field = '';
  let fields: string[] = [];
  let size = 0;
  let error: string | undefined;
  let line = 1;
  let rowLine = 1;
  let afterCR = false;
  let touched = false;
  let quotedCR = false;

  const endField = () => {
    fields.push(field);
    field = '';
    state = 'fieldStart';
  };
  const endRow = (): Row => {
    endField();
    const row: Row = { line: rowLine, fields, ...(error ? { error } : {}) };
    fields = [];
    size = 0;
    error = undefined;
    touched = false;
    return row;
  };
  const append = (text: string) => {
    size += text.length;
    if (size > MAX_RECORD_CHARS) error ??= `the row is longer than ${MAX_RECORD_CHARS} characters`;
    else field += text;
  };

  for await (const chunk of chunks) {
    let i = 0;
    while (i < chunk.length) {
      const c = chunk[i]!;
      if (afterCR) {
        afterCR = false;
        if (c === '\n') {
          i += 1;
          continue;
        }
      }
      if (!touched) {
        touched = true;
        rowLine = line;
      }
      if (state === 'quoted') {
        const quote = chunk.indexOf('"', i);
        const end = quote < 0 ? chunk.length : quote;
        const text = chunk.slice(i, end);
        // A CRLF split across two chunks is one line break, not two.
        line += countLineBreaks(text) - (quotedCR && text.startsWith('\n') ? 1 : 0);
        if (text !== '') quotedCR = text.endsWith('\r');
        append(text);
        i = end;
        if (quote >= 0) {
          state = 'quoteInQuoted';
          i += 1;
        }
        continue;
      }
      if (c === ',' && state !== 'quoteInQuoted') endField();
      else if (c === '\r' || c === '\n') {
        if (state === 'quoteInQuoted') state = 'unquoted';
        line += 1;
        afterCR = c === '\r';
        yield endRow();
      } else if (state === 'quoteInQuoted') {
        if (c === '"') {
          append('"');
          state = 'quoted';
        } else if (c === ',') endField();
        else {
          error ??= `a quoted field must end at a comma or the end of the line (found '${c}' after the closing quote)`;
          append(c);
          state = 'unquoted';
        }
      } else if (c === '"' && state === 'fieldStart') state = 'quoted';
      else {
        // A quote inside an unquoted field breaks RFC 4180 §2.5; kept as text, as most tools do.
        state = 'unquoted';
        const stop = nextSpecial(chunk, i);
        append(chunk.slice(i, stop));
        i = stop;
        continue;
      }
      i += 1;
    }
  }
  if (state === 'quoted') {
    error ??= 'a quoted field is not closed before the end of the input';
    yield endRow();
  } else if (touched) yield endRow();
}

/** Index of the next comma or line break at or after `from` (end of chunk when none). */
function nextSpecial(chunk: string, from: number): number {
  for (let i = from; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if (c === 44 || c === 10 || c === 13) return i;
  }
  return chunk.length;
}

/** CRLF counts once, like a lone LF or CR. */
function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) count += 1;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) count += 1;
  }
  return count;
}
