/**
 * NDJSON (one JSON object per line), read line by line: a line that is not JSON becomes an error
 * item with its number, and reading carries on. Blank lines are skipped; CRLF is fine.
 */
import { MAX_RECORD_CHARS, printable, recordProblem, type InputItem } from './types.js';

/** @example for await (const item of readNdjson(textChunks('in.ndjson'))) … */
export async function* readNdjson(chunks: AsyncIterable<string>): AsyncGenerator<InputItem> {
  for await (const { line, text, tooLong } of lines(chunks)) {
    if (tooLong) {
      yield { line, error: `the line is longer than ${MAX_RECORD_CHARS} characters` };
      continue;
    }
    if (text.trim() === '') continue;
    yield parseLine(line, text);
  }
}

function parseLine(line: number, text: string): InputItem {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    return { line, error: `not valid JSON: ${printable((error as Error).message)}` };
  }
  const wrong = recordProblem(record);
  return wrong ? { line, error: wrong } : { line, record };
}

interface Line {
  line: number;
  text: string;
  tooLong: boolean;
}

/** Split text chunks into lines without joining more than one line's pieces at a time. */
async function* lines(chunks: AsyncIterable<string>): AsyncGenerator<Line> {
  let pieces: string[] = [];
  let length = 0;
  let tooLong = false;
  let number = 1;
  const finish = (): Line => {
    let text = tooLong ? '' : pieces.join('');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const out = { line: number, text, tooLong };
    pieces = [];
    length = 0;
    tooLong = false;
    number += 1;
    return out;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end >= 0; end = chunk.indexOf('\n', start)) {
      add(chunk.slice(start, end));
      yield finish();
      start = end + 1;
    }
    add(chunk.slice(start));
  }
  if (length > 0 || tooLong) yield finish();

  function add(piece: string): void {
    if (tooLong || piece === '') return;
    length += piece.length;
    if (length > MAX_RECORD_CHARS) {
      tooLong = true;
      pieces = [];
    } else pieces.push(piece);
  }
}

