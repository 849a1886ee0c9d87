/**
 * Streams a HAR recording as exchanges, entry by entry, in constant memory whatever the number
 * of entries: the file is scanned in chunks (scan.ts) and only one entry at a time is parsed.
 *
 * A file that cannot be read at all (missing, a directory, empty, not JSON, not HAR) is an error
 * before anything is yielded. Once entries flow, problems become skipped exchanges with a reason,
 * never an error: a truncated recording yields every complete entry, then the cut one as skipped.
 */
import { stat } from 'node:fs/promises';
import { HarReadError } from '../../http/har/index.js';
import { UsageError } from '../../errors.js';
import { jsonErrorOffset, lineAndColumn } from '../../text/index.js';
import type { ObservedExchange, SkippedExchange } from '../types.js';
import { formatBytes } from './body.js';
import { entryToExchange } from './entry.js';
import { EntryScanner, ScanError, type ScanEvent } from './scan.js';
import { positionAt, utf8Chunks } from './source.js';

export interface ReadRecordingOptions {
  /** Largest single entry read, in bytes; larger ones are skipped. Default 256 MiB. */
  maxEntryBytes?: number;
  /** Largest body kept, decoded and decompressed, in bytes; larger ones are omitted. Default 64 MiB. */
  maxBodyBytes?: number;
  signal?: AbortSignal;
  /** Bytes read per chunk. Default 1 MiB; tests use tiny chunks to split tokens. */
  chunkSize?: number;
  /** Called after each chunk is read: bytes read so far (of the decoded text) and the file size. */
  onProgress?: (bytesRead: number, fileBytes: number) => void;
}

export const READ_RECORDING_DEFAULTS = {
  maxEntryBytes: 256 * 1024 * 1024,
  maxBodyBytes: 64 * 1024 * 1024,
  chunkSize: 1024 * 1024,
} as const;

/**
 * @param recording the recording's index among drift's inputs, copied into every `ref`.
 * @throws HarReadError (exit 2) before the first exchange when the file is not a readable HAR.
 *
 * @example
 * for await (const item of readRecording('fixtures/acme/run.har', 0)) {
 *   if ('reason' in item) console.error(`skipped entry ${item.ref.entry}: ${item.reason}`);
 *   else console.log(item.method, item.url, item.status);
 * }
 */
export async function* readRecording(file: string, recording: number, options: ReadRecordingOptions = {}): AsyncGenerator<ObservedExchange | SkippedExchange> {
  const settings = { ...READ_RECORDING_DEFAULTS, ...withoutUndefined(options) };
  for (const name of ['maxEntryBytes', 'maxBodyBytes', 'chunkSize'] as const) {
    const value = settings[name];
    if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${name} must be a positive whole number of bytes, not ${String(value)}`, { code: 'RECON_DRIFT_BAD_OPTION' });
  }
  const { signal } = options;
  signal?.throwIfAborted();
  const fileBytes = await checkFile(file);
  const scanner = new EntryScanner({ maxEntryBytes: settings.maxEntryBytes });
  const convert = async (event: ScanEvent): Promise<ObservedExchange | SkippedExchange> => toExchange(event, file, recording, settings);
  let bytesRead = 0;
  try {
    for await (const chunk of utf8Chunks(file, { chunkSize: settings.chunkSize, signal })) {
      bytesRead += chunk.length;
      options.onProgress?.(bytesRead, fileBytes);
      for (const event of scanner.push(chunk)) {
        signal?.throwIfAborted();
        yield await convert(event);
      }
      if (scanner.done) break;
    }
    for (const event of scanner.end()) yield await convert(event);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw await asHarReadError(error, file, settings.chunkSize);
  }
}

async function toExchange(event: ScanEvent, file: string, recording: number, settings: { maxEntryBytes: number; maxBodyBytes: number; chunkSize: number }): Promise<ObservedExchange | SkippedExchange> {
  const ref = { recording, entry: event.index };
  switch (event.kind) {
    case 'entry': {
      let raw: unknown;
      try {
        raw = JSON.parse(event.text);
      } catch (error) {
        // Positions are computed only here, on the rare bad entry.
        const inEntry = lineAndColumn(event.text, jsonErrorOffset(event.text));
        const start = await positionAt(file, event.offset, settings.chunkSize);
        const line = start.line + inEntry.line - 1;
        const column = inEntry.line === 1 ? start.column + inEntry.column - 1 : inEntry.column;
        const detail = error instanceof SyntaxError ? String(error.message).split('\n')[0]!.slice(0, 120) : 'nested too deeply';
        return { ref, reason: `the entry is not valid JSON (line ${line} column ${column}: ${detail})` };
      }
      return entryToExchange(raw, ref, settings);
    }
    case 'oversize':
      return { ref, reason: `the entry is larger than the ${formatBytes(settings.maxEntryBytes)} limit (maxEntryBytes)` };
    case 'cut':
      return { ref, reason: `the recording ends in the middle of entry ${event.index} (truncated file?)` };
    case 'ends-between':
      return {
        ref,
        reason:
          event.index === 0
            ? 'the recording ends at the start of its entry list (truncated file?); any entries are missing'
            : `the recording ends after entry ${event.index - 1}, before the entry list is closed (truncated file?); any later entries are missing`,
      };
    case 'broken': {
      const { line, column } = await positionAt(file, event.offset, settings.chunkSize);
      return { ref, reason: `the recording is malformed at line ${line} column ${column} (${event.message}); entries from here on were not read` };
    }
  }
}

/** The file's size; errors for a missing file, a directory, an empty file. */
async function checkFile(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new HarReadError('unreadable', 'is a directory, not a HAR file', { source: file });
    if (!info.isFile()) throw new HarReadError('unreadable', 'is not a regular file', { source: file });
    if (info.size === 0) throw new HarReadError('empty', 'the file is empty', { source: file, line: 1, column: 1 });
    return info.size;
  } catch (error) {
    if (error instanceof HarReadError) throw error;
    throw unreadable(error, file);
  }
}

async function asHarReadError(error: unknown, file: string, chunkSize: number): Promise<unknown> {
  if (error instanceof ScanError) {
    const hint = error.problem === 'not-har' ? 'export HAR from the browser DevTools Network panel ("Save all as HAR") or from the proxy' : undefined;
    const where = error.problem === 'not-har' ? { pointer: error.pointer ?? '' } : await positionAt(file, error.offset, chunkSize);
    return new HarReadError(error.problem, error.message, { source: file, ...where }, hint === undefined ? {} : { hint });
  }
  if ((error as NodeJS.ErrnoException | undefined)?.code !== undefined) return unreadable(error, file);
  return error;
}

function unreadable(error: unknown, file: string): HarReadError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory, not a HAR file' : (error as Error).message;
  return new HarReadError('unreadable', why, { source: file }, { cause: error });
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
