/**
 * A JSON array of records, streamed: the top-level array is split into its elements as the text
 * arrives and each element is parsed alone, so a 2 GB export never sits in memory at once and a
 * bad element is reported with its line while the others are still read.
 */
import { MAX_RECORD_CHARS, printable, recordProblem, type InputItem } from './types.js';

/** @example for await (const item of readJsonArray(textChunks('in.json'))) … */
export async function* readJsonArray(chunks: AsyncIterable<string>): AsyncGenerator<InputItem> {
  let phase: 'before' | 'inside' | 'after' = 'before';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let pieces: string[] = [];
  let size = 0;
  let line = 1;
  let elementLine = 0;
  let sawValue = false;

  const element = (): InputItem | undefined => {
    const text = pieces.join('');
    const at = elementLine;
    const tooLong = size > MAX_RECORD_CHARS;
    pieces = [];
    size = 0;
    elementLine = 0;
    if (tooLong) return { line: at, error: `the element is longer than ${MAX_RECORD_CHARS} characters` };
    if (text.trim() === '') return undefined;
    try {
      const record: unknown = JSON.parse(text);
      const wrong = recordProblem(record);
      return wrong ? { line: at, error: wrong } : { line: at, record };
    } catch (error) {
      return { line: at, error: `not valid JSON: ${printable((error as Error).message)}` };
    }
  };

  for await (const chunk of chunks) {
    let start = 0; // where the current element's text begins in this chunk
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === '\n') line += 1;
      if (phase === 'before') {
        if (isSpace(c)) continue;
        if (c !== '[') {
          yield { line, error: `expected a JSON array ('[') at the top, found '${c}'` };
          return;
        }
        phase = 'inside';
        start = i + 1;
        continue;
      }
      if (phase === 'after') {
        if (isSpace(c)) continue;
        yield { line, error: 'unexpected text after the end of the array' };
        return;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (elementLine === 0 && !isSpace(c) && c !== ',' && !(c === ']' && depth === 0)) elementLine = line;
      if (c === '"') inString = true;
      else if (c === '[' || c === '{') depth += 1;
      else if ((c === ']' || c === '}') && depth > 0) depth -= 1;
      else if ((c === ',' || c === ']') && depth === 0) {
        keep(chunk.slice(start, i));
        start = i + 1;
        const at = line;
        const item = element();
        if (item) {
          sawValue = true;
          yield item;
        } else if (c === ',' || sawValue) yield { line: at, error: 'an empty element (two commas in a row, or a comma before ])' };
        if (c === ']') phase = 'after';
      }
    }
    if (phase === 'inside') keep(chunk.slice(start));
  }
  if (phase === 'inside') yield { line, error: 'the array is not closed: the input ends inside it (truncated?)' };

  function keep(text: string): void {
    if (text === '') return;
    size += text.length;
    if (size <= MAX_RECORD_CHARS) pieces.push(text);
  }
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t';
}
