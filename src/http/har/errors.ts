import { ExitCode, formatLocation, ReconError, type ReconErrorOptions, type SourceLocation } from '../../errors.js';

export type HarReadErrorCode =
  /** The file is not there, is a directory, or cannot be read. */
  | 'RECON_HAR_NOT_FOUND'
  /** The file was read but is not a usable HAR: empty, not JSON, not HAR, malformed, too large. */
  | 'RECON_HAR_INVALID';

/** What exactly is wrong, for callers that want more than the code. */
export type HarReadProblem = 'unreadable' | 'empty' | 'too-large' | 'syntax' | 'not-har' | 'structure';

/** A HAR file could not be read. Exit 2: the input is at fault. */
export class HarReadError extends ReconError {
  readonly exitCode = ExitCode.usage;
  readonly code: HarReadErrorCode;
  readonly problem: HarReadProblem;
  readonly location: SourceLocation;

  constructor(problem: HarReadProblem, message: string, location: SourceLocation, options: ReconErrorOptions = {}) {
    super(`${formatLocation(location)}: ${message}`, options);
    this.code = problem === 'unreadable' ? 'RECON_HAR_NOT_FOUND' : 'RECON_HAR_INVALID';
    this.problem = problem;
    this.location = location;
  }
}
