/**
 * OpenAPI Overlay 1.0 documents (https://spec.openapis.org/overlay/v1.0.0.html): an ordered list
 * of actions that change an OpenAPI document without editing the vendor's file.
 */

export interface OverlayInfo {
  title: string;
  version: string;
}

/** Overlay 1.0.0 §4.4.3: `target` is a JSONPath (RFC 9535) selecting objects or arrays;
 * `update` is merged into each of them; `remove: true` deletes them from their parent. */
export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
  [extension: `x-${string}`]: unknown;
}

export interface OverlayDocument {
  overlay: string;
  info: OverlayInfo;
  extends?: string;
  actions: OverlayAction[];
  [extension: `x-${string}`]: unknown;
}

/** An overlay as read from a file, with the name messages use. */
export interface LoadedOverlay {
  source: string;
  document: OverlayDocument;
}

/** What applying an overlay did. */
export interface OverlayApplication {
  source: string;
  applied: number;
  /** Actions whose target selected nothing (the document may have changed since the overlay was written). */
  unmatched: { index: number; target: string }[];
}
