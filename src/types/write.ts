/**
 * Write a generated types file, with the errors a user can act on (a missing directory, no
 * permission) instead of a bare ENOENT.
 */
import { stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { TypesError } from './errors.js';

/**
 * Fail before the work when `--out` cannot be written: its directory must exist.
 *
 * @example
 * await checkTypesOut('src/vendor/acme.ts'); // throws RECON_TYPES_OUT_UNWRITABLE when src/vendor/ is missing
 */
export async function checkTypesOut(file: string, options: { cwd?: string } = {}): Promise<void> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  const directory = await stat(dirname(path)).then((s) => s.isDirectory(), () => false);
  if (!directory) throw missingDirectory(file, path);
  const isDirectory = await stat(path).then((s) => s.isDirectory(), () => false);
  if (isDirectory) throw new TypesError('RECON_TYPES_OUT_UNWRITABLE', `--out ${file}: is a directory`, { hint: 'name the .ts file to write, e.g. src/vendor/api.ts' });
}

/**
 * @example
 * await writeTypesFile('src/vendor/acme.ts', code, { cwd: process.cwd() });
 */
export async function writeTypesFile(file: string, code: string, options: { cwd?: string } = {}): Promise<void> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  try {
    await writeFile(path, code);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw missingDirectory(file, path, error);
    const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new TypesError('RECON_TYPES_OUT_UNWRITABLE', `--out ${file}: cannot write: ${reason}`, { cause: error });
  }
}

function missingDirectory(file: string, path: string, cause?: unknown): TypesError {
  return new TypesError('RECON_TYPES_OUT_UNWRITABLE', `--out ${file}: the directory ${dirname(file) === '.' ? dirname(path) : dirname(file)} does not exist`, {
    ...(cause === undefined ? {} : { cause }),
    hint: `create it first (mkdir -p ${dirname(file)}), or choose another --out`,
  });
}
