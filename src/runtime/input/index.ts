/**
 * Read a connector's input as records: NDJSON, CSV (RFC 4180) or a JSON array, from a file,
 * stdin (`-`) or a stream. Reading is streamed; a record that cannot be read is an item with
 * `error` and its line, and the rest is still read ("nothing accepted is lost" starts here).
 *
 * @example
 * import { readInput } from './runtime/input/index.js';
 * for await (const item of readInput('invoices.ndjson')) {
 *   if (item.error) console.error(`invoices.ndjson:${item.line}: ${item.error}`);
 *   else await queue.enqueue(item.record);
 * }
 */
import { extname } from 'node:path';
import { readCsv } from './csv.js';
import { InputError } from './errors.js';
import { readJsonArray } from './json-array.js';
import { readNdjson } from './ndjson.js';
import { shownName, textChunks, type InputSource } from './source.js';
import type { InputFormat, InputItem } from './types.js';

export { InputError, type InputErrorCode } from './errors.js';
export { MAX_RECORD_CHARS, type InputFormat, type InputItem } from './types.js';
export type { InputSource };

export interface ReadInputOptions {
  /** Default: from the file's extension (.ndjson/.jsonl, .csv, .json), else from the first character. */
  format?: InputFormat;
}

const BY_EXTENSION: Record<string, InputFormat> = {
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.ldjson': 'ndjson',
  '.csv': 'csv',
  '.json': 'json',
};

/** Records from `source`, in order, each with the line it starts on. Empty input yields nothing. */
export async function* readInput(source: InputSource, options: ReadInputOptions = {}): AsyncGenerator<InputItem> {
  let format = options.format ?? formatFromName(source);
  let chunks: AsyncIterable<string> = textChunks(source);
  if (format === undefined) {
    const sniffed = await sniff(chunks);
    if (sniffed.first === undefined) return; // empty input: nothing to read in any format
    format = sniffed.first === '[' ? 'json' : sniffed.first === '{' ? 'ndjson' : undefined;
    if (format === undefined) {
      throw new InputError('RECON_INPUT_UNKNOWN_FORMAT', `${shownName(source)}: cannot tell the format (it starts with '${sniffed.first}', neither '[' nor '{')`, {
        hint: 'say which with --format ndjson|csv|json',
      });
    }
    chunks = sniffed.chunks;
  }
  const reader = format === 'csv' ? readCsv : format === 'json' ? readJsonArray : readNdjson;
  yield* reader(chunks);
}

function formatFromName(source: InputSource): InputFormat | undefined {
  if (typeof source !== 'string' || source === '-') return undefined;
  return BY_EXTENSION[extname(source).toLowerCase()];
}

/** The first non-blank character, and the chunks again from the start. */
async function sniff(chunks: AsyncIterable<string>): Promise<{ first: string | undefined; chunks: AsyncIterable<string> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const seen: string[] = [];
  let first: string | undefined;
  while (first === undefined) {
    const next = await iterator.next();
    if (next.done) break;
    seen.push(next.value);
    first = /\S/.exec(next.value)?.[0];
  }
  async function* replay(): AsyncGenerator<string> {
    yield* seen;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first, chunks: replay() };
}
