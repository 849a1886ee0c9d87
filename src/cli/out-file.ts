/**
 * `--out FILE` for commands that write what they would print: a missing folder, a directory or
 * a file that cannot be written is the user's to fix (exit 2, the flag and the path named), not
 * an internal error. Files that may hold what vendors answered (audit exports) are owner-only.
 */
import { chmod, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** Why `--out` could not be written, in words, as exit 2. */
export function outFileError(file: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? `the folder ${dirname(file)} does not exist`
      : code === 'EISDIR'
        ? 'is a directory'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'ENOSPC'
            ? 'the disk is full'
            : (error as Error).message;
  return new UsageError(`--out ${file}: cannot write: ${reason}`, { cause: error, hint: code === 'ENOENT' ? `create it first (mkdir -p ${dirname(file)})` : undefined });
}

/**
 * Write `chunks` to `file` (relative to `cwd`), creating or truncating it; with `mode` the file
 * ends with exactly that mode, even when it existed before.
 *
 * @example
 * await writeOutFile('audit.ndjson', records.map((r) => JSON.stringify(r) + '\n'), { cwd, mode: 0o600 });
 */
export async function writeOutFile(file: string, chunks: Iterable<string>, options: { cwd: string; mode?: number }): Promise<void> {
  const path = resolve(options.cwd, file);
  let handle;
  try {
    handle = await open(path, 'w', options.mode ?? 0o666);
    if (options.mode !== undefined) await chmod(path, options.mode);
    for (const chunk of chunks) await handle.write(chunk);
  } catch (error) {
    throw outFileError(file, error);
  } finally {
    await handle?.close();
  }
}
