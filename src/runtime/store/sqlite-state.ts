/**
 * Named state between runs on SQLite (`recon_state`): one JSON value per key, replaced whole.
 */
import type Database from 'better-sqlite3';
import { StoreInputError } from './errors.js';

export class SqliteState {
  private readonly select: Database.Statement<[string], { value: string }>;
  private readonly upsert: Database.Statement<[string, string, number]>;

  constructor(db: Database.Database) {
    this.select = db.prepare('SELECT value FROM recon_state WHERE key = ?');
    this.upsert = db.prepare('INSERT INTO recon_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
  }

  get(key: string): unknown {
    const row = this.select.get(key);
    return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
  }

  set(key: string, value: unknown, now: number): void {
    const json = value === undefined ? undefined : JSON.stringify(value);
    if (json === undefined) throw new StoreInputError('RECON_STORE_BAD_INPUT', `state ${key}: the value cannot be stored as JSON`);
    this.upsert.run(key, json, now);
  }
}
