/**
 * What node-postgres and PostgreSQL report, sorted into what the store does about it: transient
 * failures (a restart, a dropped connection, a serialization conflict) are retried with backoff;
 * the ones a user can meet in normal life (wrong password, missing database, nothing listening,
 * no privilege, full disk) become StoreUnavailableError naming the redacted location; anything
 * else passes through unchanged, because it is a bug worth a stack trace.
 * SQLSTATE codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
import { StoreInputError, StoreUnavailableError } from './errors.js';
import type { PgLocation } from './pg-location.js';

const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);
const TRANSIENT_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the server is stopping (pg_ctl stop / restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);
// node-postgres reports a lost socket as a plain Error without a code.
const LOST_CONNECTION = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|server closed the connection/i;

/**
 * True when trying again later may succeed: the server restarting, a connection lost, a
 * serialization failure or deadlock (the transaction rolled back whole).
 *
 * @example
 * isTransientPgError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })); // true
 */
export function isTransientPgError(error: unknown): boolean {
  const code = errorCode(error);
  // Class 08 is connection exceptions, but 08P01 is a protocol violation: a bug, not an outage.
  if (code !== undefined && (TRANSIENT_NODE_CODES.has(code) || TRANSIENT_SQLSTATES.has(code) || (code.startsWith('08') && code !== '08P01'))) return true;
  return error instanceof Error && code === undefined && LOST_CONNECTION.test(error.message);
}

/**
 * The store error for a PostgreSQL failure, or `error` itself when it is not one we expect.
 * `waitedMs` is set when a transient failure outlasted the store's patience.
 *
 * @example
 * try { await pool.query(sql); } catch (error) { throw pgStoreError(error, location); }
 */
export function pgStoreError(error: unknown, where: PgLocation, waitedMs?: number): unknown {
  if (error instanceof StoreUnavailableError || error instanceof StoreInputError) return error;
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const options = { cause: error };
  const server = `${where.host}:${where.port}`;
  if (waitedMs !== undefined) {
    return new StoreUnavailableError('RECON_STORE_UNREACHABLE', where.redacted, `PostgreSQL at ${server} stayed unavailable for ${Math.round(waitedMs / 1000)} s (${code ?? detail})`, {
      ...options,
      hint: 'Nothing accepted was lost: start recon again once the database is back; the queue resumes where it stopped.',
    });
  }
  switch (code) {
    case '28P01':
    case '28000':
      return new StoreUnavailableError('RECON_STORE_AUTH', where.redacted, `PostgreSQL at ${server} refused user "${where.user}": ${detail}`, {
        ...options,
        hint: 'Check the user and password in --store / RECON_STORE (percent-encode special characters), or put the password in ~/.pgpass.',
      });
    case '3D000':
      return new StoreUnavailableError('RECON_STORE_NO_DATABASE', where.redacted, `PostgreSQL at ${server} has no database "${where.database}"`, {
        ...options,
        hint: `Create it first: createdb -h ${where.host} -p ${where.port} -U ${where.user} ${where.database}`,
      });
    case '42501':
      return new StoreUnavailableError('RECON_STORE_UNWRITABLE', where.redacted, `PostgreSQL user "${where.user}" may not use schema "${where.schema}": ${detail}`, {
        ...options,
        hint: `Grant it: GRANT CREATE ON DATABASE ${where.database} TO ${where.user}; (or GRANT USAGE, CREATE ON SCHEMA ${where.schema}), or name another ?schema=.`,
      });
    case '42P07':
      return new StoreUnavailableError('RECON_STORE_NOT_A_STORE', where.redacted, `schema "${where.schema}" already has tables recon would create, but no recon_schema_version: ${detail}`, {
        ...options,
        hint: 'recon never changes tables it did not create: name another schema with ?schema=.',
      });
    case '53100':
      return new StoreUnavailableError('RECON_STORE_DISK_FULL', where.redacted, `PostgreSQL at ${server} is out of disk space: nothing accepted was lost`, {
        ...options,
        hint: 'Free disk space on the database server (or prune the audit log) and run again.',
      });
    case '22021':
    case '22P05':
      return new StoreInputError('RECON_STORE_BAD_INPUT', `PostgreSQL cannot store this text (${detail}): a NUL character or invalid UTF-8 in an id or field`, options);
    case 'ENOTFOUND':
    case 'EAI_NONAME':
      return new StoreUnavailableError('RECON_STORE_UNREACHABLE', where.redacted, `cannot resolve the PostgreSQL host "${where.host}"`, {
        ...options,
        hint: 'Check the host name in --store / RECON_STORE.',
      });
    default:
      if (isTransientPgError(error)) {
        return new StoreUnavailableError('RECON_STORE_UNREACHABLE', where.redacted, `nothing answered as PostgreSQL at ${server} (${code ?? detail})`, {
          ...options,
          hint: 'Is PostgreSQL running there? Check the host and port in --store / RECON_STORE (pg_isready -h HOST -p PORT).',
        });
      }
      return error;
  }
}

/** The node error code or SQLSTATE; an AggregateError (one per address tried) gives its first. */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const errors = (error as { errors?: unknown }).errors;
  return Array.isArray(errors) && errors.length > 0 ? errorCode(errors[0]) : undefined;
}
