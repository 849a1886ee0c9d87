/**
 * Open an input (a file, `-` for stdin, or a stream) as UTF-8 text chunks: the byte order mark
 * dropped, invalid UTF-8 refused instead of silently replaced (a replaced character would be
 * sent to the vendor as data).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { InputError } from './errors.js';

export type InputSource = string | NodeJS.ReadableStream;

/** How the source is named in messages. */
export function shownName(source: InputSource): string {
  return typeof source === 'string' ? (source === '-' ? '(stdin)' : source) : '(stream)';
}

/** @example for await (const text of textChunks('invoices.ndjson')) … */
export async function* textChunks(source: InputSource): AsyncGenerator<string> {
  const shown = shownName(source);
  const stream = typeof source === 'string' ? await openFile(source) : source;
  // ignoreBOM false (the default): a leading U+FEFF is dropped, as Excel and PowerShell write one.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
      const text = decode(decoder, buffer, shown, bytes);
      bytes += buffer.length;
      if (text !== '') yield text;
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError('RECON_INPUT_UNREADABLE', `${shown}: cannot read it (${code ?? String(error)})`, { cause: error });
  }
  const rest = decode(decoder, undefined, shown, bytes);
  if (rest !== '') yield rest;
}

async function openFile(path: string): Promise<NodeJS.ReadableStream> {
  if (path === '-') return process.stdin;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError('RECON_INPUT_UNREADABLE', `${path}: is a directory, not an input file`);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError('RECON_INPUT_NOT_FOUND', `${path}: no such file`, { cause: error, hint: "give the input with --input FILE, or '-' for stdin" });
    throw new InputError('RECON_INPUT_UNREADABLE', `${path}: cannot read it (${code ?? String(error)})`, { cause: error });
  }
  return createReadStream(path, { highWaterMark: 256 * 1024 });
}

function decode(decoder: TextDecoder, buffer: Buffer | undefined, shown: string, offset: number): string {
  try {
    return buffer === undefined ? decoder.decode() : decoder.decode(buffer, { stream: true });
  } catch (error) {
    throw new InputError('RECON_INPUT_NOT_UTF8', `${shown}: is not valid UTF-8 text (in the bytes after offset ${offset})`, {
      cause: error,
      hint: 'save the input as UTF-8 (in Excel: "CSV UTF-8")',
    });
  }
}
