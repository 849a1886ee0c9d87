/**
 * One clock for every worker. On database time each statement reads the database's clock D
 * (epoch ms) itself, and a caller's absolute time T (a notBefore, a lease's end) is taken
 * relative to the caller's `now`: D + (T − now). So "retry in 5 s" means 5 s on the database's
 * clock whatever the worker's clock says, and a lease is compared with one clock only.
 * On caller time D is simply the caller's `now` and T is used as given.
 */

/** clock_timestamp(), not now(): now() is the transaction's start, and a lock wait can be long. */
const DATABASE_NOW = 'floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

export type TimeMode = 'database' | 'caller';

/**
 * SQL for D, given the placeholder that holds the caller's `now`.
 *
 * @example
 * `WITH t AS (SELECT ${storeNow('database', '$3')} AS d) UPDATE … SET updated_at = t.d FROM t …`
 */
export function storeNow(mode: TimeMode, nowParam: string): string {
  // On database time the caller's now is still a parameter — PostgreSQL refuses a statement
  // given more parameters than it uses — so it is referenced, and multiplied away.
  return mode === 'database' ? `(${DATABASE_NOW} + 0 * ${nowParam}::bigint)` : `${nowParam}::bigint`;
}

/**
 * SQL for the caller's time `timeParam` on the store's clock: D + (T − now).
 *
 * @example
 * `not_before = ${onStoreClock('t.d', '$5', '$6')}`
 */
export function onStoreClock(d: string, timeParam: string, nowParam: string): string {
  return `(${d} + (${timeParam}::bigint - ${nowParam}::bigint))`;
}
