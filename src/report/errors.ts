/**
 * Errors `recon report` raises itself. Everything else a review folder can get wrong (a stage not
 * run, a file that is not JSON) is reported in `ReviewInputs.missing` / `problems` instead: the
 * report is still written from the rest.
 */
import { ExitCode, ReconError, type ReconErrorOptions } from '../errors.js';

export type ReviewFolderErrorCode = 'RECON_REPORT_NO_REVIEW_DIR' | 'RECON_REPORT_NOT_A_DIRECTORY' | 'RECON_REPORT_UNREADABLE_DIR';

/**
 * The review folder itself cannot be used. Exit 2: the user named the wrong place.
 *
 * @example
 * throw new ReviewFolderError('RECON_REPORT_NO_REVIEW_DIR', 'review', 'no such directory');
 * // message: "review: no such directory", hint: "run recon review first, or give --review DIR"
 */
export class ReviewFolderError extends ReconError {
  readonly exitCode = ExitCode.usage;
  readonly code: ReviewFolderErrorCode;
  /** The folder as the user named it. */
  readonly dir: string;

  constructor(code: ReviewFolderErrorCode, dir: string, why: string, options: ReconErrorOptions = {}) {
    super(`${dir}: ${why}`, { hint: 'run recon review first, or give --review DIR (the folder holding inventory.json, probe.json, …)', ...options });
    this.code = code;
    this.dir = dir;
  }
}
