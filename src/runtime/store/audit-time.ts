/**
 * Reading the times the audit log is queried and pruned by. A bare date means the start of that
 * day, and a date-time without an offset is read as UTC, so that `--since 2026-01-01` selects
 * the same records on every machine whatever its time zone.
 */
import { StoreInputError } from './errors.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Epoch ms for an ISO date or date-time; StoreInputError (exit 2) naming `field` otherwise.
 *
 * @example
 * parseAuditTime('2026-01-01', 'since');            // 1767225600000 (midnight UTC)
 * parseAuditTime('2026-01-01T10:00', 'until');      // 10:00 UTC
 * parseAuditTime('2026-01-01T10:00+01:00', 'at');   // 09:00 UTC
 */
export function parseAuditTime(value: string, field: string): number {
  const text = value.trim();
  let iso = text;
  if (DATE_ONLY.test(text)) iso = `${text}T00:00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !HAS_OFFSET.test(text)) iso = `${text}Z`;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new StoreInputError('RECON_STORE_BAD_INPUT', `${field}: "${value}" is not an ISO date (2026-01-31) or date-time (2026-01-31T12:00:00Z)`);
  }
  return ms;
}
