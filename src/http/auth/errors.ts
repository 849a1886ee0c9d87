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
  /**
   * False when asking again later may work: the token endpoint timed out, could not be
   * reached, or answered 408, 429 or 5xx. A worker backs off and tries again; a bad secret,
   * a wrong URL or unusable key material is permanent.
   */
  readonly permanent: boolean;

  constructor(failure: AuthFailure, options: ReconErrorOptions & { permanent?: boolean } = {}) {
    const { permanent = true, ...rest } = options;
    super(failure.message, rest);
    this.failure = failure;
    this.permanent = permanent;
  }
}
