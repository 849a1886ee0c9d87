/**
 * Integration spec errors: every problem found in an `integration-spec.yaml`, each with the
 * file, line, column and key path, in one error (the shape recon.yaml's errors have, and printed
 * the same way).
 */
import { FileProblemsError, type ConfigProblem } from '../../config/errors.js';

export type IntegrationSpecErrorCode =
  /** The file does not exist. */
  | 'RECON_INTEGRATION_SPEC_NOT_FOUND'
  /** A directory, too large, not UTF-8, no permission. */
  | 'RECON_INTEGRATION_SPEC_UNREADABLE'
  /** Not YAML. */
  | 'RECON_INTEGRATION_SPEC_SYNTAX'
  /** YAML, but not a valid integration spec: empty, wrong types, unknown keys, missing keys. */
  | 'RECON_INTEGRATION_SPEC_INVALID'
  /** Written by a newer recon, in a format this one cannot read. */
  | 'RECON_INTEGRATION_SPEC_TOO_NEW';

/** One problem: 1-based line and column when it has a place, the key path, the message. */
export type IntegrationSpecProblem = ConfigProblem;

/** An `integration-spec.yaml` that cannot be used. Exit 2: the input is at fault. */
export class IntegrationSpecError extends FileProblemsError<IntegrationSpecErrorCode> {}
