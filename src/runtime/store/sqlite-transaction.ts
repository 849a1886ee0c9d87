/**
 * One IMMEDIATE transaction wrapper per connection, made once: better-sqlite3 builds a new
 * wrapper on every `db.transaction(fn)` call, which costs about as much as a small commit.
 */
import type Database from 'better-sqlite3';

export type Transact = <T>(work: () => T) => T;

/**
 * A function that runs `work` in a BEGIN IMMEDIATE … COMMIT (ROLLBACK when it throws).
 * IMMEDIATE takes the write lock before the first read, so a read-then-write never acts on a
 * snapshot another process has since changed, and waits out the busy timeout instead of failing.
 *
 * @example
 * const write = immediateTransactions(db);
 * write(() => { insert.run(a); insert.run(b); }); // both or neither
 */
export function immediateTransactions(db: Database.Database): Transact {
  const transaction = db.transaction((work: () => unknown) => work());
  return <T>(work: () => T): T => transaction.immediate(work) as T;
}
