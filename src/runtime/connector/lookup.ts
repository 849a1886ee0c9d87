/**
 * Read a lookup's answer (strategy `lookup`): is this record already at the vendor, and under
 * which id? And where a record's message id is.
 */
import { RuntimeFailure } from '../../errors.js';
import { getAtPointer } from '../../spec/index.js';
import { ConnectorInputError } from './errors.js';
import type { LoadedConnector } from './loaded.js';
import { renderTemplate } from './template.js';

export interface LookupResult {
  found: boolean;
  /** The matching candidate's vendor id (at `lookup.vendorId`, default `/id`), as text. */
  vendorId?: string;
}

/**
 * Whether the lookup response holds the record. An answer that cannot be read (not JSON, no list
 * at `items`) throws a `RuntimeFailure` (RECON_CONNECTOR_LOOKUP_UNREADABLE): "not found" would
 * lead to a create and perhaps a duplicate, so the outcome stays unknown instead.
 *
 * @example
 * findInLookup(loaded, { data: [{ id: 'u-1', externalRef: 'A-1' }] }, record, 'A-1', key)
 * // { found: true, vendorId: 'u-1' }
 */
export function findInLookup(loaded: LoadedConnector, responseBody: unknown, record: unknown, id: string, key: string): LookupResult {
  const lookup = loaded.definition.idempotency.lookup;
  if (!lookup) throw new TypeError(`connector ${loaded.definition.name} has no lookup (its strategy is ${loaded.definition.idempotency.strategy})`);
  const body = typeof responseBody === 'string' ? parseJson(responseBody, loaded.definition.name) : responseBody;
  const items = getAtPointer(body, lookup.items);
  if (!Array.isArray(items)) {
    throw new RuntimeFailure('RECON_CONNECTOR_LOOKUP_UNREADABLE', `connector ${loaded.definition.name}: the lookup response has no list at '${lookup.items}'`, {
      hint: "check idempotency.lookup.items: a JSON pointer to the list of candidates ('' when the body is the list)",
    });
  }
  const wanted = renderTemplate(lookup.match.equals, { record, id, key, at: 'idempotency.lookup.match.equals' });
  const match = items.find((candidate) => sameValue(getAtPointer(candidate, lookup.match.field), wanted));
  if (match === undefined) return { found: false };
  const vendorId = getAtPointer(match, lookup.vendorId ?? '/id');
  return vendorId === undefined || vendorId === null ? { found: true } : { found: true, vendorId: String(vendorId) };
}

/**
 * The message id of a record, as text (numbers become strings). Throws `ConnectorInputError`
 * (RECON_CONNECTOR_MISSING_FIELD) when the record has none.
 * @example messageIdOf(loaded, { invoiceNo: 1042 }) // '1042'
 */
export function messageIdOf(loaded: LoadedConnector, record: unknown): string {
  const pointer = loaded.definition.messageId;
  const value = getAtPointer(record, pointer);
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined || value === null || value === '') {
    throw new ConnectorInputError('RECON_CONNECTOR_MISSING_FIELD', `the record has no message id at ${pointer} (messageId)`);
  }
  const found = typeof value === 'number' ? `${value} (not a finite number: 1e400 and the like overflow)` : Array.isArray(value) ? 'a list' : typeof value;
  throw new ConnectorInputError('RECON_CONNECTOR_INVALID_MESSAGE', `the message id at ${pointer} is ${found}; it must be a string or a number`);
}

/** Vendors echo ids as numbers or strings; `1042` and `'1042'` are the same reference. */
function sameValue(found: unknown, wanted: unknown): boolean {
  if (found === undefined) return false;
  const scalar = (v: unknown) => v === null || typeof v !== 'object';
  if (scalar(found) && scalar(wanted)) return String(found) === String(wanted);
  return JSON.stringify(found) === JSON.stringify(wanted);
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RuntimeFailure('RECON_CONNECTOR_LOOKUP_UNREADABLE', `connector ${name}: the lookup response is not JSON`, { cause: error });
  }
}
