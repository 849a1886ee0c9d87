/**
 * OpenAPI Overlay 1.0: read and apply the documents that correct a vendor's API description
 * without editing it. `recon drift --overlay-out` writes them; `loadSpec(…, { overlays })` and
 * `recon drift --overlay` apply them.
 *
 * @example
 * const overlay = await readOverlay('review/acme.overlay.yaml');
 * applyOverlay(document, overlay); // { applied: 12, unmatched: [] }
 */
export { readOverlay, checkOverlay } from './read.js';
export { applyOverlay } from './apply.js';
export { OverlayError, type OverlayErrorCode } from './errors.js';
export type * from './types.js';
