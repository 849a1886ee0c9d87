/**
 * Read an Overlay 1.0 document (YAML or JSON) and check its shape before anything is applied, so
 * that a typo in action 7 is reported with its index instead of half-applying the file.
 */
import { readFile, stat } from 'node:fs/promises';
import { isJsonObject } from '../json.js';
import { parseDocumentText } from '../parse.js';
import { isReconError } from '../../errors.js';
import { OverlayError } from './errors.js';
import type { LoadedOverlay, OverlayDocument } from './types.js';

/** Overlays are small; a 64 MiB one is a mistake (the vendor document passed by accident). */
const MAX_OVERLAY_BYTES = 64 * 1024 * 1024;

/**
 * @example
 * const overlay = await readOverlay('review/acme.overlay.yaml');
 * const spec = await loadSpec('specs/acme.yaml', { overlays: [overlay] });
 */
export async function readOverlay(path: string): Promise<LoadedOverlay> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new OverlayError('RECON_OVERLAY_UNREADABLE', `${path}: is a directory, not an overlay file`);
    if (info.size > MAX_OVERLAY_BYTES) throw new OverlayError('RECON_OVERLAY_UNREADABLE', `${path}: ${info.size} bytes is too large for an overlay`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isReconError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(error)})`;
    throw new OverlayError('RECON_OVERLAY_UNREADABLE', `${path}: ${what}`, { cause: error });
  }
  if (text.trim() === '') throw new OverlayError('RECON_OVERLAY_INVALID', `${path}: the file is empty`);
  let data: unknown;
  try {
    data = parseDocumentText(text, path);
  } catch (error) {
    // The parser's message already names the file, line and column.
    throw new OverlayError('RECON_OVERLAY_INVALID', error instanceof Error ? error.message : String(error), { cause: error });
  }
  return { source: path, document: checkOverlay(data, path) };
}

/** The Overlay 1.0 schema's rules (overlay/1.0/schema/2024-10-22), with messages that point at the action. */
export function checkOverlay(data: unknown, source: string): OverlayDocument {
  const fail = (where: string, message: string): never => {
    throw new OverlayError('RECON_OVERLAY_INVALID', `${source}: ${where}: ${message}`, {
      hint: 'an Overlay 1.0 document has `overlay: 1.0.0`, `info: {title, version}` and a list of `actions`',
    });
  };
  if (!isJsonObject(data)) return fail('top level', 'not an object');
  if (typeof data.overlay !== 'string' || !/^1\.0\.\d+$/.test(data.overlay)) {
    return fail('/overlay', `must be "1.0.x", found ${JSON.stringify(data.overlay) ?? 'nothing'}`);
  }
  const info = data.info;
  if (!isJsonObject(info) || typeof info.title !== 'string' || typeof info.version !== 'string') {
    return fail('/info', 'needs a string `title` and `version`');
  }
  if (!Array.isArray(data.actions) || data.actions.length === 0) return fail('/actions', 'must be a non-empty list');
  data.actions.forEach((action: unknown, index: number) => {
    const where = `/actions/${index}`;
    if (!isJsonObject(action)) return fail(where, 'not an object');
    if (typeof action.target !== 'string' || !action.target.startsWith('$')) return fail(`${where}/target`, 'must be a JSONPath starting with `$`');
    if (action.remove !== undefined && typeof action.remove !== 'boolean') return fail(`${where}/remove`, 'must be true or false');
    if (action.description !== undefined && typeof action.description !== 'string') return fail(`${where}/description`, 'must be a string');
    if (action.update === undefined && action.remove !== true) return fail(where, 'has neither `update` nor `remove: true`');
    return undefined;
  });
  return data as unknown as OverlayDocument;
}
