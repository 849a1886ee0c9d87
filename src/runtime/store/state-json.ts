/**
 * Named state values as stored on both engines: one JSON text per key. Checked here, before any
 * SQL, so a value that cannot be stored fails the same way on SQLite and PostgreSQL.
 */
import { StoreInputError } from './errors.js';
import type { StateEntry } from './types.js';

/** A recon_state row: the key, its JSON text, and when it was last written (epoch ms, store clock). */
export interface StateRow {
  key: string;
  value: string;
  updated_at: number;
}

/**
 * The JSON text stored for `value` under `key`; a StoreInputError when there is none
 * (`undefined`, a function, a cycle, a BigInt).
 *
 * @example
 * stateJson('pull:orders', { page: 3 }); // '{"page":3}'
 * stateJson('pull:orders', undefined); // throws RECON_STORE_BAD_INPUT
 */
export function stateJson(key: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = value === undefined ? undefined : JSON.stringify(value);
  } catch (error) {
    throw new StoreInputError('RECON_STORE_BAD_INPUT', `state ${key}: the value cannot be stored as JSON (${(error as Error).message})`, { cause: error });
  }
  if (json === undefined) throw new StoreInputError('RECON_STORE_BAD_INPUT', `state ${key}: the value cannot be stored as JSON`);
  return json;
}

/**
 * `listState`'s prefix, checked: SQL would compare anything else as text.
 *
 * @example
 * requireStatePrefix('pull:'); // passes
 * requireStatePrefix(undefined as unknown as string); // throws RECON_STORE_BAD_INPUT
 */
export function requireStatePrefix(prefix: string): void {
  if (typeof prefix !== 'string') throw new StoreInputError('RECON_STORE_BAD_INPUT', 'listState: the prefix must be a string');
}

/**
 * @example
 * stateEntryFromRow({ key: 'pull:orders', value: '{"page":3}', updated_at: 1767261600000 }); // { key: 'pull:orders', value: { page: 3 }, updatedAt: 1767261600000 }
 */
export function stateEntryFromRow(row: StateRow): StateEntry {
  return { key: row.key, value: JSON.parse(row.value) as unknown, updatedAt: row.updated_at };
}
