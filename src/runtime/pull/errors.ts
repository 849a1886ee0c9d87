/**
 * Why a pull stopped short. Both are runtime failures (exit 3): the position stays at the last
 * page that reached the sink, so running again resumes there.
 */
import { RuntimeFailure } from '../../errors.js';

export type PullErrorCode =
  /** The vendor refused a page (a 4xx, or retries spent) or answered something that is not a page. */
  | 'RECON_PULL_PAGE_FAILED'
  /** The sink could not take the records: the file cannot be written, the command failed or exited non-zero. */
  | 'RECON_PULL_SINK_FAILED';

export class PullError extends RuntimeFailure<PullErrorCode> {}
