/**
 * Named state on PostgreSQL (`recon_state`): one JSON value per key, replaced whole; and the
 * read-modify-write the shared rate limit rests on, with the row locked (`SELECT … FOR UPDATE`)
 * while the caller's pure update runs, so two workers on two machines never act on one stale value.
 * An update returning `undefined` as its value deletes the entry, as on SQLite.
 */
import { storeNow, type TimeMode } from './pg-clock.js';
import type { PgRunner } from './pg-connection.js';
import { ms } from './pg-queue.js';
import { requireStatePrefix, stateEntryFromRow, stateJson, type StateRow } from './state-json.js';
import type { StateEntry } from './types.js';

type Update<R> = (current: unknown | undefined, now: number) => { value: unknown; result: R };

/**
 * @example
 * const state = new PgState(runner, '"recon"', 'database');
 * await state.set('pull:acme', { page: 3 }, Date.now());
 * const granted = await state.transact('throttle:acme', (s, now) => decide(s, now), Date.now());
 */
export class PgState {
  private readonly table: string;

  constructor(
    private readonly runner: PgRunner,
    schema: string,
    private readonly time: TimeMode,
  ) {
    this.table = `${schema}.recon_state`;
  }

  async get(key: string): Promise<unknown> {
    const { rows } = await this.runner.query<{ value: string }>(`SELECT value FROM ${this.table} WHERE key = $1`, [key]);
    return rows[0] === undefined ? undefined : (JSON.parse(rows[0].value) as unknown);
  }

  async set(key: string, value: unknown, now: number): Promise<void> {
    const json = stateJson(key, value);
    await this.runner.query(
      `INSERT INTO ${this.table} (key, value, updated_at) VALUES ($1, $2, ${storeNow(this.time, '$3')})
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [key, json, ms(now)],
    );
  }

  /** By key in code-point order (COLLATE "C"), as SQLite orders text. */
  async list(prefix: string): Promise<StateEntry[]> {
    requireStatePrefix(prefix);
    const { rows } = await this.runner.query<StateRow>(
      `SELECT key, value, updated_at FROM ${this.table} WHERE starts_with(key, $1) ORDER BY key COLLATE "C"`,
      [prefix],
    );
    return rows.map(stateEntryFromRow);
  }

  async delete(key: string): Promise<void> {
    await this.runner.query(`DELETE FROM ${this.table} WHERE key = $1`, [key]);
  }

  /**
   * The row is locked first and the clock read after the lock is held, so updates that waited
   * for one another see increasing times. A key nobody has written yet has no row to lock: the
   * insert of the first value decides, and the loser of a race for it goes round again and
   * finds the winner's row.
   */
  async transact<R>(key: string, update: Update<R>, now: number): Promise<R> {
    return this.runner.transaction(async (client) => {
      for (;;) {
        const { rows } = await client.query<{ value: string | null; d: number }>(
          `WITH locked AS (SELECT value FROM ${this.table} WHERE key = $1 FOR UPDATE)
           SELECT (SELECT value FROM locked) AS value, ${storeNow(this.time, '$2')} AS d`,
          [key, ms(now)],
        );
        const row = rows[0]!;
        const current = row.value === null ? undefined : (JSON.parse(row.value) as unknown);
        const { value, result } = update(current, row.d);
        // undefined: the entry is done with (a throttle reset, a worker gone).
        if (value === undefined) {
          if (row.value !== null) await client.query(`DELETE FROM ${this.table} WHERE key = $1`, [key]);
          return result;
        }
        const json = stateJson(key, value);
        if (row.value !== null) {
          await client.query(`UPDATE ${this.table} SET value = $2, updated_at = $3 WHERE key = $1`, [key, json, row.d]);
          return result;
        }
        const inserted = await client.query(`INSERT INTO ${this.table} (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`, [key, json, row.d]);
        if (inserted.rowCount === 1) return result;
      }
    });
  }
}
