/**
 * A recording's bytes as UTF-8 chunks: read in ~1 MiB pieces, a UTF-8 byte order mark dropped,
 * UTF-16 (which Fiddler and other Windows tools may write) transcoded on the fly.
 */
import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';

export interface ChunkOptions {
  chunkSize: number;
  signal?: AbortSignal | undefined;
}

/**
 * @example
 * for await (const chunk of utf8Chunks('run.har', { chunkSize: 1 << 20 })) scanner.push(chunk);
 */
export async function* utf8Chunks(file: string, options: ChunkOptions): AsyncGenerator<Buffer> {
  const stream = createReadStream(file, { highWaterMark: options.chunkSize, ...(options.signal === undefined ? {} : { signal: options.signal }) });
  let head: Buffer | undefined = Buffer.alloc(0);
  let decoder: TextDecoder | undefined;
  const out = (chunk: Buffer): Buffer => (decoder === undefined ? chunk : Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (head === undefined) {
      yield out(chunk);
      continue;
    }
    // The first three bytes decide the encoding; with tiny chunks they may come in pieces.
    head = Buffer.concat([head, chunk]);
    if (head.length < 3) continue;
    const rest = startEncoding(head);
    decoder = rest.decoder;
    head = undefined;
    if (rest.bytes.length > 0) yield out(rest.bytes);
  }
  if (head !== undefined && head.length > 0) {
    const rest = startEncoding(head);
    decoder = rest.decoder;
    if (rest.bytes.length > 0) yield out(rest.bytes);
  }
  if (decoder !== undefined) {
    const tail = decoder.decode();
    if (tail !== '') yield Buffer.from(tail, 'utf8');
  }
}

/** RFC 8259 §8.1 and the Unicode BOMs: EF BB BF (UTF-8), FF FE (UTF-16LE), FE FF (UTF-16BE). */
function startEncoding(head: Buffer): { bytes: Buffer; decoder?: TextDecoder } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { bytes: head.subarray(3) };
  if (head[0] === 0xff && head[1] === 0xfe) return { bytes: head.subarray(2), decoder: new TextDecoder('utf-16le') };
  if (head[0] === 0xfe && head[1] === 0xff) return { bytes: head.subarray(2), decoder: new TextDecoder('utf-16be') };
  return { bytes: head };
}

/**
 * 1-based line and column (in characters) of a byte offset in the UTF-8 text, found by reading
 * the file again up to it: errors are rare, so the fast path does not count lines.
 */
export async function positionAt(file: string, offset: number, chunkSize: number): Promise<{ line: number; column: number }> {
  let line = 1;
  let column = 1;
  let seen = 0;
  for await (const chunk of utf8Chunks(file, { chunkSize })) {
    const part = chunk.subarray(0, Math.max(0, offset - seen));
    const lastNewline = part.lastIndexOf(0x0a);
    if (lastNewline !== -1) {
      for (let i = part.indexOf(0x0a); i !== -1; i = part.indexOf(0x0a, i + 1)) line++;
      column = 1;
    }
    // Characters, not bytes: count every byte that does not continue a UTF-8 sequence.
    for (let i = lastNewline + 1; i < part.length; i++) if ((part[i]! & 0xc0) !== 0x80) column++;
    seen += chunk.length;
    if (seen >= offset) break;
  }
  return { line, column };
}
