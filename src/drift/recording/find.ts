/**
 * The recordings in a directory: every `*.har` file below it.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HarReadError } from '../../http/har/index.js';

/**
 * All `*.har` files under `dir`, recursively, sorted by path. Symbolic links to files are
 * included; links to directories are not followed (a link cycle would never end).
 *
 * @throws HarReadError when `dir` is missing, is not a directory, or holds no `.har` file.
 * @example
 * await findRecordings('recordings'); // ['recordings/2025-01-02.har', 'recordings/acme/run.har']
 */
export async function findRecordings(dir: string): Promise<string[]> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HarReadError('unreadable', code === 'ENOENT' ? 'no such directory' : (error as Error).message, { source: dir }, { cause: error });
  }
  if (!info.isDirectory()) throw new HarReadError('unreadable', 'is not a directory', { source: dir }, { hint: 'pass the directory that holds the .har files, or the .har file itself' });
  const found: string[] = [];
  await walk(dir, found);
  if (found.length === 0) throw new HarReadError('unreadable', 'holds no .har file', { source: dir }, { hint: 'record with `recon probe`, or export HAR from the browser DevTools Network panel' });
  // Code-unit order, not locale order: the same on every machine.
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function walk(dir: string, found: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new HarReadError('unreadable', `cannot list the directory: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { source: dir }, { cause: error });
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, found);
    else if (entry.name.toLowerCase().endsWith('.har') && (entry.isFile() || (entry.isSymbolicLink() && (await isFile(path))))) found.push(path);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
