/**
 * Named state between runs on SQLite (`recon_state`): one JSON value per key, replaced whole,
 * or read-modify-written under the file's write lock (`transact`).
 */
import type Database from 'better-sqlite3';
import { immediateTransactions, type Transact } from './sqlite-transaction.js';
import { requireStatePrefix, stateEntryFromRow, stateJson, type StateRow } from './state-json.js';
import type { StateEntry } from './types.js';

/**
 * @example
 * const state = new SqliteState(db);
 * state.set('pull:orders', { page: 3 }, Date.now());
 * state.transact('throttle:acme', (n, now) => ({ value: ((n as number) ?? 0) + 1, result: now }), Date.now());
 * state.list('pull:'); // [{ key: 'pull:orders', value: { page: 3 }, updatedAt: … }]
 */
export class SqliteState {
  private readonly select: Database.Statement<[string], { value: string }>;
  private readonly upsert: Database.Statement<[string, string, number]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly prefixed: Database.Statement<{ prefix: string }, StateRow>;
  private readonly write: Transact;

  constructor(db: Database.Database) {
    this.write = immediateTransactions(db);
    this.select = db.prepare('SELECT value FROM recon_state WHERE key = ?');
    this.upsert = db.prepare('INSERT INTO recon_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
    this.remove = db.prepare('DELETE FROM recon_state WHERE key = ?');
    // A range start (the primary key's index) and an exact prefix compare: LIKE would treat % and _
    // in a key as wildcards and, in SQLite, ignore case.
    this.prefixed = db.prepare('SELECT key, value, updated_at FROM recon_state WHERE key >= @prefix AND substr(key, 1, length(@prefix)) = @prefix ORDER BY key');
  }

  get(key: string): unknown {
    const row = this.select.get(key);
    return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
  }

  set(key: string, value: unknown, now: number): void {
    this.upsert.run(key, stateJson(key, value), now);
  }

  list(prefix: string): StateEntry[] {
    requireStatePrefix(prefix);
    return this.prefixed.all({ prefix }).map(stateEntryFromRow);
  }

  delete(key: string): void {
    this.remove.run(key);
  }

  /**
   * Read, `update`, write back — one IMMEDIATE transaction, under the file's write lock (other
   * processes wait, up to the busy timeout); nothing is written when `update` throws.
   */
  transact<R>(key: string, update: (current: unknown | undefined, now: number) => { value: unknown; result: R }, now: number): R {
    return this.write(() => {
      const outcome = update(this.get(key), now);
      if (outcome.value === undefined) this.remove.run(key);
      else this.upsert.run(key, stateJson(key, outcome.value), now);
      return outcome.result;
    });
  }
}
