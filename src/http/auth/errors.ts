import { ExitCode, ReconError, type ReconErrorOptions } from '../../errors.js';
import type { AuthFailure } from './types.js';

/**
 * Credentials could not be obtained or used: the token endpoint refused, answered something
 * that is not a token, or the configured key material is unusable. Exit 3. The failure is
 * also in the provider's `report()`, so a probe can catch this and carry on reporting.
 */
export class AuthError extends ReconError {
  readonly code = 'RECON_AUTH_FAILED';
  readonly exitCode = ExitCode.runtime;
  readonly failure: AuthFailure;

  constructor(failure: AuthFailure, options: ReconErrorOptions = {}) {
    super(failure.message, options);
    this.failure = failure;
  }
}
