/**
 * What the comparers share while they walk one operation: both documents, where to put what
 * they find, and the (old, new) schema pairs already compared, so that reference cycles end
 * and a schema used twice in one operation is reported once (at the first place reached).
 */
import { toPointer, type ApiSpec, type DocumentSet, type NodeRef } from '../../spec/index.js';
import { CHANGE_KINDS, type ChangeKind } from './kinds.js';
import { swaggerPointer } from './swagger-pointer.js';
import type { ChangedOperation, Side, SpecChange } from './types.js';

/** A value in a document and where it is. */
export interface Node {
  value: unknown;
  at: NodeRef;
}

/** The optional parts of a change the comparer knows about. */
export interface ChangeDetail {
  where?: string;
  property?: string;
  before?: unknown;
  after?: unknown;
}

/** A schema pair compared earlier in this operation: with changes, or clean if an ancestor still being compared is. */
export interface PairOutcome {
  dirty: boolean;
  dependsOn?: string;
}

export class DiffScope {
  /** Schema pairs being compared, outermost first: a pair met again here is a reference cycle. */
  readonly stack: string[] = [];
  readonly onStack = new Map<string, number>();
  /** Pairs compared in this operation (each is reported once per operation). */
  readonly done = new Map<string, PairOutcome>();
  /** Pairs found clean so far whose cleanliness waits on an ancestor on the stack. */
  readonly pending: string[] = [];

  constructor(
    readonly oldSpec: ApiSpec,
    readonly newSpec: ApiSpec,
    readonly operation: ChangedOperation | undefined,
    readonly changes: SpecChange[],
    /**
     * Pairs whose whole reachable graph has no change: shared by all operations, so that a
     * document with hundreds of operations over one big schema graph (Tripletex) walks each
     * unchanged schema once, not once per operation.
     */
    readonly clean: Set<string> = new Set(),
  ) {}

  /** A fresh scope for the next operation; the change list and the clean pairs are shared. */
  forOperation(operation: ChangedOperation | undefined): DiffScope {
    return new DiffScope(this.oldSpec, this.newSpec, operation, this.changes, this.clean);
  }

  documents(side: Side): DocumentSet {
    return side === 'old' ? this.oldSpec.documents : this.newSpec.documents;
  }

  /** Record a change of `kind`, located at `at` in the `side` document. */
  report(kind: ChangeKind, side: Side, at: NodeRef, message: string, detail: ChangeDetail = {}): void {
    const rule = CHANGE_KINDS[kind];
    const documents = this.documents(side);
    const source = documents.get(at.uri)?.shown ?? at.uri;
    const converted = at.uri === documents.root.uri && documents.root.dialect === 'swagger-2.0';
    const change: SpecChange = {
      kind,
      breaking: rule.breaking,
      location: { in: side, source, pointer: converted ? swaggerPointer(at.pointer) : at.pointer },
      message,
      why: rule.why,
    };
    if (this.operation) change.operation = this.operation;
    if (detail.where !== undefined) change.where = detail.where;
    if (detail.property !== undefined) change.property = detail.property;
    if (detail.before !== undefined) change.before = detail.before;
    if (detail.after !== undefined) change.after = detail.after;
    this.changes.push(change);
  }
}

/** `{ uri, pointer + /a/b }`, tokens escaped (RFC 6901 §4). */
export function childRef(at: NodeRef, ...tokens: string[]): NodeRef {
  return { uri: at.uri, pointer: at.pointer + toPointer(tokens) };
}
