/**
 * Input that cannot be read at all (missing file, not UTF-8, unknown format). A single bad
 * record is not an error: it is an item with `error` and its line, and the rest is still read.
 */
import { ExitCode, ReconError, type ReconErrorOptions } from '../../errors.js';

export type InputErrorCode =
  | 'RECON_INPUT_NOT_FOUND'
  | 'RECON_INPUT_UNREADABLE'
  | 'RECON_INPUT_NOT_UTF8'
  | 'RECON_INPUT_UNKNOWN_FORMAT';

/** Exit 2: the input is at fault. */
export class InputError extends ReconError {
  readonly exitCode = ExitCode.usage;
  readonly code: InputErrorCode;
  constructor(code: InputErrorCode, message: string, options: ReconErrorOptions = {}) {
    super(message, options);
    this.code = code;
  }
}
