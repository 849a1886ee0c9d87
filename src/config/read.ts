/**
 * Read `recon.yaml` as text: refuse directories, oversized files and invalid UTF-8 with a
 * message instead of a crash.
 */
import { readFile, stat } from 'node:fs/promises';
import { ConfigError } from './errors.js';

/** A config file is a page or two; anything this large is not one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export async function readConfigText(absolutePath: string, shown: string): Promise<string> {
  let info;
  try {
    info = await stat(absolutePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ConfigError('RECON_CONFIG_NOT_FOUND', shown, [{ path: '', message: 'no such file' }], {
        cause: error,
        hint: "run 'recon init' to create a review workspace with a commented recon.yaml",
      });
    }
    throw unreadable(shown, `cannot read the file (${code ?? String(error)})`, error);
  }
  if (info.isDirectory()) {
    throw unreadable(shown, 'is a directory, not a file', undefined, 'point at the recon.yaml inside it');
  }
  if (!info.isFile()) throw unreadable(shown, 'is not a regular file');
  if (info.size > MAX_CONFIG_BYTES) {
    throw unreadable(shown, `is ${info.size} bytes; a recon.yaml is at most ${MAX_CONFIG_BYTES} bytes`);
  }
  let bytes;
  try {
    bytes = await readFile(absolutePath);
  } catch (error) {
    throw unreadable(shown, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error);
  }
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw unreadable(shown, 'is not valid UTF-8 text', error, 'save recon.yaml as UTF-8');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function unreadable(shown: string, message: string, cause?: unknown, hint?: string): ConfigError {
  return new ConfigError('RECON_CONFIG_UNREADABLE', shown, [{ path: '', message }], { cause, hint });
}
