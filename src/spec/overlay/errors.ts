import { InputFailure } from '../../errors.js';

export type OverlayErrorCode = 'RECON_OVERLAY_UNREADABLE' | 'RECON_OVERLAY_INVALID' | 'RECON_OVERLAY_TARGET';

/** An overlay that cannot be read or applied. Exit 2: the input is at fault. */
export class OverlayError extends InputFailure<OverlayErrorCode> {}
