/**
 * Authentication in report.md: per scheme, whether it worked, how long a token lives, and what
 * must be ordered before production (certificates and client registrations have lead times that
 * belong in the project plan).
 */
import { table } from '../drift/render/markdown-escape.js';
import { formatDuration } from '../limits/plan/index.js';
import { code, plainText } from './markdown-text.js';
import type { ReviewModel } from './types.js';

const NOTES_SHOWN = 5;

/**
 * @example
 * renderAuth(model.auth); // ['## Authentication', '', '| Scheme | Type | Works | Token lifetime | To order | Lead time | Notes |', …]
 */
export function renderAuth(auth: ReviewModel['auth']): string[] {
  if (auth.length === 0) return [];
  const rows = auth.map((a) => [
    code(a.scheme),
    plainText(a.type, 60),
    works(a.works),
    a.tokenLifetimeSeconds === undefined || !(a.tokenLifetimeSeconds > 0) ? '—' : `${formatDuration(a.tokenLifetimeSeconds)} (${a.tokenLifetimeSeconds} s)`,
    a.toOrder ? plainText(a.toOrder, 200) : '—',
    a.leadTime ? plainText(a.leadTime, 100) : '—',
    notesCell(a.notes),
  ]);
  return ['## Authentication', '', ...table(['Scheme', 'Type', 'Works', 'Token lifetime', 'To order', 'Lead time', 'Notes'], ['left', 'left', 'left', 'right', 'left', 'left', 'left'], rows), ''];
}

/** Not tried is not the same as failed (DESIGN.md: unverified ≠ contradicted). */
function works(value: boolean | undefined): string {
  if (value === true) return 'yes';
  if (value === false) return '**no**';
  return 'not tried';
}

function notesCell(notes: readonly string[] | undefined): string {
  const items = (notes ?? []).filter((n) => n !== '');
  if (items.length === 0) return '—';
  const shown = items.slice(0, NOTES_SHOWN).map((n) => plainText(n, 200));
  if (items.length > NOTES_SHOWN) shown.push(`… and ${items.length - NOTES_SHOWN} more`);
  return shown.join('<br>');
}
