/**
 * The spec loader: the base of every later stage.
 *
 * @example
 * import { loadSpec, buildInventory } from 'recon';
 * const spec = await loadSpec('https://tripletex.no/v2/openapi.json');
 * const inventory = buildInventory(spec);
 * const match = spec.matchOperation('PUT', '/v2/ledger/voucher/5/:sendToLedger');
 */
export { loadSpec, LOAD_SPEC_DEFAULTS, type LoadSpecOptions } from './load.js';
export { basePathOf } from './servers.js';
export { ApiSpec, type SpecSource, type SpecInfo } from './api-spec.js';
export { DocumentSet, isReference, type LoadedDocument, type UnresolvedRef } from './documents.js';
export { buildInventory, operationLabel, type Inventory, type InventoryOperation, type Gap, type GapKind, type RateLimitHints } from './inventory.js';
export { OperationIndex, type PathMatch, type OperationMatch } from './operation-index.js';
export { SchemaCompiler } from './schema/index.js';
export { getAtPointer, parsePointer, toPointer, escapeToken } from './pointer.js';
export type * from './types.js';
export { readOverlay, applyOverlay, checkOverlay, OverlayError } from './overlay/index.js';
export type { OverlayDocument, OverlayAction, LoadedOverlay, OverlayApplication } from './overlay/index.js';
export { sampleValue, sampleSchema, sampleResponse, sampleRequestUrl, type SampleOptions, type SampledResponse } from './sample/index.js';
