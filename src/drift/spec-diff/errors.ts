/**
 * Loading one of the two documents failed: the message says which, the code stays the
 * loader's (`RECON_SPEC_NOT_FOUND`, …) so callers match on it as for `recon spec`.
 */
import { ReconError, type ExitCode, type SpecLoadError } from '../../errors.js';
import type { Side } from './types.js';

/**
 * @example
 * try { await diffSpecFiles('v1.yaml', 'v2.yaml'); }
 * catch (e) { if (e instanceof SpecDiffLoadError && e.code === 'RECON_SPEC_NOT_FOUND') console.error(e.side); }
 */
export class SpecDiffLoadError extends ReconError {
  readonly code: string;
  readonly exitCode: ExitCode;
  /** Which document failed. */
  readonly side: Side;

  constructor(side: Side, cause: SpecLoadError) {
    super(`cannot load the ${side} document: ${cause.message}`, { cause, ...(cause.hint ? { hint: cause.hint } : {}) });
    this.code = cause.code;
    this.exitCode = cause.exitCode;
    this.side = side;
  }
}
