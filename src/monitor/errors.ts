/**
 * Why monitoring could not do what it was asked: exit 3 for what is outside (no store yet, the
 * metrics port taken), exit 2 for bad input (a connector or integration spec that does not load).
 */
import { RuntimeFailure, UsageError, type ReconErrorOptions } from '../errors.js';

export type MonitorFailureCode =
  /** `--store` names a SQLite file that does not exist: nothing has run yet. */
  | 'RECON_MONITOR_NO_STORE'
  /** `--metrics-port` is taken by another process. */
  | 'RECON_METRICS_PORT_IN_USE'
  /** The metrics server could not listen for another reason. */
  | 'RECON_METRICS_LISTEN';

export class MonitorFailure extends RuntimeFailure<MonitorFailureCode> {}

/** Bad input to `recon monitor` (no connectors found, a bad flag value). Exit 2. */
export class MonitorInputError extends UsageError {
  constructor(message: string, options: ReconErrorOptions = {}) {
    super(message, { ...options, code: 'RECON_MONITOR_BAD_INPUT' });
  }
}
