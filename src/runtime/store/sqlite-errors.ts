/**
 * better-sqlite3 reports failures as SqliteError with SQLite's extended result code
 * (`SQLITE_BUSY_SNAPSHOT`, `SQLITE_IOERR_WRITE`…). The ones a user can meet in normal life —
 * another process holding the lock, a full disk, a file that is not a database, a read-only
 * directory — become StoreUnavailableError with words that name the file; anything else passes
 * through unchanged, because it is a bug worth a stack trace.
 */
import { StoreUnavailableError } from './errors.js';

/**
 * The store error for a SQLite failure, or `error` itself when it is not one we expect.
 *
 * @example
 * try { stmt.run(); } catch (error) { throw storeErrorFrom(error, file, 5000); }
 */
export function storeErrorFrom(error: unknown, file: string, busyTimeoutMs: number): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const code = sqliteCode(error);
  if (code === undefined) return error;
  const base = code.replace(/^(SQLITE_[A-Z]+).*$/, '$1');
  const options = { cause: error };
  switch (base) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new StoreUnavailableError('RECON_STORE_LOCKED', file, `${file} is locked by another process (waited ${busyTimeoutMs} ms)`, {
        ...options,
        hint: 'Another recon may be running on this store; wait for it, or raise the busy timeout.',
      });
    case 'SQLITE_FULL':
      return diskFull(file, error);
    case 'SQLITE_NOTADB':
      return new StoreUnavailableError('RECON_STORE_NOT_A_STORE', file, `${file} is not a recon store (not a SQLite database)`, {
        ...options,
        hint: 'Point --store at a new file or at a recon store.',
      });
    case 'SQLITE_CORRUPT':
      return new StoreUnavailableError('RECON_STORE_CORRUPT', file, `${file} is damaged (SQLite reports corruption)`, {
        ...options,
        hint: 'Restore it from a backup; `sqlite3 FILE .recover` may save what is left.',
      });
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
      return new StoreUnavailableError('RECON_STORE_UNWRITABLE', file, `${file} cannot be opened for writing (${code})`, {
        ...options,
        hint: 'Check that the file and its directory exist and are writable (SQLite also writes FILE-wal and FILE-shm beside it).',
      });
    case 'SQLITE_IOERR':
      // Some file systems report a full disk as a write error rather than SQLITE_FULL.
      if (/ENOSPC|no space/i.test(String((error as Error).message))) return diskFull(file, error);
      return new StoreUnavailableError('RECON_STORE_FAILED', file, `${file}: the disk reported an I/O error (${code})`, options);
    default:
      return error;
  }
}

// The failed transaction rolled back as a whole, so everything committed before it is intact.
function diskFull(file: string, cause: unknown): StoreUnavailableError {
  return new StoreUnavailableError('RECON_STORE_DISK_FULL', file, `disk full: nothing accepted was lost (${file} could not grow)`, {
    cause,
    hint: 'Free disk space (or prune the audit log) and run again: the queue resumes where it stopped.',
  });
}

function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}
