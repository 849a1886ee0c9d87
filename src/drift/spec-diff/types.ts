/**
 * What `diffSpecs` returns: plain data, rendered by render.ts and read by anything else. Add
 * fields, never rename or remove them: CI jobs read `changes[].kind` and `summary`.
 */
import type { ChangeKind } from './kinds.js';

/** Which of the two documents a location points into. */
export type Side = 'old' | 'new';

export interface ChangeLocation {
  /** `new` for added and changed things, `old` for removed ones. */
  in: Side;
  /** The document (the root or a file its `$ref`s reach), as shown to people. */
  source: string;
  /**
   * JSON pointer into `source`. In a Swagger 2.0 document, where recon's conversion to 3.0
   * moved things without a one-to-one place (parameters, request bodies), it points at the
   * operation's `parameters` list; `where` names the parameter.
   */
  pointer: string;
}

export interface ChangedOperation {
  method: string;
  /** The path template as the NEW document writes it (the old one's for removed operations). */
  path: string;
  operationId?: string;
}

export interface SpecChange {
  /** Stable id: see `CHANGE_KINDS`. */
  kind: ChangeKind;
  breaking: boolean;
  /** Absent for document-wide changes (servers). */
  operation?: ChangedOperation;
  location: ChangeLocation;
  /** One line a person reads. */
  message: string;
  /** Why it breaks or not, from the client's side. */
  why: string;
  /** `parameter query:limit`, `request application/json`, `response 200 application/json`. */
  where?: string;
  /** Inside a body or parameter value: `data[].phone`; '' for the value itself. */
  property?: string;
  before?: unknown;
  after?: unknown;
}

export interface DiffedDocument {
  source: string;
  title: string;
  version: string;
  /** What the vendor wrote: `2.0`, `3.0`, `3.1`. */
  specVersion: string;
}

export interface SpecDiff {
  old: DiffedDocument;
  new: DiffedDocument;
  /** Document-wide changes first, then by path and method; breaking first within each. */
  changes: SpecChange[];
  summary: { breaking: number; nonBreaking: number };
}
