/**
 * `probe.calls[].bodyFile`: read the JSON body a call sends, relative to the config file.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { ConfigProblem } from './errors.js';
import type { ConfigFile } from './file-format.js';
import { jsonErrorPosition } from '../text/index.js';
import type { ConfigSource } from './yaml-source.js';

/** Largest body file read. */
export const MAX_BODY_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Replace every call's `bodyFile` with the parsed `body` (in place: `config` is the fresh copy
 * made when references were resolved). Returns the problems, each placed at its `bodyFile` key.
 */
export async function inlineBodyFiles(config: ConfigFile, source: ConfigSource, dir: string): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  for (const [index, call] of (config.probe?.calls ?? []).entries()) {
    if (call.bodyFile === undefined) continue;
    try {
      call.body = await readJsonFile(call.bodyFile, isAbsolute(call.bodyFile) ? call.bodyFile : resolve(dir, call.bodyFile));
      delete call.bodyFile;
    } catch (error) {
      problems.push(source.problem(['probe', 'calls', index, 'bodyFile'], (error as Error).message));
    }
  }
  return problems;
}

async function readJsonFile(shown: string, absolute: string): Promise<unknown> {
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' || code === 'ENOTDIR' ? `no such file: ${shown} (${absolute})` : `cannot read ${shown} (${code ?? String(error)})`);
  }
  if (!info.isFile()) throw new Error(`${shown} is not a file`);
  if (info.size > MAX_BODY_FILE_BYTES) throw new Error(`${shown} is larger than ${MAX_BODY_FILE_BYTES} bytes`);
  let text = await readFile(absolute, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new Error(`${shown} is empty; a body file holds one JSON value`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const where = jsonErrorPosition(text);
    // V8 quotes the text around the error; bodies may hold personal data, so only the reason is kept.
    const reason = (error as Error).message.replace(/, (?:\.\.\.)?".*$/s, '').replace(/ in JSON at position \d+.*$/s, '').replace(/^Unexpected end of JSON input$/, 'the text ends too early');
    throw new Error(`${shown}:${where.line}:${where.column}: invalid JSON (${reason})`);
  }
}
