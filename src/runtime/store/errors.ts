/**
 * Why a store could not do what was asked. Every one is expected (a locked file, a full disk, a
 * file that is not ours), so each carries a stable `code` and the CLI prints it without a stack.
 * A store that cannot be opened or written is exit 3 (the run failed, the input did not);
 * a location recon does not support, or bad arguments from the caller, is exit 2.
 */
import { RuntimeFailure, UsageError, type ReconErrorOptions } from '../../errors.js';

export type StoreFailureCode =
  | 'RECON_STORE_LOCKED'
  | 'RECON_STORE_DISK_FULL'
  | 'RECON_STORE_NOT_A_STORE'
  | 'RECON_STORE_TOO_NEW'
  | 'RECON_STORE_UNWRITABLE'
  | 'RECON_STORE_CORRUPT'
  | 'RECON_STORE_CLOSED'
  | 'RECON_STORE_FAILED'
  /** PostgreSQL refused the user or password (SQLSTATE 28P01 / 28000). */
  | 'RECON_STORE_AUTH'
  /** The database named in the connection string does not exist (SQLSTATE 3D000). */
  | 'RECON_STORE_NO_DATABASE'
  /** Nothing answered at the address, or the server stayed unavailable longer than the store waits. */
  | 'RECON_STORE_UNREACHABLE';

/**
 * The store is there but unusable right now, or not at all. Exit 3.
 *
 * @example
 * try { await openStore('sqlite:/tmp/x.db'); }
 * catch (error) { if (error instanceof StoreUnavailableError && error.code === 'RECON_STORE_LOCKED') retryLater(); }
 */
export class StoreUnavailableError extends RuntimeFailure<StoreFailureCode> {
  /** The database file (or location) concerned. */
  readonly location: string;
  constructor(code: StoreFailureCode, location: string, message: string, options: ReconErrorOptions = {}) {
    super(code, message, options);
    this.location = location;
  }
}

export type StoreInputCode = 'RECON_STORE_UNSUPPORTED' | 'RECON_STORE_BAD_INPUT';

/**
 * The caller asked for something the store cannot take: a location of an unknown kind, a bad
 * `?schema=` name, an unparseable `--since` date, a message without an id. Exit 2.
 *
 * @example
 * await openStore('mysql://db/recon'); // throws StoreInputError code RECON_STORE_UNSUPPORTED
 */
export class StoreInputError extends UsageError {
  declare readonly code: StoreInputCode;
  constructor(code: StoreInputCode, message: string, options: ReconErrorOptions = {}) {
    super(message, { ...options, code });
  }
}
